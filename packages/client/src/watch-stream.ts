/**
 * A watch response read as an async iterator of event batches, push-style: the response
 * is read in flowing mode, each chunk is decoded synchronously as it arrives
 * ({@link WatchBatchDecoder}), and its events are handed to a waiting `next()` at once or
 * queued. That is one promise per chunk between the socket and the consumer, instead of a
 * chain of async generators over the stream's own async iterator (several promises per
 * chunk), which matters on live watches where nearly every event is a chunk of its own.
 */
import { finished, type Readable } from 'node:stream';
import type { KubeObject } from '@kube-ts/core';
import { TransportError, WatchDecodeError } from './errors.js';
import { WatchBatchDecoder, type WatchEvent } from './watch-event.js';

/** Queued events at which reading pauses until the consumer has taken them all. */
const PAUSE_AT = 1024;

type Phase = 'idle' | 'opening' | 'open' | 'finished';

/**
 * The batches of one watch request. The request is sent on the first `next()`.
 *
 * - Each batch holds the events one chunk completed, in order; batches are never empty.
 * - Opening failures (e.g. the `ApiError` of a 410 response) reject `next()` as they are.
 *   A malformed line rejects with its `WatchDecodeError` after the events before it; a
 *   broken connection with a `TransportError` ("the watch connection broke").
 * - The iteration ends when the server ends the response, and quietly (queued events
 *   dropped) when `signal` aborts. `return()` (e.g. `break`) closes the connection.
 * - When more than {@link PAUSE_AT} events wait unread, the response is paused until
 *   the consumer has taken them (backpressure).
 */
export class WatchBatches<K extends KubeObject> implements AsyncIterableIterator<WatchEvent<K>[]> {
  private phase: Phase = 'idle';
  private res: Readable | undefined;
  private readonly queue: WatchEvent<K>[][] = [];
  private queued = 0;
  private paused = false;
  /** The failure to reject with once the queue is drained (`undefined`: a normal end). */
  private failure: unknown;
  private waiter:
    | {
        resolve: (r: IteratorResult<WatchEvent<K>[]>) => void;
        reject: (e: unknown) => void;
      }
    | undefined;
  private readonly decoder: WatchBatchDecoder<K>;
  private readonly onAbort = () => {
    this.queue.length = 0;
    this.queued = 0;
    this.finish(undefined);
  };

  /**
   * @param open sends the request; resolves with the 2xx response body
   * @param url the watch URL, named in errors
   * @param signal aborting it ends the iteration quietly and closes the connection
   */
  constructor(
    private readonly open: () => Promise<Readable>,
    private readonly url: string,
    private readonly signal: AbortSignal | undefined,
  ) {
    this.decoder = new WatchBatchDecoder<K>(url);
  }

  [Symbol.asyncIterator](): this {
    return this;
  }

  next(): Promise<IteratorResult<WatchEvent<K>[]>> {
    const batch = this.queue.shift();
    if (batch !== undefined) {
      this.queued -= batch.length;
      if (this.paused && this.queue.length === 0) {
        this.paused = false;
        this.res?.resume();
      }
      return Promise.resolve({ done: false, value: batch });
    }
    if (this.phase === 'finished') return this.ended();
    if (this.waiter !== undefined) {
      return Promise.reject(new Error('WatchBatches: next() called again before it settled'));
    }
    if (this.phase === 'idle') this.start();
    return new Promise((resolve, reject) => {
      if (this.phase === 'finished') this.ended().then(resolve, reject);
      else this.waiter = { resolve, reject };
    });
  }

  return(): Promise<IteratorResult<WatchEvent<K>[]>> {
    this.queue.length = 0;
    this.queued = 0;
    this.failure = undefined;
    this.finish(undefined);
    return Promise.resolve({ done: true, value: undefined });
  }

  private start(): void {
    if (this.signal?.aborted) {
      this.finish(undefined);
      return;
    }
    this.phase = 'opening';
    this.signal?.addEventListener('abort', this.onAbort, { once: true });
    this.open().then(
      (res) => {
        if (this.phase === 'finished') res.destroy();
        else this.attach(res);
      },
      (error: unknown) => this.finish(this.signal?.aborted ? undefined : error),
    );
  }

  private attach(res: Readable): void {
    this.res = res;
    this.phase = 'open';
    res.on('data', (chunk: Buffer) => {
      if (this.phase !== 'open') return;
      const { events, error } = this.decoder.push(chunk);
      if (events.length > 0) this.deliver(events);
      if (error) this.finish(error);
    });
    finished(res, (err) => {
      if (this.phase !== 'open') return;
      if (err) return this.finish(this.broken(err));
      const { events, error } = this.decoder.end();
      if (events.length > 0) this.deliver(events);
      this.finish(error);
    });
  }

  private broken(err: unknown): unknown {
    if (this.signal?.aborted) return undefined;
    if (err instanceof WatchDecodeError) return err;
    return new TransportError(
      'GET',
      this.url,
      err,
      `the watch connection broke: ${(err as Error).message}`,
    );
  }

  private deliver(events: WatchEvent<K>[]): void {
    const waiter = this.waiter;
    if (waiter !== undefined) {
      this.waiter = undefined;
      waiter.resolve({ done: false, value: events });
      return;
    }
    this.queue.push(events);
    this.queued += events.length;
    if (!this.paused && this.queued >= PAUSE_AT) {
      this.paused = true;
      this.res?.pause();
    }
  }

  /** No more batches will come: `error` (if any) is thrown after the queued ones. */
  private finish(error: unknown): void {
    if (this.phase === 'finished') return;
    this.phase = 'finished';
    this.failure = error;
    this.signal?.removeEventListener('abort', this.onAbort);
    this.res?.destroy();
    const waiter = this.waiter;
    if (waiter !== undefined && this.queue.length === 0) {
      this.waiter = undefined;
      this.ended().then(waiter.resolve, waiter.reject);
    }
  }

  /** The end of the iteration: the failure once, then done. */
  private ended(): Promise<IteratorResult<WatchEvent<K>[]>> {
    const failure = this.failure;
    if (failure !== undefined) {
      this.failure = undefined;
      return Promise.reject(failure);
    }
    return Promise.resolve({ done: true, value: undefined });
  }
}
