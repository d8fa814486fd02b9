/**
 * Reads one open watch for the driver. The watch arrives in batches (the events of one
 * network chunk); `read()` waits for the next batch and resolves with all of its events
 * (the driver steps them in one transition), the end of the stream, its failure,
 * `WatchSilent` when nothing arrived for `silenceMs`, or ABORTED when the watcher is
 * stopped. So the driver pays one promise and one step per chunk, not per event. Silence
 * is checked by one lazily re-armed timer per watch (not one per event).
 */
import type { WatchEvent } from '@kube-ts/client';
import type { KubeObject } from '@kube-ts/core';
import type { WatcherInput } from './state.js';

/** What `read()` resolves with when the watcher was stopped. */
export const ABORTED = Symbol('aborted');

type ReadResult<K extends KubeObject> =
  | Extract<WatcherInput<never>, { kind: 'WatchEnded' | 'WatchFailed' | 'WatchSilent' }>
  | { readonly kind: 'Events'; readonly events: readonly WatchEvent<K>[] }
  | typeof ABORTED;

/** One open watch, with silence detection. Closing it aborts the connection. */
export class WatchReader<K extends KubeObject> {
  private lastActivity = Date.now();
  private timer: ReturnType<typeof setTimeout> | undefined;
  private pending: ((result: ReadResult<K>) => void) | undefined;
  private closed = false;
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

  /** Waits for the next batch of events (or end, failure, silence, stop) of the watch. */
  read(): Promise<ReadResult<K>> {
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
        this.settle({ kind: 'Events', events: result.value }, false);
      },
      (error: unknown) => this.settle({ kind: 'WatchFailed', error }, true),
    );
  }

  /** Closes the connection; idempotent. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
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
