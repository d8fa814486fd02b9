/**
 * `Cache`: the watches and stores of a Manager's controllers, shared and
 * reference-counted, and a reader over them for reconcilers.
 */
import {
  type ApiResource,
  type KubeObject,
  type LabelSelector,
  labelSelector as makeLabelSelector,
  type ObjectRef,
  type PartialObjectMetadata,
} from '@kube-ts/core';
import { type Logger, pino } from 'pino';
import type { Registry } from 'prom-client';
import { dropManagedFields, type IngestTransform } from '../store/ingest.js';
import { typeMetaOf } from '../watcher/type-meta.js';
import { CacheMetrics } from './cache-metrics.js';
import { CacheNotRegisteredError, CacheNotSyncedError } from './errors.js';
import { cacheKey } from './key.js';
import { type CacheLease, SharedWatch, type SharedWatchState } from './shared-watch.js';
import type { CacheOptions, CacheSource } from './source.js';

/** Options of a {@link Cache}. */
export interface CacheConfig {
  /** Where failures of shared watches are logged. Default: a silent logger. */
  readonly logger?: Logger;
  /**
   * Where the cache's metrics are registered (`kube_ts_cache_*`, see docs/operations.md);
   * a Manager passes its own registry. Default: none.
   */
  readonly registry?: Registry;
}

/** Options of {@link Cache.list}. */
export interface CacheListOptions {
  /** Only objects of this namespace (default: every namespace the watch covers). */
  readonly namespace?: string;
  /** Only objects whose labels match: a selector built with `labelSelector()`, or `{ key: value }`. */
  readonly labelSelector?: LabelSelector | Readonly<Record<string, string>>;
  /** Only the objects whose index `name` (added with `lease.store.addIndex`) has `value`. */
  readonly index?: { readonly name: string; readonly value: string };
  /** Read a metadata-only watch: the objects are `PartialObjectMetadata`. Default false. */
  readonly metadataOnly?: boolean;
}

/**
 * Reads objects from a cache's stores, without a request to the API server. Objects are
 * frozen. A read of a resource no watch covers throws {@link CacheNotRegisteredError};
 * one of a watch still doing its initial list throws {@link CacheNotSyncedError}.
 */
export type CacheReader = Pick<Cache, 'get' | 'list'>;

/**
 * Shared watches: one watch and one store per resource + namespace + label/field selector +
 * metadata-only (and client), however many controllers and readers ask for it. A
 * `Manager` has one (`manager.cache`) and its controllers take their watches from it.
 *
 * ```ts
 * const lease = manager.cache.acquire(Api.all(client, resources.secrets), { metadataOnly: true });
 * // … in a reconciler: ctx.cache.get(resources.secrets, ns, name, { metadataOnly: true })
 * lease.release(); // the last release stops the watch
 * ```
 *
 * Guarantees:
 * - Two `acquire` calls with the same source and key options get the same store and the
 *   same stream: the API server sees one LIST + WATCH for them.
 * - A watch starts on the first `acquire` and stops (its request aborted, its store
 *   dropped) when the last lease is released; a later `acquire` starts a new one.
 * - Nothing is watched implicitly: reading a resource no watch covers throws
 *   {@link CacheNotRegisteredError}, which names the call to make.
 * - A watch whose stream fails is started again (fresh list) after a backoff, logged;
 *   watch errors themselves are handled by the watcher (errors are values).
 */
export class Cache {
  readonly #watches = new Map<string, SharedWatch<KubeObject>>();
  readonly #logger: Logger;
  readonly #metrics: CacheMetrics | undefined;
  #stopped = false;

  /** An empty cache (its metrics registered in `config.registry`, when given). */
  constructor(config: CacheConfig = {}) {
    this.#logger = (config.logger ?? pino({ level: 'silent' })).child({ component: 'cache' });
    this.#metrics = config.registry && new CacheMetrics(config.registry, () => this.watches());
  }

