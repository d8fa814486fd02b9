import { PassThrough } from 'node:stream';
import { ApiError, type KubeObject } from '@kube-ts/core';
import { describe, expect, it, vi } from 'vitest';
import { TransportError, WatchDecodeError } from './errors.js';
import type { WatchEvent } from './watch-event.js';
import { WatchBatches } from './watch-stream.js';

const line = (name: string) =>
  `${JSON.stringify({ type: 'ADDED', object: { metadata: { name } } })}\n`;
const names = (batch: WatchEvent[]) =>
  batch.map((e) => (e.type === 'ERROR' ? '' : (e.object.metadata?.name ?? '')));

function stream(signal?: AbortSignal) {
  const body = new PassThrough();
  const open = vi.fn(() => Promise.resolve(body));
  return { body, open, batches: new WatchBatches<KubeObject>(open, 'http://x/watch', signal) };
}

describe('WatchBatches', () => {
  it('sends the request on the first next(), one batch per chunk, done at the end', async () => {
    const { body, open, batches } = stream();
    expect(open).not.toHaveBeenCalled();
    const first = batches.next();
    expect(open).toHaveBeenCalledTimes(1);
    body.write(line('a') + line('b'));
    expect(await first).toEqual({ done: false, value: [expect.anything(), expect.anything()] });
    body.write(line('c').slice(0, 10));
    body.end(line('c').slice(10));
    const second = await batches.next();
    expect(second.done ? [] : names(second.value)).toEqual(['c']);
    expect(await batches.next()).toEqual({ done: true, value: undefined });
  });

  it('pauses the response while many events wait unread, and resumes once they are taken', async () => {
    const { body, batches } = stream();
    const pending = batches.next();
    await new Promise((r) => setImmediate(r));
    const chunk = Array.from({ length: 600 }, (_, i) => line(`o${i}`)).join('');
    body.write(chunk); // taken by the pending next()
    body.write(chunk);
    body.write(chunk);
    await new Promise((r) => setImmediate(r));
    const first = await pending;
    expect(first.done ? 0 : first.value.length).toBe(600);
    expect(body.isPaused()).toBe(true);
    let taken = 0;
    for (let i = 0; i < 2; i++) {
      const r = await batches.next();
      if (!r.done) taken += r.value.length;
    }
    expect(taken).toBe(1200);
    expect(body.isPaused()).toBe(false);
    await batches.return();
  });

  it('a malformed line: the events before it, then its WatchDecodeError', async () => {
    const { body, batches } = stream();
    const first = batches.next();
    body.write(`${line('a')}{oops\n${line('b')}`);
    const r = await first;
    expect(r.done ? [] : names(r.value)).toEqual(['a']);
    await expect(batches.next()).rejects.toBeInstanceOf(WatchDecodeError);
    expect(body.destroyed).toBe(true);
    expect(await batches.next()).toEqual({ done: true, value: undefined });
  });

  it('a broken connection is a TransportError, after the queued batches', async () => {
    const { body, batches } = stream();
    const first = batches.next();
    body.write(line('a'));
    await first;
    body.write(line('b'));
    await new Promise((r) => setImmediate(r));
    body.destroy(Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }));
    await new Promise((r) => setImmediate(r));
    const queued = await batches.next();
    expect(queued.done ? [] : names(queued.value)).toEqual(['b']);
    const err = await batches.next().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TransportError);
    expect((err as Error).message).toMatch(/the watch connection broke: socket hang up/);
  });

  it('an opening failure rejects as it is', async () => {
    const gone = new ApiError({ kind: 'Status', code: 410, reason: 'Expired', message: 'old' });
    const batches = new WatchBatches<KubeObject>(() => Promise.reject(gone), 'u', undefined);
    await expect(batches.next()).rejects.toBe(gone);
  });

  it('aborting ends quietly, drops what is queued and closes the response', async () => {
    const ac = new AbortController();
    const { body, batches } = stream(ac.signal);
    const first = batches.next();
    body.write(line('a'));
    await first;
    body.write(line('b'));
    await new Promise((r) => setImmediate(r));
    ac.abort();
    expect(await batches.next()).toEqual({ done: true, value: undefined });
    expect(body.destroyed).toBe(true);
  });

  it('aborted while opening: ends quietly, and the late response is closed', async () => {
    const ac = new AbortController();
    const body = new PassThrough();
    let respond!: (b: PassThrough) => void;
    const batches = new WatchBatches<KubeObject>(
      () => new Promise((r) => (respond = r)),
      'u',
      ac.signal,
    );
    const pending = batches.next();
    ac.abort();
    expect(await pending).toEqual({ done: true, value: undefined });
    respond(body);
    await new Promise((r) => setImmediate(r));
    expect(body.destroyed).toBe(true);
  });

  it('return() closes the response', async () => {
    const { body, batches } = stream();
    const first = batches.next();
    body.write(line('a'));
    await first;
    expect(await batches.return()).toEqual({ done: true, value: undefined });
    expect(body.destroyed).toBe(true);
    expect(await batches.next()).toEqual({ done: true, value: undefined });
  });
});
