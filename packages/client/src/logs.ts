/** Pod logs: the query of the `log` subresource, and a followed log read as lines. */
import { PassThrough, type Readable } from 'node:stream';
import type { CallOptions } from '@kube-ts/core';
import type { QueryParams } from './client-options.js';
import { TransportError } from './errors.js';
import { LineDecoder } from './line-decoder.js';

/** Options of `Api.logs`. */
export interface LogOptions extends CallOptions {
  /** The container (required when the Pod has more than one). */
  container?: string;
  /** Keep reading as the container writes: `logs` then gives an async iterable of lines. */
  follow?: boolean;
  /** Only lines of the last this many seconds. */
  sinceSeconds?: number;
  /** Only the last this many lines. */
  tailLines?: number;
  /** Prefix each line with its RFC 3339 timestamp. */
  timestamps?: boolean;
  /** The log of the previous (terminated) instance of the container. */
  previous?: boolean;
  /** Stop after this many bytes. */
  limitBytes?: number;
}

/** The query parameters of a `log` request. */
export function logQuery(o: LogOptions): QueryParams {
  return {
    container: o.container,
    follow: o.follow || undefined,
    sinceSeconds: o.sinceSeconds,
    tailLines: o.tailLines,
    timestamps: o.timestamps || undefined,
    previous: o.previous || undefined,
    limitBytes: o.limitBytes,
  };
}

/**
 * The lines of a followed log, without their newlines. The request is sent on the first
 * `next()`; the body is read only as fast as lines are taken (back-pressure: the socket is
 * not read while the consumer is busy). The iteration ends when the log ends, and quietly
 * when `signal` aborts (before or after the response started); `return()` (`break`) closes
 * the connection. A connection that breaks rejects with a `TransportError`.
 */
export async function* logLines(
  open: () => Promise<{ body: Readable; url: string }>,
  signal: AbortSignal | undefined,
): AsyncGenerator<string, void, undefined> {
  if (signal?.aborted) return;
  let res: Readable;
  let url: string;
  try {
    ({ body: res, url } = await open());
  } catch (err) {
    if (signal?.aborted) return;
    throw err;
  }
  const onAbort = () => res.destroy();
  signal?.addEventListener('abort', onAbort, { once: true });
  const lines = new LineDecoder();
  try {
    for await (const chunk of res) {
      for (const line of lines.push(chunk as Buffer)) yield line;
    }
    const rest = lines.end();
    if (rest !== undefined && rest !== '') yield rest;
  } catch (err) {
    if (signal?.aborted) return;
    throw new TransportError('GET', url, err, `the log stream broke: ${(err as Error).message}`);
  } finally {
    signal?.removeEventListener('abort', onAbort);
    res.destroy();
  }
}

/**
 * A log response body as a Readable of its bytes: piped with back-pressure (the socket is
 * not read while the Readable is full), ended quietly when `signal` aborts (the
 * connection closes, nothing reconnects), and closing the connection when the reader
 * destroys it. A connection that breaks destroys it with a `TransportError`.
 */
export function logStream(body: Readable, url: string, signal: AbortSignal | undefined): Readable {
  const out = new PassThrough();
  const onAbort = () => {
    body.unpipe(out);
    body.destroy();
    out.end();
  };
  body.pipe(out);
  body.once('error', (err) => {
    if (!signal?.aborted) {
      out.destroy(new TransportError('GET', url, err, `the log stream broke: ${err.message}`));
    }
  });
  out.once('close', () => {
    signal?.removeEventListener('abort', onAbort);
    body.destroy();
  });
  if (signal?.aborted) onAbort();
  else signal?.addEventListener('abort', onAbort, { once: true });
  return out;
}
