import { describe, expect, test } from 'vitest';
import type { JsonObject } from '../json.js';
import {
  goPodFailurePolicy,
  goSuccessPolicy,
  podFailurePolicyCauses,
  successPolicyCauses,
} from './job-policies.js';

const spec = (extra: JsonObject): JsonObject => ({
  template: { spec: { containers: [{ name: 'main' }], initContainers: [{ name: 'init' }] } },
  ...extra,
});
const lines = (causes: { field?: string; message?: string }[]) =>
  causes.map((c) => `${c.field}: ${c.message}`);

describe('podFailurePolicyCauses', () => {
  test('exit codes: values not 0 for In, unique, ordered; init containers are known', () => {
    const s = spec({
      podFailurePolicy: {
        rules: [
          {
            action: 'Count',
            onExitCodes: { containerName: 'init', operator: 'In', values: [2, 0, 2] },
          },
        ],
      },
    });
    expect(lines(podFailurePolicyCauses(s, 'p'))).toEqual([
      'p.rules[0].onExitCodes.values[1]: Invalid value: 0: must not be 0 for the In operator',
      'p.rules[0].onExitCodes.values[2]: Duplicate value: 2',
      'p.rules[0].onExitCodes.values: Invalid value: [2,0,2]: must be ordered',
    ]);
  });

  test('more than 20 rules are too many; FailIndex needs a per-index backoff limit', () => {
    const rule = { action: 'FailIndex', onPodConditions: [{ type: 'X', status: 'True' }] };
    const s = spec({ podFailurePolicy: { rules: Array.from({ length: 21 }, () => rule) } });
    const got = lines(podFailurePolicyCauses(s, 'p'));
    expect(got[0]).toBe('p.rules: Too many: 21: must have at most 20 items');
    expect(got[1]).toBe(
      'p.rules[0].action: Invalid value: "FailIndex": requires the backoffLimitPerIndex to be set',
    );
    expect(podFailurePolicyCauses({ ...s, backoffLimitPerIndex: 1 }, 'p')).toHaveLength(1);
  });

  test('quoted as the internal Go struct', () => {
    expect(
      goPodFailurePolicy({ rules: [{ action: 'Ignore', onPodConditions: [{ type: 'X' }] }] }),
    ).toEqual({
      Rules: [
        { Action: 'Ignore', OnExitCodes: null, OnPodConditions: [{ Type: 'X', Status: '' }] },
      ],
    });
  });
});

describe('successPolicyCauses', () => {
  test('needs Indexed; counts within the completions and the listed indexes', () => {
    const policy = { rules: [{ succeededIndexes: '0-2', succeededCount: 4 }] };
    expect(lines(successPolicyCauses({ successPolicy: policy }, 's'))).toEqual([
      's: Invalid value: {"Rules":[{"SucceededIndexes":"0-2","SucceededCount":4}]}: requires indexed completion mode',
    ]);
    const indexed = { completionMode: 'Indexed', completions: 3, successPolicy: policy };
    expect(lines(successPolicyCauses(indexed, 's'))).toEqual([
      's.rules[0].succeededCount: Invalid value: 4: must be less than or equal to 3 (the number of specified completions)',
      's.rules[0].succeededCount: Invalid value: 4: must be less than or equal to 3 (the number of indexes in the specified succeededIndexes field)',
    ]);
    expect(goSuccessPolicy({})).toEqual({ Rules: null });
  });
});
