import { describe, expect, it } from 'vitest';
import type { JsonObject } from '../json.js';
import { finishedTime, PodBackoff, remainingBackoff } from './job-pod-backoff.js';

const T = Date.parse('2026-01-01T00:00:00Z');
const iso = (ms: number) => new Date(ms).toISOString();

/** A Pod `uid` created at T whose one container finished at `at` (if given). */
function pod(uid: string, at?: number, extra: JsonObject = {}): JsonObject {
  const state: JsonObject =
    at === undefined ? { running: {} } : { terminated: { finishedAt: iso(at) } };
  return {
    metadata: { uid, creationTimestamp: iso(T) },
    status: { containerStatuses: [{ name: 'app', state }], ...extra },
  };
}

describe('finishedTime', () => {
  it("reads the containers' finishedAt, then Ready turning False, then the deletion, then the creation", () => {
    expect(finishedTime(pod('a', T + 5000))).toBe(T + 5000);
    const ready = {
      conditions: [{ type: 'Ready', status: 'False', lastTransitionTime: iso(T + 7000) }],
    };
    expect(finishedTime(pod('a', undefined, ready))).toBe(T + 7000);
    const deleted = pod('a');
    Object.assign(deleted.metadata as JsonObject, {
      deletionTimestamp: iso(T + 9000),
      deletionGracePeriodSeconds: 2,
    });
    expect(finishedTime(deleted)).toBe(T + 7000);
    expect(finishedTime(pod('a'))).toBe(T);
  });
});

describe('PodBackoff', () => {
  it('waits 10 s after a failure, doubling with each failure since the last success', () => {
    const backoff = new PodBackoff();
    const one = backoff.next('job', [], [pod('a', T)]);
    expect(remainingBackoff(one, T + 4000)).toBe(6000);
    expect(remainingBackoff(one, T + 11_000)).toBe(0);
    backoff.save('job', one, []);
    const two = backoff.next('job', [], [pod('b', T + 1000)]);
    expect(two).toEqual({ failures: 2, lastFailure: T + 1000 });
    expect(remainingBackoff(two, T + 1000)).toBe(20_000);
    expect(remainingBackoff({ failures: 12, lastFailure: T }, T)).toBe(600_000);
  });

  it('keeps only failures after a new success', () => {
    const backoff = new PodBackoff();
    backoff.save('job', { failures: 3, lastFailure: T }, []);
    const done = pod('s', T + 5000);
    expect(backoff.next('job', [done], [pod('a', T + 4000)])).toEqual({ failures: 0 });
    const record = backoff.next('job', [done], [pod('a', T + 4000), pod('b', T + 6000)]);
    expect(record).toEqual({ failures: 1, lastFailure: T + 6000 });
    backoff.save('job', record, [done]);
    expect(
      backoff.unseen('job', [done, pod('t', T)]).map((p) => (p.metadata as JsonObject).uid),
    ).toEqual(['t']);
  });
});
