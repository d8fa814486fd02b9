import { describe, expect, it } from 'vitest';
import type { JsonObject } from '../json.js';
import {
  failsIndex,
  failureCountAnnotations,
  lastFailedPerIndex,
  remainingIndexBackoff,
} from './job-index-failures.js';

const COUNT = 'batch.kubernetes.io/job-index-failure-count';
const IGNORED = 'batch.kubernetes.io/job-index-ignored-failure-count';

/** A failed Pod of `index` with `count` failures before it, finished at `at`. */
function failed(name: string, index: string, count: string, at: string, code = 1): JsonObject {
  return {
    metadata: {
      name,
      namespace: 'ns',
      annotations: { 'batch.kubernetes.io/job-completion-index': index, [COUNT]: count },
    },
    status: {
      phase: 'Failed',
      containerStatuses: [
        { name: 'app', state: { terminated: { exitCode: code, finishedAt: at } } },
      ],
    },
  };
}

const policy = (action: string): JsonObject => ({
  podFailurePolicy: { rules: [{ action, onExitCodes: { operator: 'In', values: [42] } }] },
});

describe('backoffLimitPerIndex', () => {
  it('fails an index once a counted failure finds the limit reached, or on FailIndex', () => {
    const at = '2026-01-01T00:00:00Z';
    expect(failsIndex({}, failed('a', '0', '0', at), 1)).toBe(false);
    expect(failsIndex({}, failed('a', '0', '1', at), 1)).toBe(true);
    expect(failsIndex(policy('FailIndex'), failed('a', '0', '0', at, 42), 3)).toBe(true);
    expect(failsIndex(policy('Ignore'), failed('a', '0', '5', at, 42), 1)).toBe(false);
  });

  it("gives a replacement the failed Pod's counts, one more", () => {
    const at = '2026-01-01T00:00:00Z';
    expect(failureCountAnnotations({}, undefined)).toEqual({ [COUNT]: '0' });
    expect(failureCountAnnotations({}, failed('a', '0', '2', at))).toEqual({ [COUNT]: '3' });
    expect(failureCountAnnotations(policy('Ignore'), failed('a', '0', '2', at, 42))).toEqual({
      [COUNT]: '2',
      [IGNORED]: '1',
    });
  });

  it('waits 10 s doubling with the index failures since its last failed Pod finished', () => {
    const at = '2026-01-01T00:00:00Z';
    const t = Date.parse(at);
    expect(remainingIndexBackoff(undefined, t)).toBe(0);
    expect(remainingIndexBackoff(failed('a', '0', '0', at), t + 4000)).toBe(6000);
    expect(remainingIndexBackoff(failed('a', '0', '1', at), t + 4000)).toBe(16_000);
  });

  it("keeps each free index's last failed Pod", () => {
    const pods = [
      failed('old', '0', '0', '2026-01-01T00:00:00Z'),
      failed('new', '0', '1', '2026-01-01T00:00:05Z'),
      failed('taken', '1', '0', '2026-01-01T00:00:00Z'),
    ];
    const kept = lastFailedPerIndex(pods, new Set([1]));
    expect([...kept].map(([i, p]) => [i, (p.metadata as JsonObject).name])).toEqual([[0, 'new']]);
  });
});
