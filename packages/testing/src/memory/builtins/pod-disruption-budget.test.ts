import { describe, expect, test } from 'vitest';
import type { JsonObject } from '../json.js';
import { podDisruptionBudgetRules } from './pod-disruption-budget.js';

const ctx = { group: 'policy', create: true };
const validate = (spec: JsonObject) =>
  (podDisruptionBudgetRules.validate?.({ spec }, ctx) ?? []).map((c) => `${c.field}: ${c.message}`);

describe('PodDisruptionBudget validation', () => {
  test('counts and percentages', () => {
    expect(validate({ minAvailable: 1 })).toEqual([]);
    expect(validate({ maxUnavailable: '50%' })).toEqual([]);
    expect(validate({ minAvailable: '150%' })).toEqual([
      'spec.minAvailable: Invalid value: "150%": must not be greater than 100%',
    ]);
    expect(validate({ maxUnavailable: -1 })).toEqual([
      'spec.maxUnavailable: Invalid value: -1: must be greater than or equal to 0',
    ]);
    expect(validate({ minAvailable: 'half' })[0]).toMatch(/a valid percent string/);
  });

  test('both set quotes the spec as Go encodes its struct', () => {
    expect(validate({ minAvailable: 1, maxUnavailable: '10%' })).toEqual([
      'spec: Invalid value: {"MinAvailable":1,"Selector":null,"MaxUnavailable":"10%","UnhealthyPodEvictionPolicy":null}: minAvailable and maxUnavailable cannot be both set',
    ]);
  });
});
