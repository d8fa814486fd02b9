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
