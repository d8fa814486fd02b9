import { describe, expect, test } from 'vitest';
import { base64ErrorOffset } from './base64.js';

describe('base64ErrorOffset (Go StdEncoding offsets)', () => {
  test('valid text decodes', () => {
    for (const ok of ['', 'YQ==', 'YWI=', 'YWJj', 'YWJj\nZGVm', 'YW\r\nJj']) {
      expect(base64ErrorOffset(ok)).toBeUndefined();
    }
  });

  test('a character outside the alphabet is named by its offset', () => {
    expect(base64ErrorOffset('not base64!')).toBe(3);
    expect(base64ErrorOffset('YWJj*')).toBe(4);
  });

  test('missing or wrong padding', () => {
    expect(base64ErrorOffset('YQ')).toBe(0);
    expect(base64ErrorOffset('YWJ')).toBe(0);
    expect(base64ErrorOffset('YWJjZ')).toBe(4);
    expect(base64ErrorOffset('YQ=')).toBe(3);
    expect(base64ErrorOffset('Y===')).toBe(1);
    expect(base64ErrorOffset('YQ==YQ==')).toBe(4);
  });
});
