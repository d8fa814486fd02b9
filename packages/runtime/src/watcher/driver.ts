/**
 * The effect loop that runs the watcher's state machine (`state.ts`): it performs each
 * effect (list a page, open a watch, read the next event), waits the backoff when a
 * transition asks for it, and emits the transition's events. It never ends on its own;
 * it stops when `signal` is aborted, and then aborts the request in flight.
 *
 * The pages of a list are read from one `listInPages` iterator while the state machine
 * asks for them in order (so a source with `listPages` can fetch a page ahead); a request
 * for any other page (a retry, a relist) starts a new one.
 *
 * Backoff: a failure waits `backoff.next()`, or longer when the server asked for it
 * (`Retry-After` on a 429/503, or `details.retryAfterSeconds` of a Status), capped at
 * `MAX_RETRY_AFTER_MS`. Progress — a watch event other than ERROR (bookmarks included) —
 * resets the backoff, so a watch that delivers and then drops is reopened after the
 * initial delay however often that happens (one the server ended after it delivered, its
 * timeout, is reopened at once: the state machine asks for no backoff then).
 *
 * Watch events arrive in batches (one per network chunk, see `WatchReader`), and each
 * batch is stepped as one `Events` input: a burst of events costs one async hop and one
 * transition per chunk, not one per event.
 */
import type { KubeObject, ObjectList } from '@kube-ts/core';
import type { BackoffPolicy } from './backoff.js';
import type { StateSettings, WatcherEffect } from './effects.js';
import type { WatcherEvent } from './events.js';
import { serverRetryAfterMs } from './retry-after.js';
import { listInPages, type WatchSource, watchInBatches } from './source.js';
import {
  start,
  step,
  type WatcherInput,
  type WatcherState,
  type WatcherTransition,
} from './state.js';
import { transformEvents, transformItems } from './transform.js';
import { fillTypeMeta } from './type-meta.js';
import { ABORTED, WatchReader } from './watch-reader.js';

/** Settings of {@link runWatcher}. */
export interface DriverSettings<K extends KubeObject = KubeObject> extends StateSettings {
  /** Applied to every listed or watched object as it arrives (see `transform.ts`). */
  transform?: (obj: K) => K;
  /** Backoff between failures. */
  backoff: BackoffPolicy;
  /** The `timeoutSeconds` of each watch request (called once per watch opened). */
  watchTimeoutSeconds: () => number;
  /**
   * How much longer than `min(timeout, SERVER_BOOKMARK_INTERVAL_SECONDS)` a watch may stay
   * silent before it is dropped, in s.
   */
  silenceMarginSeconds: number;
}

/**
 * How often kube-apiserver sends a bookmark on a watch that asked for them: its watch
 * cache's `defaultBookmarkFrequency` is one minute (plus one 2 s before the watch's
 * deadline). A watch that asked for bookmarks and sends nothing for longer (plus a margin)
 * is dead even when its timeout is far away.
 */
export const SERVER_BOOKMARK_INTERVAL_SECONDS = 60;

/** Resolves after `ms`, or with ABORTED as soon as `signal` aborts. */
function sleep(ms: number, signal: AbortSignal): Promise<undefined | typeof ABORTED> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve(ABORTED);
    const onAbort = () => {
      clearTimeout(timer);
      resolve(ABORTED);
    };
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve(undefined);
    }, ms);
    signal.addEventListener('abort', onAbort, { once: true });
  });
}

/** Races `promise` against `signal`; a later rejection of `promise` is swallowed. */
function untilAborted<T>(promise: Promise<T>, signal: AbortSignal): Promise<T | typeof ABORTED> {
  promise.catch(() => {});
  return new Promise((resolve, reject) => {
    if (signal.aborted) return resolve(ABORTED);
    const onAbort = () => resolve(ABORTED);
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (v) => {
        signal.removeEventListener('abort', onAbort);
        resolve(v);
      },
      (e: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(e);
      },
    );
  });
}

/**
 * Runs the watcher until `signal` aborts, calling `emit` for every event. Resolves once
 * stopped; never rejects (every failure becomes an `Error` event).
 */
