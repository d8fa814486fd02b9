import { ApiError, type KubeObject } from '@kube-ts/core';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { exponentialBackoff } from './backoff.js';
import type { WatcherEvent } from './events.js';
import { FakeSource } from './fake-source.test-helper.js';
import { MAX_RETRY_AFTER_MS } from './retry-after.js';
import { watcher } from './watcher.js';

function obj(name: string, rv: string): KubeObject {
  return { metadata: { name, namespace: 'ns', resourceVersion: rv } };
}

function tooManyRequests(retryAfterSeconds: number): ApiError {
  return new ApiError({
    kind: 'Status',
    status: 'Failure',
    code: 429,
    reason: 'TooManyRequests',
    message: 'slow down',
    details: { retryAfterSeconds },
  });
}

describe('watcher retries (virtual time)', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  function subscribe(source: FakeSource<KubeObject>) {
    const events: WatcherEvent<KubeObject>[] = [];
    const sub = watcher(source, {
      timeoutSeconds: 300,
      // The default policy's numbers with the jitter drawn at its midpoint.
      backoff: () => exponentialBackoff({ random: () => 0.5 }),
    }).subscribe((e) => events.push(e));
    return { events, sub };
  }

  it('a watch that delivered events before it ended is progress: the backoff starts over', async () => {
    const source = new FakeSource<KubeObject>();
    const { sub } = subscribe(source);
    source.answerList({ items: [], metadata: { resourceVersion: '1' } });
    await vi.advanceTimersByTimeAsync(0);
    // Ten watches in a row each deliver a change, then their connection is reset.
    for (let i = 0; i < 10; i++) {
      const watch = source.current;
      watch.push({ type: 'MODIFIED', object: obj('a', String(i + 2)) });
      watch.fail(Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }));
      await vi.advanceTimersByTimeAsync(0);
      // 800 ms × 1.5 (the jitter's midpoint): never more, however many drops came before.
      await vi.advanceTimersByTimeAsync(1_199);
      expect(source.watches).toHaveLength(i + 1);
      await vi.advanceTimersByTimeAsync(1);
      expect(source.watches).toHaveLength(i + 2);
    }
    sub.unsubscribe();
  });

  it('a watch that delivered and then ended (the server ended it: its timeout) is reopened at once', async () => {
    const source = new FakeSource<KubeObject>();
    const { events, sub } = subscribe(source);
    source.answerList({ items: [], metadata: { resourceVersion: '1' } });
    await vi.advanceTimersByTimeAsync(0);
    for (let i = 0; i < 3; i++) {
      const watch = source.current;
      watch.push({ type: 'BOOKMARK', object: { metadata: { resourceVersion: String(i + 2) } } });
      watch.end();
      // No timer runs: the next watch is opened on the same turn, from the bookmark's rv.
      await vi.advanceTimersByTimeAsync(0);
      expect(source.watches).toHaveLength(i + 2);
      expect(source.current.params.resourceVersion).toBe(String(i + 2));
    }
    // A watch that ends with nothing delivered waits the backoff (1.2 s at the midpoint).
    source.current.end();
    await vi.advanceTimersByTimeAsync(1_199);
    expect(source.watches).toHaveLength(4);
    await vi.advanceTimersByTimeAsync(1);
    expect(source.watches).toHaveLength(5);
    expect(events.filter((e) => e.type === 'Error')).toEqual([]);
    sub.unsubscribe();
  });

  it('a watch that ends without delivering anything keeps backing off', async () => {
    const source = new FakeSource<KubeObject>();
    const { sub } = subscribe(source);
    source.answerList({ items: [], metadata: { resourceVersion: '1' } });
    await vi.advanceTimersByTimeAsync(0);
    const opened: number[] = [];
    for (let i = 0; i < 4; i++) {
      const watches = source.watches.length;
      source.current.fail(Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }));
      const failedAt = Date.now();
      await vi.waitFor(
        async () => {
          await vi.advanceTimersByTimeAsync(100);
          expect(source.watches.length).toBe(watches + 1);
        },
        { timeout: 60_000, interval: 0 },
      );
      opened.push(Date.now() - failedAt);
    }
    // 1.2 s, 2.4 s, 4.8 s, 9.6 s (rounded up to the 100 ms steps of this test)
    expect(opened).toEqual([1_200, 2_400, 4_800, 9_600]);
    sub.unsubscribe();
  });

  it("honours the server's Retry-After (429) before the next list, capped at MAX_RETRY_AFTER_MS", async () => {
    const source = new FakeSource<KubeObject>();
    const { events, sub } = subscribe(source);
    source.answerList({ error: tooManyRequests(20) });
    await vi.advanceTimersByTimeAsync(0);
    expect(events.at(-1)).toMatchObject({ type: 'Error', error: { recovery: 'relist' } });
    await vi.advanceTimersByTimeAsync(19_999);
    expect(source.lists).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(source.lists).toHaveLength(2);
    // A server asking for an hour of quiet gets the documented maximum.
    source.answerList({ error: tooManyRequests(3_600) });
    await vi.advanceTimersByTimeAsync(0);
    await vi.advanceTimersByTimeAsync(MAX_RETRY_AFTER_MS - 1);
    expect(source.lists).toHaveLength(2);
    await vi.advanceTimersByTimeAsync(1);
    expect(source.lists).toHaveLength(3);
    sub.unsubscribe();
  });

  it("honours Retry-After of a failed watch (503) and of a watch ERROR event's Status", async () => {
    const source = new FakeSource<KubeObject>();
    const { sub } = subscribe(source);
    source.answerList({ items: [], metadata: { resourceVersion: '1' } });
    await vi.advanceTimersByTimeAsync(0);
    source.current.fail(
      new ApiError({ code: 503, reason: 'ServiceUnavailable', details: { retryAfterSeconds: 7 } }),
    );
    await vi.advanceTimersByTimeAsync(6_999);
    expect(source.watches).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(source.watches).toHaveLength(2);
    source.current.push({
      type: 'ERROR',
      object: { kind: 'Status', code: 429, details: { retryAfterSeconds: 5 } },
    });
    await vi.advanceTimersByTimeAsync(4_999);
    expect(source.watches).toHaveLength(2);
    await vi.advanceTimersByTimeAsync(1);
    expect(source.watches).toHaveLength(3);
    sub.unsubscribe();
  });
});
