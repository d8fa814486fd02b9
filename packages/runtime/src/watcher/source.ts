/**
 * What the watcher needs from an API handle: `list` and `watch`. `Api<K>` from
 * `@kube-ts/client` has both, so any `Api<K>` is a `WatchSource<K>`; tests can pass a fake.
 */
import type { KubeObject, ObjectList } from '@kube-ts/core';

/** The list parameters the watcher sends. */
export interface SourceListParams {
  labelSelector?: string;
  fieldSelector?: string;
  limit?: number;
  continue?: string;
  /** Aborting it cancels the request (ignored by clients that cannot cancel a list). */
  signal?: AbortSignal;
}

/** The watch parameters the watcher sends. */
export interface SourceWatchParams {
  labelSelector?: string;
  fieldSelector?: string;
  resourceVersion?: string;
  resourceVersionMatch?: 'NotOlderThan' | 'Exact';
  allowWatchBookmarks?: boolean;
  sendInitialEvents?: boolean;
  timeoutSeconds?: number;
  /** Aborting it closes the watch connection. */
  signal?: AbortSignal;
}

/** The `Status` an `ERROR` watch event carries (only the fields the watcher reads). */
export interface SourceStatus {
  code?: number;
  reason?: string;
  message?: string;
}

/** One decoded line of a watch response. */
export type SourceWatchEvent<K> =
  | { type: 'ADDED' | 'MODIFIED' | 'DELETED' | 'BOOKMARK'; object: K }
  | { type: 'ERROR'; object: SourceStatus };

/** An API handle the watcher can list and watch (an `Api<K>` or a test fake). */
export interface WatchSource<K extends KubeObject> {
  /** One page of the collection. Errors are thrown (an `ApiError` carries the HTTP code). */
  list(params: SourceListParams): Promise<ObjectList<K>>;
  /**
   * A watch stream. Opening failures and stream failures are thrown from the iterator;
   * it ends when the server ends the response.
   */
  watch(params: SourceWatchParams): AsyncIterable<SourceWatchEvent<K>>;
}