  /**
   * A lease on the shared watch of `source` with `options` (started now if nobody holds
   * one). With `metadataOnly: true` (or a source made by `api.metadata()`), the watch asks
   * for `PartialObjectMetadata` and stores only metadata. Throws after {@link stop}.
   */
  acquire<K extends KubeObject>(
    source: CacheSource<K>,
    options?: CacheOptions & { readonly metadataOnly?: false },
  ): CacheLease<K>;
  acquire(
    source: CacheSource<KubeObject>,
    options: CacheOptions & { readonly metadataOnly: true },
  ): CacheLease<PartialObjectMetadata>;
  acquire(source: CacheSource<KubeObject>, options?: CacheOptions): CacheLease<KubeObject>;
  acquire(source: CacheSource<KubeObject>, options: CacheOptions = {}): CacheLease<KubeObject> {
    if (this.#stopped) {
      throw new Error(
        `cache.acquire(${source.resource.plural}): the cache has stopped (its manager shut down)`,
      );
    }
    const metadataOnly = options.metadataOnly === true || source.metadataOnly === true;
    const watched = metadataOnly && source.metadataOnly !== true ? metadataHandle(source) : source;
    const key = cacheKey(source, options, metadataOnly);
    let shared = this.#watches.get(key.id);
    if (shared === undefined) {
      const transform: IngestTransform<KubeObject> = metadataOnly
        ? dropManagedFields
        : withTypeMeta(source.resource);
      const created = new SharedWatch(
        key,
        watched,
        options,
        transform,
        this.#logger,
        () => {
          if (this.#watches.get(key.id) === created) this.#watches.delete(key.id);
          this.#logger.debug({ watch: key.description }, 'shared watch stopped');
        },
        this.#metrics?.forWatch(key.description),
      );
      this.#metrics?.watchStarted();
      this.#watches.set(key.id, created);
      this.#logger.debug({ watch: key.description }, 'shared watch started');
      shared = created;
    }
    return shared.lease();
  }

  /**
   * The object `name` (in `namespace`; `undefined` for a cluster-scoped resource), if
   * cached. Objects are frozen. Throws {@link CacheNotRegisteredError} when no watch covers
   * the resource, {@link CacheNotSyncedError} while it is doing its initial list.
   */
  get<K extends KubeObject>(
    resource: ApiResource<K>,
    namespace: string | undefined,
    name: string,
  ): K | undefined;
  /** The same, from a metadata-only watch. */
  get(
    resource: ApiResource,
    namespace: string | undefined,
    name: string,
    options: { readonly metadataOnly: true },
  ): PartialObjectMetadata | undefined;
  get(
    resource: ApiResource,
    namespace: string | undefined,
    name: string,
    options: { readonly metadataOnly?: boolean } = {},
  ): KubeObject | undefined {
    const metadataOnly = options.metadataOnly === true;
    const ns = resource.namespaced ? namespace : undefined;
    if (resource.namespaced && !ns) {
      throw new TypeError(
        `cache.get(${resource.plural}, '${name}'): ${resource.kind} is namespaced; pass its namespace`,
      );
    }
    const candidates = this.#covering('cache.get', resource, ns, metadataOnly);
    const ref: ObjectRef = ns === undefined ? { name } : { namespace: ns, name };
    for (const shared of candidates) {
      const found = shared.store.get(ref);
      if (found !== undefined) return found;
    }
    return undefined;
  }

  /**
   * The cached objects of `resource` that match `options` (a new array of frozen objects).
   * Throws as {@link Cache.get} does.
   */
  list<K extends KubeObject>(
    resource: ApiResource<K>,
    options?: CacheListOptions & { readonly metadataOnly?: false },
  ): K[];
  /** The same, from a metadata-only watch. */
  list(
    resource: ApiResource,
    options: CacheListOptions & { readonly metadataOnly: true },
  ): PartialObjectMetadata[];
  list(resource: ApiResource, options: CacheListOptions = {}): KubeObject[] {
    const metadataOnly = options.metadataOnly === true;
    const ns = resource.namespaced ? options.namespace : undefined;
    const candidates = this.#covering('cache.list', resource, ns, metadataOnly);
    const { index } = options;
    // The first covering watch answers: one without selectors if there is one (they
    // come first), else one with the asked index.
    const shared =
      index === undefined
        ? candidates[0]!
        : (candidates.find((c) => c.hasIndex(index.name)) ?? candidates[0]!);
    const objects =
      index === undefined ? shared.store.list() : shared.store.byIndex(index.name, index.value);
    const selector = asLabelSelector(options.labelSelector);
    return objects.filter(
      (obj) =>
        (ns === undefined || obj.metadata?.namespace === ns) &&
        (selector === undefined || selector.matches(obj.metadata?.labels)),
    );
  }

  /**
   * Resolves once every watch of the cache has its initial list (at once if there are
   * none). Rejects with the signal's reason when `signal` aborts first.
   */
  async waitUntilReady(signal?: AbortSignal): Promise<void> {
    await Promise.all([...this.#watches.values()].map((w) => w.store.waitUntilReady(signal)));
  }

  /** The watches running now, with their holders, readiness, size and restarts. */
  watches(): SharedWatchState[] {
    return [...this.#watches.values()].map((w) => w.state);
  }

  /** Stops every watch, whatever its leases, and refuses new ones (the manager's shutdown). */
  stop(): void {
    this.#stopped = true;
    for (const shared of [...this.#watches.values()]) shared.stop();
  }

  /**
   * The synced watches that cover a read of `resource` in `namespace`: same resource and
   * form, all namespaces or that one; those without selectors first. Throws when there is
   * none, or when none of them has synced.
   */
  #covering(
    call: string,
    resource: ApiResource,
    namespace: string | undefined,
    metadataOnly: boolean,
  ): SharedWatch<KubeObject>[] {
    const sameResource = [...this.#watches.values()].filter(
      ({ key }) =>
        key.resource.group === resource.group &&
        key.resource.version === resource.version &&
        key.resource.plural === resource.plural,
    );
    const covering = sameResource
      .filter(
        ({ key }) =>
          key.metadataOnly === metadataOnly &&
          (key.namespace === undefined || key.namespace === namespace),
      )
      .sort((a, b) => selectorCount(a) - selectorCount(b));
    if (covering.length === 0) {
      const otherForm = sameResource.some(({ key }) => key.metadataOnly !== metadataOnly);
      throw new CacheNotRegisteredError(
        { call, resource, namespace, metadataOnly },
        otherForm
          ? `(A ${metadataOnly ? 'full' : 'metadata-only'} watch of it is registered: ` +
              `read it with { metadataOnly: ${!metadataOnly} }.)`
          : undefined,
      );
    }
    const synced = covering.filter((w) => w.store.isReady);
    if (synced.length === 0) throw new CacheNotSyncedError(call, covering[0]!.key.description);
    return synced;
  }
}

function selectorCount({ key }: SharedWatch<KubeObject>): number {
  return (key.labelSelector === undefined ? 0 : 1) + (key.fieldSelector === undefined ? 0 : 1);
}

function asLabelSelector(
  selector: LabelSelector | Readonly<Record<string, string>> | undefined,
): LabelSelector | undefined {
  if (selector === undefined) return undefined;
  return isLabelSelector(selector) ? selector : makeLabelSelector(selector);
}

function isLabelSelector(
  selector: LabelSelector | Readonly<Record<string, string>>,
): selector is LabelSelector {
  return typeof (selector as Partial<LabelSelector>).matches === 'function';
}

/** The source's metadata-only handle; a clear error for a source that has none. */
function metadataHandle(source: CacheSource<KubeObject>): CacheSource<PartialObjectMetadata> {
  if (source.metadata === undefined) {
    throw new TypeError(
      `cache.acquire(${source.resource.plural}, { metadataOnly: true }): the source has no ` +
        'metadata() handle; pass an Api from @kube-ts/client',
    );
  }
  return source.metadata();
}

function withTypeMeta(resource: ApiResource): IngestTransform<KubeObject> {
  const fill = typeMetaOf(resource);
  return (obj) => fill(dropManagedFields(obj));
}
