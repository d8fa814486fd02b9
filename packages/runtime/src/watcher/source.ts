/**
 * What the watcher needs from an API handle: `list` and `watch`. `Api<K>` from
 * `@kube-ts/client` has both, so any `Api<K>` is a `WatchSource<K>`; tests can pass a fake.
 */
import type { KubeObject, ListParams, ObjectList, Status, WatchParams } from '@kube-ts/core';

/** The list parameters the watcher sends (core's `ListParams`, incl. `signal`). */
export type SourceListParams = ListParams;

/** The watch parameters the watcher sends (core's `WatchParams`, incl. `signal`). */
export type SourceWatchParams = WatchParams;

/** One decoded event of a watch response (the same shape as client's `WatchEvent`). */
export type SourceWatchEvent<K> =
  | { type: 'ADDED' | 'MODIFIED' | 'DELETED' | 'BOOKMARK'; object: K }
  | { type: 'ERROR'; object: Status };

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
