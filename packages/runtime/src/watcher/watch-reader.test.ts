import type { KubeObject } from '@kube-ts/core';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { FakeWatch } from './fake-source.test-helper.js';
import { ABORTED, WatchReader } from './watch-reader.js';

describe('WatchReader (virtual time)', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  function open(silenceMs: number) {
    const stop = new AbortController();
    const connection = new AbortController();
    const watch = new FakeWatch<KubeObject>({ signal: connection.signal });
    const reader = new WatchReader(watch.batches(), connection, silenceMs, stop.signal);
    return { stop, connection, watch, reader };
  }

  it('silence counts from the last event, and closes the connection', async () => {
    const { watch, reader, connection } = open(1000);
    const first = reader.read();
    await vi.advanceTimersByTimeAsync(600);
    watch.push({ type: 'ADDED', object: { metadata: { name: 'a' } } });
    expect(await first).toMatchObject({ kind: 'Events' });
    const second = reader.read();
    let result: unknown;
    void second.then((r) => {
      result = r;
    });
    await vi.advanceTimersByTimeAsync(999);
    expect(result).toBeUndefined();
    await vi.advanceTimersByTimeAsync(1);
    expect(result).toEqual({ kind: 'WatchSilent', silentMs: 1000 });
    expect(connection.signal.aborted).toBe(true);
  });

  it('time spent by the consumer between reads is not silence', async () => {
    const { watch, reader } = open(1000);
    watch.push({ type: 'ADDED', object: { metadata: { name: 'a' } } });
    expect(await reader.read()).toMatchObject({ kind: 'Events' });
    await vi.advanceTimersByTimeAsync(5000);
    const next = reader.read();
    watch.push({ type: 'ADDED', object: { metadata: { name: 'b' } } });
    expect(await next).toMatchObject({ kind: 'Events' });
    // …and silence is still detected afterwards.
    const silent = reader.read();
    await vi.advanceTimersByTimeAsync(1000);
    expect(await silent).toEqual({ kind: 'WatchSilent', silentMs: 1000 });
  });

  it('stopping resolves a pending read with ABORTED; the end and failures close the connection', async () => {
    const a = open(1000);
    const pending = a.reader.read();
    a.stop.abort();
    expect(await pending).toBe(ABORTED);

    const b = open(1000);
    b.watch.end();
    expect(await b.reader.read()).toEqual({ kind: 'WatchEnded' });
    expect(b.connection.signal.aborted).toBe(true);
    expect(await b.reader.read()).toEqual({ kind: 'WatchEnded' });

    const c = open(1000);
    const boom = new Error('reset');
    c.watch.fail(boom);
    expect(await c.reader.read()).toEqual({ kind: 'WatchFailed', error: boom });
    expect(c.connection.signal.aborted).toBe(true);
  });

  it('hands out each batch whole, in order, skipping empty ones', async () => {
    const { watch, reader } = open(1000);
    const ev = (name: string) => ({ type: 'ADDED' as const, object: { metadata: { name } } });
    watch.pushBatch([ev('a'), ev('b'), ev('c')]);
    watch.pushBatch([]);
    watch.pushBatch([ev('d')]);
    expect(await reader.read()).toEqual({ kind: 'Events', events: [ev('a'), ev('b'), ev('c')] });
    expect(await reader.read()).toEqual({ kind: 'Events', events: [ev('d')] });
  });

  it('after close() nothing more is handed out', async () => {
    const { watch, reader, connection } = open(1000);
    const ev = (name: string) => ({ type: 'ADDED' as const, object: { metadata: { name } } });
    watch.pushBatch([ev('a')]);
    expect(await reader.read()).toEqual({ kind: 'Events', events: [ev('a')] });
    watch.pushBatch([ev('b')]);
    reader.close();
    expect(connection.signal.aborted).toBe(true);
    expect(await reader.read()).toEqual({ kind: 'WatchEnded' });
  });
});
