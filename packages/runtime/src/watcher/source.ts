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
   * Optional: the pages of a list from `params.continue` on, in order, as `Api.listPages`
   * gives them (it requests each next page before the current one is decoded). When
   * present the watcher's initial list uses it; when absent, `list` page by page.
   */
  listPages?(params: SourceListParams): AsyncIterable<ObjectList<K>>;
  /**
   * A watch stream. Opening failures and stream failures are thrown from the iterator;
   * it ends when the server ends the response.
   */
  watch(params: SourceWatchParams): AsyncIterable<SourceWatchEvent<K>>;
  /**
   * Optional: the same watch yielding the events in batches (non-empty arrays, in order),
   * e.g. all events decoded from one network chunk, as `Api.watchBatches` does. When
   * present the watcher uses it, and steps through each batch without an async hop per
   * event; when absent it uses `watch`.
   */
  watchBatches?(params: SourceWatchParams): AsyncIterable<readonly SourceWatchEvent<K>[]>;
}

/** The watch of `source` as batches: `watchBatches` when it has one, else `watch` one by one. */
export function watchInBatches<K extends KubeObject>(
  source: WatchSource<K>,
  params: SourceWatchParams,
): AsyncIterable<readonly SourceWatchEvent<K>[]> {
  return source.watchBatches ? source.watchBatches(params) : singletons(source.watch(params));
}

async function* singletons<T>(items: AsyncIterable<T>): AsyncGenerator<readonly T[]> {
  for await (const item of items) yield [item];
}

/** The pages of a list from `source`: `listPages` when it has one, else `list` page by page. */
export function listInPages<K extends KubeObject>(
  source: WatchSource<K>,
  params: SourceListParams,
): AsyncIterable<ObjectList<K>> {
  return source.listPages ? source.listPages(params) : pageByPage(source, params);
}

async function* pageByPage<K extends KubeObject>(
  source: WatchSource<K>,
  params: SourceListParams,
): AsyncGenerator<ObjectList<K>> {
  let token = params.continue;
  do {
    const page = await source.list({ ...params, continue: token });
    yield page;
    token = page.metadata?.continue || undefined;
  } while (token !== undefined);
}
