/**
 * Reads one open watch for the driver. The watch arrives in batches (the events of one
 * network chunk); `take()` hands out the events already received without waiting, and
 * `read()` waits for the next batch and resolves with its first event, the end of the
 * stream, its failure, `WatchSilent` when nothing arrived for `silenceMs`, or ABORTED when
 * the watcher is stopped. So the driver pays one promise per chunk, not per event.
 * Silence is checked by one lazily re-armed timer per watch (not one per event).
 */
import type { WatchEvent } from '@kube-ts/client';
import type { KubeObject } from '@kube-ts/core';
import type { WatcherInput } from './state.js';

/** What `read()` resolves with when the watcher was stopped. */
export const ABORTED = Symbol('aborted');

type ReadResult<K extends KubeObject> =
  | Extract<WatcherInput<never>, { kind: 'WatchEnded' | 'WatchFailed' | 'WatchSilent' }>
  | { readonly kind: 'Event'; readonly event: WatchEvent<K> }
  | typeof ABORTED;

const NOTHING: readonly never[] = [];

/** One open watch, with silence detection. Closing it aborts the connection. */
export class WatchReader<K extends KubeObject> {
  private lastActivity = Date.now();
  private timer: ReturnType<typeof setTimeout> | undefined;
  private pending: ((result: ReadResult<K>) => void) | undefined;
  private closed = false;
  /** The batch being handed out, and the index of its next event. */
  private batch: readonly WatchEvent<K>[] = NOTHING;
  private index = 0;
  private readonly onAbort = () => this.settle(ABORTED, false);

  /**
   * @param iterator the watch's events, in batches
   * @param connection aborting it closes the HTTP connection
   * @param silenceMs how long the watch may send nothing before it counts as dead
   * @param signal the watcher's stop signal
   */
  constructor(
    private readonly iterator: AsyncIterator<readonly WatchEvent<K>[]>,
    private readonly connection: AbortController,
    readonly silenceMs: number,
    private readonly signal: AbortSignal,
  ) {
    signal.addEventListener('abort', this.onAbort, { once: true });
    this.arm(silenceMs);
  }

  /**
   * The next event already received, or `undefined` when none is left (then `read()`
   * waits for more). Nothing is handed out after `close()`.
   */
  take(): WatchEvent<K> | undefined {
    if (this.index >= this.batch.length) return undefined;
    const event = this.batch[this.index++];
    if (this.index === this.batch.length) this.batch = NOTHING;
    return event;
  }

  /** Waits for the next event (or end, failure, silence, stop) of the watch. */
  read(): Promise<ReadResult<K>> {
    const ready = this.take();
    if (ready !== undefined) return Promise.resolve({ kind: 'Event', event: ready });
    if (this.signal.aborted) return Promise.resolve(ABORTED);
    if (this.closed) return Promise.resolve({ kind: 'WatchEnded' });
    this.lastActivity = Date.now();
    return new Promise((resolve) => {
      this.pending = resolve;
      this.pull();
    });
  }

  /** Asks the iterator for the next batch; skips empty batches. */
  private pull(): void {
    let next: Promise<IteratorResult<readonly WatchEvent<K>[]>>;
    try {
      next = this.iterator.next();
    } catch (error) {
      next = Promise.reject(error);
    }
    next.then(
      (result) => {
        this.lastActivity = Date.now();
        if (result.done) return this.settle({ kind: 'WatchEnded' }, true);
        if (this.closed || this.pending === undefined) return;
        if (result.value.length === 0) return this.pull();
        this.batch = result.value;
        this.index = 1;
        if (this.index === this.batch.length) this.batch = NOTHING;
        this.settle({ kind: 'Event', event: result.value[0] as WatchEvent<K> }, false);
      },
      (error: unknown) => this.settle({ kind: 'WatchFailed', error }, true),
    );
  }

  /** Closes the connection and drops the events not handed out yet; idempotent. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.batch = NOTHING;
    this.index = 0;
    clearTimeout(this.timer);
    this.signal.removeEventListener('abort', this.onAbort);
    this.connection.abort();
    try {
      this.iterator.return?.().catch(() => {});
    } catch {
      // the connection is being closed anyway
    }
  }

  private arm(ms: number): void {
    this.timer = setTimeout(() => {
      this.timer = undefined;
      if (this.closed) return;
      const idle = Date.now() - this.lastActivity;
      if (idle < this.silenceMs) this.arm(this.silenceMs - idle);
      else if (this.pending !== undefined) {
        this.settle({ kind: 'WatchSilent', silentMs: this.silenceMs }, true);
      } else {
        // No read pending: the consumer is busy, which is not silence. `read()` restarts
        // the clock; check again a full period later.
        this.arm(this.silenceMs);
      }
    }, ms);
  }

  private settle(result: ReadResult<K>, closeAfter: boolean): void {
    const resolve = this.pending;
    if (resolve === undefined) return;
    this.pending = undefined;
    if (closeAfter) this.close();
    resolve(result);
  }
}
