import { ApiError } from '@kube-ts/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { cutAt } from './cut.test-helper.js';
import { WatchDecodeError } from './errors.js';
import { WatchBatchDecoder, type WatchEvent } from './watch-event.js';

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

/** Feeds the chunks to a decoder: the non-empty batches, and the error that ended decoding. */
function decode(...parts: (Buffer | string)[]): { batches: WatchEvent[][]; error?: Error } {
  const decoder = new WatchBatchDecoder('http://x/watch');
  const batches: WatchEvent[][] = [];
  for (const part of [...parts.map((p) => Buffer.from(p)), undefined]) {
    const { events, error } = part === undefined ? decoder.end() : decoder.push(part);
    if (events.length > 0) batches.push(events);
    if (error) return { batches, error };
  }
  return { batches };
}

function collect(...parts: (Buffer | string)[]): WatchEvent[] {
  const { batches, error } = decode(...parts);
  if (error) throw error;
  return batches.flat();
}

describe('WatchBatchDecoder: events', () => {
  it('an ERROR event whose object is not a Status is a WatchDecodeError that says so', () => {
    const line = `${JSON.stringify({ type: 'ERROR', object: { message: 'x', secretish: 'y' } })}\n`;
    const { error } = decode(line);
    expect(error).toBeInstanceOf(WatchDecodeError);
    expect(error?.message).toMatch(/an ERROR event carries an object without kind, not a Status/);
    expect(error?.message).not.toContain('[object Object]');
    expect(error?.message).not.toContain('secretish');
  });

  it('decodes every event type, ERROR included, for any chunking (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.nat({ max: stream.length }), { maxLength: 20 }), (cuts) => {
        const parts = cutAt(stream, cuts);
        expect(collect(...parts)).toEqual(events);
      }),
    );
  });

  it('skips blank lines', () => {
    expect(collect('\n', `${JSON.stringify(events[0])}\n\n`)).toEqual([events[0]]);
  });

  it('yields a complete last event that lacks the final newline', () => {
    expect(collect(JSON.stringify(events[0]))).toEqual([events[0]]);
  });

  it('throws a WatchDecodeError for a stream cut mid-event, after the complete events', () => {
    const text = stream.toString();
    const cut = text.slice(0, text.length - 10);
    const { batches, error: err } = decode(cut);
    expect(batches.flat()).toEqual(events.slice(0, 4));
    expect(err).toBeInstanceOf(WatchDecodeError);
    expect(ApiError.is(err)).toBe(true);
    expect((err as ApiError).code).toBe(500);
    expect((err as ApiError).reason).toBe('InternalError');
    expect((err as Error).message).toMatch(/stream ended in the middle of an event/);
  });

  it('throws for a line that is not JSON, without echoing its content', () => {
    const { error: err } = decode('{"type":"ADDED","object":{"data":{"password":"hunter2"\n');
    expect(err).toBeInstanceOf(WatchDecodeError);
    expect(err?.message).toMatch(/not JSON/);
    expect(err?.message).not.toContain('hunter2');
  });

  it.each([
    ['an unknown type', '{"type":"UPSERT","object":{}}'],
    ['no object', '{"type":"ADDED"}'],
    ['a non-object', '[1,2]'],
  ])('throws for JSON that is not an event: %s', (_n, line) => {
    expect(() => collect(`${line}\n`)).toThrow(/not a watch event/);
  });
});

describe('WatchBatchDecoder: batches', () => {
  it('yields the events each chunk completes as one non-empty batch, for any chunking (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.nat({ max: stream.length }), { maxLength: 20 }), (cuts) => {
        const parts = cutAt(stream, cuts);
        const { batches: got, error } = decode(...parts);
        expect(error).toBeUndefined();
        expect(got.flat()).toEqual(events);
        for (const b of got) expect(b.length).toBeGreaterThan(0);
        // Each chunk that ends one or more lines gives exactly one batch.
        let newlines = 0;
        for (const part of parts) if (part.includes(0x0a)) newlines++;
        expect(got.length).toBe(newlines);
      }),
    );
  });

  it('one chunk with every event gives one batch', () => {
    expect(decode(stream).batches).toEqual([events]);
  });

  it('a malformed line: the events before it in the same chunk come first, then the error', () => {
    const good = `${JSON.stringify(events[0])}\n${JSON.stringify(events[1])}\n`;
    const { batches: got, error: err } = decode(`${good}{oops\n${JSON.stringify(events[2])}\n`);
    expect(got).toEqual([[events[0], events[1]]]);
    expect(err).toBeInstanceOf(WatchDecodeError);
  });
});
