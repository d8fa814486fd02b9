import { describe, expect, test } from 'vitest';
import { indexCount, parseIndexes } from './job-indexes.js';

describe('parseIndexes', () => {
  test('ascending intervals below completions, counted', () => {
    const parsed = parseIndexes('0,2-4,7', 8);
    expect(parsed).toEqual([
      [0, 0],
      [2, 4],
      [7, 7],
    ]);
    expect(indexCount(parsed as [number, number][])).toBe(5);
    expect(parseIndexes('', 3)).toEqual([]);
  });

  test("the batch validation's words for a bad list", () => {
    expect(parseIndexes('1-3,2', 5)).toBe('non-increasing order, previous: 3, current: 2');
    expect(parseIndexes('3-1', 5)).toBe('non-increasing order, previous: 3, current: 1');
    expect(parseIndexes('a', 5)).toBe('cannot convert string to integer for index: "a"');
    expect(parseIndexes('7', 5)).toBe('too large index: "7"');
    expect(parseIndexes('1-2-3', 5)).toBe(
      `the fragment "1-2-3" violates the requirement that an index interval can have at most two parts separated by '-'`,
    );
  });
});
