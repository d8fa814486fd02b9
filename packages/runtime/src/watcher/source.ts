/**
 * What the watcher needs from an API handle: `list` and `watch`. `Api<K>` from
 * `@kube-ts/client` has both, so any `Api<K>` is a `WatchSource<K>`; tests can pass a fake.
 */
import type { WatchEvent } from '@kube-ts/client';
import type { KubeObject, ListParams, ObjectList, WatchParams } from '@kube-ts/core';

/** An API handle the watcher can list and watch (an `Api<K>` or a test fake). */
export interface WatchSource<K extends KubeObject> {
  /** One page of the collection. Errors are thrown (an `ApiError` carries the HTTP code). */
  list(params: ListParams): Promise<ObjectList<K>>;
  /**
   * Optional: the pages of a list from `params.continue` on, in order, as `Api.listPages`
   * gives them (it requests each next page before the current one is decoded). When
   * present the watcher's initial list uses it; when absent, `list` page by page.
   */
  listPages?(params: ListParams): AsyncIterable<ObjectList<K>>;
  /**
   * A watch stream. Opening failures and stream failures are thrown from the iterator;
   * it ends when the server ends the response.
   */
  watch(params: WatchParams): AsyncIterable<WatchEvent<K>>;
  /**
   * Optional: the same watch yielding the events in batches (non-empty arrays, in order),
   * e.g. all events decoded from one network chunk, as `Api.watchBatches` does. When
   * present the watcher uses it, and steps through each batch without an async hop per
   * event; when absent it uses `watch`.
   */
  watchBatches?(params: WatchParams): AsyncIterable<readonly WatchEvent<K>[]>;
}

/** The watch of `source` as batches: `watchBatches` when it has one, else `watch` one by one. */
export function watchInBatches<K extends KubeObject>(
  source: WatchSource<K>,
  params: WatchParams,
): AsyncIterable<readonly WatchEvent<K>[]> {
  return source.watchBatches ? source.watchBatches(params) : singletons(source.watch(params));
}

async function* singletons<T>(items: AsyncIterable<T>): AsyncGenerator<readonly T[]> {
  for await (const item of items) yield [item];
}

/** The pages of a list from `source`: `listPages` when it has one, else `list` page by page. */
export function listInPages<K extends KubeObject>(
  source: WatchSource<K>,
  params: ListParams,
): AsyncIterable<ObjectList<K>> {
  return source.listPages ? source.listPages(params) : pageByPage(source, params);
}

async function* pageByPage<K extends KubeObject>(
  source: WatchSource<K>,
  params: ListParams,
): AsyncGenerator<ObjectList<K>> {
  let token = params.continue;
  do {
    const page = await source.list({ ...params, continue: token });
    yield page;
    token = page.metadata?.continue || undefined;
  } while (token !== undefined);
}
