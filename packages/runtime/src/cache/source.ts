/**
 * What a shared cache watches: an API handle (an `Api<K>` of `@kube-ts/client`) and the
 * options that make one cached watch different from another.
 */
import type { ApiResource, KubeObject, PartialObjectMetadata } from '@kube-ts/core';
import type { WatchSource } from '../watcher/source.js';
import type { WatcherConfig } from '../watcher/watcher.js';

/**
 * An API handle a {@link Cache} can share: list and watch, plus what identifies the
 * collection — its resource, namespace, client and whether it answers metadata only.
 * Every `Api<K>` is one.
 */
export interface CacheSource<K extends KubeObject> extends WatchSource<K> {
  /** The resource watched. */
  readonly resource: ApiResource<K>;
  /** The namespace, or `undefined` for every namespace (or a cluster-scoped resource). */
  readonly namespace?: string | undefined;
  /** The client the requests go through: handles of different clients never share a watch. */
  readonly client?: object;
  /** Whether this handle answers `PartialObjectMetadata` (made by `metadata()`). */
  readonly metadataOnly?: boolean;
  /** The same handle answering `PartialObjectMetadata` (needed for `metadataOnly: true`). */
  metadata?(): CacheSource<PartialObjectMetadata>;
}

/**
 * Options of one cached watch. `labelSelector`, `fieldSelector` and `metadataOnly` (with
 * the source's resource, namespace and client) say which watch it is: requests that agree
 * on them share one watch and one store. The other watcher options (`pageSize`,
 * `timeoutSeconds`, `backoff`, …) are taken from the request that started the watch. The
 * watcher's `transform` is the cache's own (its store's ingest transform), so it is not
 * an option.
 */
export interface CacheOptions extends Omit<WatcherConfig, 'transform'> {
  /**
   * Watch and cache `PartialObjectMetadata` only, through the source's `metadata()` handle
   * (`Accept: application/json;as=PartialObjectMetadata;g=meta.k8s.io;v=v1`): each
   * object's metadata — names, labels, owner references — never its spec, status or
   * data; ownership needs nothing more. Default false (true for a source that is
   * already a metadata handle).
   */
  readonly metadataOnly?: boolean;
}
