import { describe, expect, test } from 'vitest';
import { ruleEnvironment } from './library.js';

const env = ruleEnvironment();
const run = (expr: string) => env.evaluate(expr, {});

describe('the sets library', () => {
  test.each([
    ['sets.contains([1, 2, 3], [3, 1])', true],
    ['sets.contains([1, 2], [1, 4])', false],
    ['sets.contains([1], [])', true],
    ['sets.contains([1.0], [1])', true],
    ['sets.contains([[1], [2]], [[2]])', true],
    ['sets.equivalent([1, 1, 2], [2, 1])', true],
    ['sets.equivalent([1, 2], [1])', false],
    ["sets.intersects(['a', 'b'], ['c', 'b'])", true],
    ['sets.intersects([1], [])', false],
  ])('%s is %s', (expr, want) => {
    expect(run(expr)).toBe(want);
  });
});