export async function runWatcher<K extends KubeObject>(
  source: WatchSource<K>,
  settings: DriverSettings<K>,
  emit: (event: WatcherEvent<K>) => void,
  signal: AbortSignal,
): Promise<void> {
  let open: WatchReader<K> | undefined;
  /** The list being paged through, and the continue token of the page it gives next. */
  let pages: { iterator: AsyncIterator<ObjectList<K>>; next: string | undefined } | undefined;
  const closePages = () => {
    pages?.iterator.return?.().catch(() => {});
    pages = undefined;
  };

  const perform = async (effect: WatcherEffect): Promise<WatcherInput<K> | typeof ABORTED> => {
    switch (effect.kind) {
      case 'list': {
        const token = effect.params.continue;
        if (pages === undefined || token === undefined || pages.next !== token) {
          closePages();
          const iterator = listInPages(source, { ...effect.params, signal })[
            Symbol.asyncIterator
          ]();
          pages = { iterator, next: token };
        }
        const current = pages;
        try {
          const result = await untilAborted(current.iterator.next(), signal);
          if (result === ABORTED) return ABORTED;
          if (result.done) throw new Error('the list ended before its last page');
          current.next = result.value.metadata?.continue || undefined;
          if (current.next === undefined) closePages();
          return { kind: 'Listed', list: fillTypeMeta(result.value) };
        } catch (error) {
          closePages();
          return signal.aborted ? ABORTED : { kind: 'ListFailed', error };
        }
      }
      case 'watch': {
        const timeoutSeconds = settings.watchTimeoutSeconds();
        // Closed by the loop's `finally` when `signal` aborts, so no link to it is needed.
        const abort = new AbortController();
        try {
          const iterator = watchInBatches(source, {
            ...effect.params,
            timeoutSeconds,
            signal: abort.signal,
          })[Symbol.asyncIterator]();
          open = new WatchReader(
            iterator,
            abort,
            (Math.min(timeoutSeconds, SERVER_BOOKMARK_INTERVAL_SECONDS) +
              settings.silenceMarginSeconds) *
              1000,
            signal,
          );
        } catch (error) {
          return { kind: 'WatchFailed', error };
        }
        return open.read();
      }
      case 'next':
        if (open === undefined) return { kind: 'WatchEnded' };
        return open.read();
    }
  };

  // The current transition is kept as its parts, and its outputs are emitted by `enter`:
  // nothing in this (suspended) frame refers to an emitted event or to the input it came
  // from, so a `Restarted` event's listed objects are garbage once the consumer (e.g. a
  // store, which keeps transformed copies) is done with them, even while the watch waits
  // for its first event for hours.
  const first = start<K>(settings); // emits nothing
  let state: WatcherState<K> = first.state;
  let effect: WatcherEffect = first.effect;
  let backoff = first.backoff;
  /** Takes `transition` as the current one and emits its outputs; false once stopped. */
  const enter = (transition: WatcherTransition<K>): boolean => {
    state = transition.state;
    effect = transition.effect;
    backoff = transition.backoff;
    for (const event of transition.outputs) {
      emit(event);
      if (signal.aborted) return false;
    }
    return true;
  };
  /** What the server asked to wait (Retry-After) before the next attempt, in ms. */
  let serverWaitMs = 0;
  const transform = settings.transform;
  /** Steps the machine with `input`; false once stopped. */
  const advance = (input: WatcherInput<K>): boolean => {
    switch (input.kind) {
      case 'Listed':
        // Before the state machine buffers the page: its raw objects are garbage from here.
        if (transform !== undefined) transformItems(input.list, transform);
        break;
      case 'Events': {
        if (transform !== undefined) transformEvents(input.events, transform);
        // A watch that delivers is progress, even if it ends soon after (docs/watcher.md).
        // The batch is stepped up to its first ERROR (the rest is dropped with the watch).
        const error = input.events.find((event) => event.type === 'ERROR');
        if (input.events[0]?.type !== 'ERROR') settings.backoff.reset();
        if (error !== undefined) serverWaitMs = serverRetryAfterMs(error.object);
        break;
      }
      case 'ListFailed':
      case 'WatchFailed':
        serverWaitMs = serverRetryAfterMs(input.error);
        break;
    }
    return enter(step(state, input, settings));
  };

  try {
    while (!signal.aborted) {
      if (effect.kind !== 'list') closePages();
      if (effect.kind !== 'next') {
        // Leaving the open watch (to relist or re-watch): close it now, not after the
        // backoff.
        open?.close();
        open = undefined;
      }
      if (backoff) {
        const waitMs = Math.max(settings.backoff.next(), serverWaitMs);
        serverWaitMs = 0;
        if ((await sleep(waitMs, signal)) === ABORTED) return;
      }
      let input: WatcherInput<K> | typeof ABORTED | undefined = await perform(effect);
      if (input === ABORTED) return;
      const stepped = advance(input);
      input = undefined; // not kept across the next await
      if (!stepped) return;
    }
  } finally {
    open?.close();
    closePages();
  }
}
