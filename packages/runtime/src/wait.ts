/** `awaitCondition(api, name, condition, { timeoutMs })`: wait for one object to reach a state. */
import type { KubeObject } from '@kube-ts/core';
import { filter, type Observable, take, timeout } from 'rxjs';
import type { Condition } from './conditions.js';
import type { WatchSource } from './watcher/source.js';
import { watchObject } from './watcher/watch-object.js';

/** Options of {@link awaitCondition}. */
export interface AwaitConditionOptions {
  /** Give up after this many milliseconds with an {@link AwaitConditionTimeoutError}. Default: wait forever. */
  readonly timeoutMs?: number;
  /** Aborting it stops the wait; the promise rejects with the signal's reason. */
  readonly signal?: AbortSignal;
}

/** The wait of {@link awaitCondition} ran out of time. */
export class AwaitConditionTimeoutError extends Error {
  /** The limit, in milliseconds. */
  readonly timeoutMs: number;

  /** Creates the error for the object `name` and the limit. */
  constructor(name: string, timeoutMs: number) {
    super(
      `awaitCondition: '${name}' did not reach the condition within ${timeoutMs}ms; ` +
        'check the object (kubectl describe) or raise timeoutMs',
    );
    this.name = 'AwaitConditionTimeoutError';
    this.timeoutMs = timeoutMs;
  }
}

/**
 * Watches the object `name` (through `watchObject`) until `condition` holds for its current
 * state, and resolves with that state (`undefined` if the condition held for an absent
 * object, e.g. `conditions.isDeleted(uid)`). The condition is checked on the state from the
 * first list, so an object that already satisfies it resolves at once. Watch failures are
 * retried by the watcher; the watch is closed when the promise settles. Rejects with an
 * {@link AwaitConditionTimeoutError} after `timeoutMs`, or with the reason of `signal`.
 */
export async function awaitCondition<K extends KubeObject>(
  api: WatchSource<K>,
  name: string,
  condition: Condition<K>,
  options: AwaitConditionOptions = {},
): Promise<K | undefined> {
  const { timeoutMs, signal } = options;
  signal?.throwIfAborted();
  let stream: Observable<K | undefined> = watchObject(api, name).pipe(
    filter((obj) => condition(obj)),
  );
  if (timeoutMs !== undefined) {
    stream = stream.pipe(
      timeout({
        first: timeoutMs,
        with: () => {
          throw new AwaitConditionTimeoutError(name, timeoutMs);
        },
      }),
    );
  }
  return new Promise<K | undefined>((resolve, reject) => {
    const onAbort = () => {
      subscription.unsubscribe();
      reject(signal?.reason);
    };
    const done = () => signal?.removeEventListener('abort', onAbort);
    // take(1) ends (and closes the watch) at the first match.
    const subscription = stream.pipe(take(1)).subscribe({
      next: (obj) => {
        done();
        resolve(obj);
      },
      error: (error: unknown) => {
        done();
        reject(error);
      },
    });
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
