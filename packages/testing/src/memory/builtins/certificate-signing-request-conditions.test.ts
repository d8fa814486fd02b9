import { describe, expect, it } from 'vitest';
import type { JsonObject } from '../json.js';
import {
  conditionCauses,
  conditionUpdateCauses,
  populateConditionTimestamps,
  preserveApprovals,
} from './certificate-signing-request-conditions.js';

const csr = (...conditions: JsonObject[]): JsonObject => ({ status: { conditions } });
const lines = (causes: { field?: string; message?: string }[]) =>
  causes.map((c) => `${c.field}: ${c.message}`);

describe('CertificateSigningRequest conditions', () => {
  it('checks types, statuses, exclusivity and repeats', () => {
    expect(
      lines(
        conditionCauses(
          csr(
            { type: 'Denied', status: 'True' },
            { type: 'Approved', status: 'False' },
            { type: '', status: '' },
            { type: 'Denied', status: 'Maybe' },
          ),
        ),
      ),
    ).toEqual([
      'status.conditions[1].status: Unsupported value: "False": supported values: "True"',
      'status.conditions: Invalid value: "Approved": Approved and Denied conditions are mutually exclusive',
      'status.conditions[2].type: Required value',
      'status.conditions[2].status: Required value',
      'status.conditions[3].status: Unsupported value: "Maybe": supported values: "True"',
      'status.conditions: Invalid value: "Denied": Approved and Denied conditions are mutually exclusive',
      'status.conditions[3].type: Duplicate value: "Denied"',
    ]);
  });

  it('forbids removals always and approvals outside approval', () => {
    const prev = csr({ type: 'Failed', status: 'True' });
    const next = csr({ type: 'Approved', status: 'True' });
    expect(lines(conditionUpdateCauses(next, prev, 'status'))).toEqual([
      'status.conditions: Forbidden: updates may not remove a condition of type "Failed"',
      'status.conditions: Forbidden: updates may not add a condition of type "Approved"',
    ]);
    expect(lines(conditionUpdateCauses(next, prev, 'approval'))).toEqual([
      'status.conditions: Forbidden: updates may not remove a condition of type "Failed"',
    ]);
  });

  it('keeps stored approvals through status and fills timestamps', () => {
    const stored = {
      type: 'Approved',
      status: 'True',
      lastTransitionTime: 'T0',
      lastUpdateTime: 'T0',
    };
    const next = csr(
      { type: 'Approved', status: 'True', reason: 'changed' },
      { type: 'X', status: 'True' },
    );
    preserveApprovals(next, csr(stored));
    populateConditionTimestamps(next, csr(stored));
    const [first, second] = (next.status as { conditions: JsonObject[] }).conditions;
    expect(first).toEqual(stored);
    expect(second?.lastTransitionTime).toMatch(/Z$/);
    expect(second?.lastUpdateTime).toBe(second?.lastTransitionTime);
  });
});
