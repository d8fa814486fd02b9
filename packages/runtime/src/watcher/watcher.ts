/**
 * `watcher(api, config)`: an rxjs Observable of the changes to a collection.
 *
 * ERRORS ARE VALUES: the stream carries `{ type: 'Error', error: WatcherError }` members of
 * the `WatcherEvent` union (see events.ts). It never errors and never completes on its
 * own; unsubscribing stops it and aborts the request in flight.
 */
import {
  type FieldSelector,
  type KubeObject,
  type LabelSelector,
  renderSelector,
} from '@kube-ts/core';
import { Observable } from 'rxjs';
import { type BackoffPolicy, defaultBackoff } from './backoff.js';
import { runWatcher } from './driver.js';
import type { WatcherEvent } from './events.js';
import type { WatchSource } from './source.js';

/** Options of {@link watcher}; `K` is the type of the objects watched. */
export interface WatcherConfig<K extends KubeObject = KubeObject> {
  /** Only objects whose labels match (e.g. `app=web,tier!=db`); passed to LIST and WATCH. */
  labelSelector?: string | LabelSelector;
  /** Only objects whose fields match (e.g. `metadata.name=foo`); passed to LIST and WATCH. */
  fieldSelector?: string | FieldSelector;
  /** Page size of the initial LIST. Default 500. */
  pageSize?: number;
  /**
   * `'list'` (default): paginated LIST, then WATCH from the list's resourceVersion.
   * `'stream'`: one WATCH with `sendInitialEvents=true` (Kubernetes 1.27+ with the
   * WatchList feature): the initial objects are buffered until the
   * `k8s.io/initial-events-end` bookmark and emitted as one `Restarted`.
   */
  initialList?: 'list' | 'stream';
  /**
   * `timeoutSeconds` of each WATCH request: the server ends the watch after it (with a
   * bookmark just before, on kube-apiserver), and the watcher reconnects from its last
   * resourceVersion. Default: random between 35 and 45 per request, so that many watchers
   * do not reconnect at once and a frozen connection is noticed within a minute (see
   * `silenceMarginSeconds`). client-go uses 300–600 s and notices frozen connections with
   * HTTP/2 pings, which an HTTP/1.1 watch cannot send.
   */
  timeoutSeconds?: number;
  /**
   * A watch that sends nothing — no event, no bookmark, not its end — for
   * `min(timeoutSeconds, 60) + silenceMarginSeconds` seconds is treated as dead (a frozen
   * or half-open connection) and reopened from the last resourceVersion. 60 s is
   * kube-apiserver's bookmark interval (its watch cache sends every watch that asked for
   * bookmarks one per minute). Default 5, so with the default timeouts a frozen watch is
   * replaced within 50 s plus the backoff.
   */
  silenceMarginSeconds?: number;
  /**
   * Delay between failures: a policy (shared by every subscription of this Observable) or
   * a factory called once per subscription. Default {@link defaultBackoff}.
   */
  backoff?: BackoffPolicy | (() => BackoffPolicy);
  /**
   * Applied to every object as it arrives, before the watcher keeps or emits it: to the
   * items of each listed page before the next page is read, to the initial events of a
   * streamed list, and to the object of each watch event (not bookmarks or errors). The
   * events carry what it returns. It may change its argument and return it (the objects
   * are freshly decoded and the watcher's own). If it throws, the Observable errors with
   * what it threw. Default: none.
   *
   * When the stream feeds a store, give the store's ingest transform here too (e.g.
   * `dropManagedFields`): a large initial list then never holds its raw objects, each
   * page's are garbage as soon as the page is transformed, where a store's own transform
   * sees them only in the final `Restarted` (see docs/performance.md for what that
   * costs). `Controller` and `Cache` do this for their stores.
   */
  transform?: (obj: K) => K;
}

function selector(s: string | LabelSelector | FieldSelector | undefined): string | undefined {
  const text = renderSelector(s);
  return text === '' ? undefined : text;
}

/**
 * Watches a collection: emits `Restarted` with every object after the initial list and
 * after each relist, then `Applied` / `Deleted` per change, and `Error` values for
 * failures it recovered from.
 *
 * Guarantees:
 * - The initial LIST is paginated (`limit` = `pageSize`, following `continue` tokens) and
 *   emitted as ONE `Restarted`; an expired continue token (410) restarts the list.
 * - The WATCH starts from the list's resourceVersion with `allowWatchBookmarks=true`;
 *   bookmarks advance the resourceVersion and emit nothing.
 * - 410 Gone (HTTP status or `ERROR` event) → full relist, emitted as one `Restarted`.
 * - Any other failure — HTTP error, reset connection, malformed line, the stream ending,
 *   or a watch silent for `min(timeoutSeconds, 60) + silenceMarginSeconds` (a frozen
 *   connection; 50 s at most by default) — → re-watch from the last resourceVersion seen,
 *   after the backoff.
 * - Failures are emitted as `{ type: 'Error' }` values; the Observable never errors and
 *   never completes; unsubscribing aborts the request in flight.
 * - Each subscription runs its own list and watch (the Observable is cold); share it with
 *   rxjs `share()` when several consumers need the same stream.
 */
export function watcher<K extends KubeObject>(
  api: WatchSource<K>,
  config: WatcherConfig<K> = {},
): Observable<WatcherEvent<K>> {
  const pageSize = config.pageSize ?? 500;
  if (!Number.isInteger(pageSize) || pageSize < 1) {
    throw new RangeError(`watcher: pageSize must be a positive integer, got ${pageSize}`);
  }
  const fixedTimeout = config.timeoutSeconds;
  if (fixedTimeout !== undefined && !(fixedTimeout > 0)) {
    throw new RangeError(`watcher: timeoutSeconds must be positive, got ${fixedTimeout}`);
  }
  const labelSelector = selector(config.labelSelector);
  const fieldSelector = selector(config.fieldSelector);
  return new Observable<WatcherEvent<K>>((subscriber) => {
    const abort = new AbortController();
    const backoff =
      typeof config.backoff === 'function'
        ? config.backoff()
        : (config.backoff ?? defaultBackoff());
    void runWatcher(
      api,
      {
        ...(labelSelector !== undefined ? { labelSelector } : {}),
        ...(fieldSelector !== undefined ? { fieldSelector } : {}),
        pageSize,
        initialList: config.initialList ?? 'list',
        backoff,
        watchTimeoutSeconds: () => fixedTimeout ?? 35 + Math.floor(Math.random() * 11),
        silenceMarginSeconds: config.silenceMarginSeconds ?? 5,
        ...(config.transform !== undefined ? { transform: config.transform } : {}),
      },
      (event) => subscriber.next(event),
      abort.signal,
    ).catch((error: unknown) => subscriber.error(error));
    return () => abort.abort();
  });
}
