import { ApiError } from '@kube-ts/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { cutAt } from './cut.test.util.js';
import { WatchDecodeError } from './errors.js';
import { decodeWatchBatches, decodeWatchStream, type WatchEvent } from './watch-event.js';

const events: WatchEvent[] = [
  { type: 'ADDED', object: { kind: 'ConfigMap', metadata: { name: 'a', resourceVersion: '1' } } },
  {
    type: 'MODIFIED',
    object: { kind: 'ConfigMap', metadata: { name: 'ä😀', resourceVersion: '2' } },
  },
  { type: 'BOOKMARK', object: { kind: 'ConfigMap', metadata: { resourceVersion: '3' } } },
  { type: 'DELETED', object: { kind: 'ConfigMap', metadata: { name: 'a', resourceVersion: '4' } } },
  { type: 'ERROR', object: { kind: 'Status', code: 410, reason: 'Expired' } },
];
const stream = Buffer.from(events.map((e) => `${JSON.stringify(e)}\n`).join(''));

async function* chunks(...parts: (Buffer | string)[]): AsyncGenerator<Buffer> {
  for (const p of parts) yield Buffer.from(p);
}

async function collect(body: AsyncIterable<Buffer>): Promise<WatchEvent[]> {
  const out: WatchEvent[] = [];
  for await (const e of decodeWatchStream(body, 'http://x/watch')) out.push(e);
  return out;
}

describe('decodeWatchStream', () => {
  it('decodes every event type, ERROR included, for any chunking (property)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.nat({ max: stream.length }), { maxLength: 20 }),
        async (cuts) => {
          const parts = cutAt(stream, cuts);
          expect(await collect(chunks(...parts))).toEqual(events);
        },
      ),
    );
  });

  it('skips blank lines', async () => {
    expect(await collect(chunks('\n', `${JSON.stringify(events[0])}\n\n`))).toEqual([events[0]]);
  });

  it('yields a complete last event that lacks the final newline', async () => {
    expect(await collect(chunks(JSON.stringify(events[0])))).toEqual([events[0]]);
  });

  it('throws a WatchDecodeError for a stream cut mid-event, after the complete events', async () => {
    const text = stream.toString();
    const cut = text.slice(0, text.length - 10);
    const got: WatchEvent[] = [];
    const err = await (async () => {
      for await (const e of decodeWatchStream(chunks(cut), 'http://x/watch')) got.push(e);
    })().catch((e: unknown) => e);
    expect(got).toEqual(events.slice(0, 4));
    expect(err).toBeInstanceOf(WatchDecodeError);
    expect(ApiError.is(err)).toBe(true);
    expect((err as ApiError).code).toBe(500);
    expect((err as ApiError).reason).toBe('InternalError');
    expect((err as Error).message).toMatch(/stream ended in the middle of an event/);
  });

  it('throws for a line that is not JSON, without echoing its content', async () => {
    const err = (await collect(
      chunks('{"type":"ADDED","object":{"data":{"password":"hunter2"\n'),
    ).catch((e: unknown) => e)) as Error;
    expect(err).toBeInstanceOf(WatchDecodeError);
    expect(err.message).toMatch(/not JSON/);
    expect(err.message).not.toContain('hunter2');
  });

  it.each([
    ['an unknown type', '{"type":"UPSERT","object":{}}'],
    ['no object', '{"type":"ADDED"}'],
    ['a non-object', '[1,2]'],
  ])('throws for JSON that is not an event: %s', async (_n, line) => {
    await expect(collect(chunks(`${line}\n`))).rejects.toThrow(/not a watch event/);
  });
});

describe('decodeWatchBatches', () => {
  async function batches(body: AsyncIterable<Buffer>): Promise<WatchEvent[][]> {
    const out: WatchEvent[][] = [];
    for await (const b of decodeWatchBatches(body, 'http://x/watch')) out.push(b);
    return out;
  }

  it('yields the events each chunk completes as one non-empty batch, for any chunking (property)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.nat({ max: stream.length }), { maxLength: 20 }),
        async (cuts) => {
          const parts = cutAt(stream, cuts);
          const got = await batches(chunks(...parts));
          expect(got.flat()).toEqual(events);
          for (const b of got) expect(b.length).toBeGreaterThan(0);
          // Each chunk that ends one or more lines gives exactly one batch.
          let newlines = 0;
          for (const part of parts) if (part.includes(0x0a)) newlines++;
          expect(got.length).toBe(newlines);
        },
      ),
    );
  });

  it('one chunk with every event gives one batch', async () => {
    expect(await batches(chunks(stream))).toEqual([events]);
  });

  it('a malformed line: the events before it in the same chunk come first, then the error', async () => {
    const good = `${JSON.stringify(events[0])}\n${JSON.stringify(events[1])}\n`;
    const got: WatchEvent[][] = [];
    const err = await (async () => {
      for await (const b of decodeWatchBatches(
        chunks(`${good}{oops\n${JSON.stringify(events[2])}\n`),
        'u',
      ))
        got.push(b);
    })().catch((e: unknown) => e);
    expect(got).toEqual([[events[0], events[1]]]);
    expect(err).toBeInstanceOf(WatchDecodeError);
  });
});
