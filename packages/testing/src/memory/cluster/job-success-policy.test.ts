import { describe, expect, it } from 'vitest';
import type { JsonObject } from '../json.js';
import { matchSuccessPolicy } from './job-success-policy.js';

const spec = (...rules: JsonObject[]): JsonObject => ({ successPolicy: { rules } });

describe('matchSuccessPolicy', () => {
  it('is met by no index, and not without a policy', () => {
    expect(matchSuccessPolicy(spec({ succeededCount: 1 }), 3, new Set())).toBeUndefined();
    expect(matchSuccessPolicy({}, 3, new Set([0, 1, 2]))).toBeUndefined();
  });

  it('needs every listed index, or succeededCount of them', () => {
    const rules = spec({ succeededIndexes: '0,2-3' });
    expect(matchSuccessPolicy(rules, 5, new Set([0, 2]))).toBeUndefined();
    expect(matchSuccessPolicy(rules, 5, new Set([0, 1, 2, 3]))).toBe('Matched rules at index 0');
    const some = spec({ succeededIndexes: '0,2-3', succeededCount: 2 });
    expect(matchSuccessPolicy(some, 5, new Set([1, 4, 3]))).toBeUndefined();
    expect(matchSuccessPolicy(some, 5, new Set([3, 0]))).toBe('Matched rules at index 0');
  });

  it('counts any indexes for a rule without succeededIndexes; the first rule met is named', () => {
    const rules = spec({ succeededIndexes: '4' }, { succeededCount: 2 }, { succeededCount: 1 });
    expect(matchSuccessPolicy(rules, 5, new Set([1]))).toBe('Matched rules at index 2');
    expect(matchSuccessPolicy(rules, 5, new Set([1, 2]))).toBe('Matched rules at index 1');
    expect(matchSuccessPolicy(rules, 5, new Set([4]))).toBe('Matched rules at index 0');
  });

  it('skips a rule whose list does not parse', () => {
    const rules = spec({ succeededIndexes: 'x' }, { succeededIndexes: '9' }, { succeededCount: 1 });
    expect(matchSuccessPolicy(rules, 5, new Set([0]))).toBe('Matched rules at index 2');
  });
});
