import { describe, expect, it } from 'vitest';
import type { JsonObject } from '../json.js';
import { leaseRules } from './lease.js';

describe('Lease', () => {
  it('checks the duration and transitions and drops the gated fields', () => {
    const ctx = { group: 'coordination.k8s.io', create: true };
    const causes = leaseRules.validate?.(
      { spec: { leaseDurationSeconds: 0, leaseTransitions: -1 } },
      ctx,
    );
    expect(causes?.map((c) => `${c.field}: ${c.message}`)).toEqual([
      'spec.leaseDurationSeconds: Invalid value: 0: must be greater than 0',
      'spec.leaseTransitions: Invalid value: -1: must be greater than or equal to 0',
    ]);
    const lease: JsonObject = { spec: { holderIdentity: 'a', strategy: 'OldestEmulationVersion' } };
    leaseRules.defaults?.(lease, true);
    expect(lease.spec).toEqual({ holderIdentity: 'a' });
  });
});
