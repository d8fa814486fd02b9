import { describe, expect, test } from 'vitest';
import type { JsonObject } from '../json.js';
import { jobStatusCauses } from './job-status.js';

const job = (status: JsonObject, spec: JsonObject = {}): JsonObject => ({
  spec: { completions: 2, parallelism: 2, ...spec },
  status,
});
const fields = (next: JsonObject, prev: JsonObject) =>
  jobStatusCauses(next, prev).map((c) => `${c.field}: ${c.message}`);

describe('jobStatusCauses', () => {
  test('a finished Job needs its start time and no active pods', () => {
    const complete = [
      { type: 'SuccessCriteriaMet', status: 'True' },
      { type: 'Complete', status: 'True' },
    ];
    expect(
      fields(
        job({ active: 1, completionTime: '2024-01-01T00:00:00Z', conditions: complete }),
        job({}),
      ),
    ).toEqual([
      'status.active: Invalid value: 1: active>0 is invalid for finished job',
      'status.startTime: Required value: startTime is required for finished job',
    ]);
  });

  test('counters do not go down and a set start time stays while running', () => {
    const prev = job({ startTime: '2024-01-01T00:00:00Z', failed: 2, succeeded: 1 });
    expect(
      fields(job({ startTime: '2024-01-02T00:00:00Z', failed: 1, succeeded: 0 }), prev),
    ).toEqual([
      'status.failed: Invalid value: 1: cannot decrease the failed counter',
      'status.succeeded: Invalid value: 0: cannot decrease the succeeded counter',
      'status.startTime: Invalid value: "2024-01-02T00:00:00Z": field is immutable for unsuspended job once set',
    ]);
  });

  test('checks only what changed: an unchanged bad list is left alone', () => {
    const prev = job({ completedIndexes: '5' }, { completionMode: 'Indexed' });
    expect(fields(structuredClone(prev), prev)).toEqual([]);
  });
});
