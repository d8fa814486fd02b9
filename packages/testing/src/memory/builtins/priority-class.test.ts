import { describe, expect, it } from 'vitest';
import type { JsonObject } from '../json.js';
import { priorityClassRules } from './priority-class.js';

describe('PriorityClass defaults', () => {
  it('fills preemptionPolicy and keeps a given one', () => {
    const bare: JsonObject = { value: 1 };
    priorityClassRules.defaults!(bare, true);
    expect(bare.preemptionPolicy).toBe('PreemptLowerPriority');
    const never: JsonObject = { value: 1, preemptionPolicy: 'Never' };
    priorityClassRules.defaults!(never, true);
    expect(never.preemptionPolicy).toBe('Never');
  });
});

describe('PriorityClass validation', () => {
  const ctx = { group: 'scheduling.k8s.io', create: true };
  const causes = (obj: JsonObject) =>
    (priorityClassRules.validate?.(obj, ctx) ?? []).map((c) => `${c.field}: ${c.message}`);

  it('reserves system- names and values above one billion', () => {
    expect(causes({ metadata: { name: 'high' }, value: 1_000_000_001 })).toEqual([
      'value: Forbidden: maximum allowed value of a user defined priority is 1000000000',
    ]);
    expect(causes({ metadata: { name: 'system-x' }, value: 1 })).toEqual([
      "metadata.name: Forbidden: priority class names with 'system-' prefix are reserved for system use only. error: system-x is not a known system priority class",
    ]);
    expect(causes({ metadata: { name: 'system-node-critical' }, value: 2_000_001_000 })).toEqual(
      [],
    );
    expect(causes({ metadata: { name: 'p' }, value: 1, preemptionPolicy: 'Sometimes' })).toEqual([
      'preemptionPolicy: Unsupported value: "Sometimes": supported values: "PreemptLowerPriority", "Never"',
    ]);
  });

  it('an update may change neither value nor preemptionPolicy', () => {
    const prev = { value: 1, preemptionPolicy: 'Never' };
    expect(
      priorityClassRules
        .validateUpdate?.({ value: 2, preemptionPolicy: 'PreemptLowerPriority' }, prev, ctx)
        .map((c) => `${c.field}: ${c.message}`),
    ).toEqual([
      'value: Forbidden: may not be changed in an update.',
      'preemptionPolicy: Invalid value: "PreemptLowerPriority": field is immutable',
    ]);
  });
});
