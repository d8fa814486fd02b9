/**
 * The values a watcher stream carries.
 *
 * ERROR REPRESENTATION (read this if you consume a watcher stream): errors are VALUES in
 * the same union, `{ type: 'Error', error: WatcherError }`. The Observable returned by
 * `watcher()` never calls `error()` and never completes on its own; after an `Error`
 * value it has already decided how to recover (`error.recovery`: relist, rewatch, or
 * retry the failed list page) and does so after its backoff. Consumers that only want
 * objects use `appliedObjects()` / `touchedObjects()`, which drop `Error` values; a store
 * writer ignores them. Log them, count them, or ignore them — they need no action.
 */
import type { KubeObject } from '@kube-ts/core';

/** An object was created or changed (a watch `ADDED` or `MODIFIED`). */
export interface AppliedEvent<K> {
  readonly type: 'Applied';
  readonly object: K;
}

/** An object was deleted (a watch `DELETED`); `object` is its last known state. */
export interface DeletedEvent<K> {
  readonly type: 'Deleted';
  readonly object: K;
}

/**
 * The complete current list of objects, after the initial list or a relist. Any object
 * not in `objects` no longer exists (as far as this watcher knows).
 */
export interface RestartedEvent<K> {
  readonly type: 'Restarted';
  readonly objects: readonly K[];
}

/** A failure the watcher recovered from (see the module comment: errors are values). */
export interface ErrorEvent {
  readonly type: 'Error';
  readonly error: WatcherError;
}

/** The events that carry objects: everything but `Error`. */
export type WatcherObjectEvent<K> = AppliedEvent<K> | DeletedEvent<K> | RestartedEvent<K>;

/** One value of a watcher stream: an object event or an `Error` value. */
export type WatcherEvent<K = KubeObject> = WatcherObjectEvent<K> | ErrorEvent;

/** How the watcher recovers from a failure. */
export type WatcherRecovery =
  /** List everything again (after 410 Gone, or a failure during the initial list/stream). */
  | 'relist'
  /** Open a new watch from the last resourceVersion seen. */
  | 'rewatch'
  /** Request the same list page again. */
  | 'retry-page';

/** Where a watcher failure happened. */
export type WatcherPhase = 'list' | 'watch';

/**
 * A failure the watcher met and recovered from. `cause` is what was thrown or received
 * (an `ApiError`, a `TransportError`, a decode error, or a watch `ERROR` Status).
 */
export class WatcherError extends Error {
  /** Whether the list or the watch failed. */
  readonly phase: WatcherPhase;
  /** What the watcher does next (after its backoff). */
  readonly recovery: WatcherRecovery;

  constructor(message: string, phase: WatcherPhase, recovery: WatcherRecovery, cause: unknown) {
    super(message, { cause });
    this.name = 'WatcherError';
    this.phase = phase;
    this.recovery = recovery;
  }
}
