import {
  type ApiResource,
  type KubeObject,
  ObjectRef,
  type PartialObjectMetadata,
} from '@kube-ts/core';
import type { Logger } from 'pino';
import { defer, finalize, merge, Observable, share, throwError } from 'rxjs';
import type { Cache } from '../cache/cache.js';
import type { CacheLease } from '../cache/shared-watch.js';
import type { CacheOptions, CacheSource } from '../cache/source.js';
import { SwitchableStore } from '../cache/switchable-store.js';
import {
  type ControllerSharding,
  DrainingReconciler,
  type ShardedSource,
  shardConfig,
  shardedSource,
} from '../sharding/controller-sharding.js';
import { dropManagedFields } from '../store/ingest.js';
import { reflector } from '../store/reflector.js';
import { createStore, type Store, type StoreWriter } from '../store/store.js';
import type { WatcherEvent } from '../watcher/events.js';
import type { WatchSource } from '../watcher/source.js';
import { typeMetaOf } from '../watcher/type-meta.js';
import { type WatcherConfig, watcher } from '../watcher/watcher.js';
import { applier } from './applier.js';
import type { ControllerConfig } from './config.js';
import { controllerLogger, describeError } from './logging.js';
import type { ReconcileResult, Reconciler } from './reconciler.js';
import type { ShutdownTrigger } from './shutdown.js';
import {
  ownerRequests,
  type ReconcileRequest,
  type RelationMapper,
  relatedRequests,
  selfRequests,
} from './triggers.js';
import { reportWatch, sourceKind } from './watch-report.js';

/** What a controller needs of its main API handle: list, watch and the resource (an `Api<K>`). */
export type ControllerApi<K extends KubeObject> = WatchSource<K> & {
  readonly resource: ApiResource<K>;
};

/**
 * A source of `owns` / `watches`: any watch source; an `Api<K>` also carries what a shared
 * cache keys its watches by and the `metadata()` handle that `metadataOnly` needs.
 */
export type RelatedSource<K extends KubeObject> = WatchSource<K> &
  Partial<Pick<CacheSource<K>, 'resource' | 'namespace' | 'client' | 'metadataOnly' | 'metadata'>>;

/** Opens the events of one source: its own watcher, or a lease on the cache's shared watch. */
type OpenSource = <T extends KubeObject>(
  api: RelatedSource<T>,
  config: CacheOptions,
) => Observable<WatcherEvent<T>>;

/** A trigger, made when the controller starts with the controller's logger. */
type TriggerFactory = (logger: Logger, open: OpenSource) => Observable<ReconcileRequest>;

/**
 * Runs a {@link Reconciler} over every object of one resource: watches it (and related
 * resources), caches it in a store, and calls `reconcile` for each object that changed.
 * A builder: it sets up the store (through `reflector`) and the triggers, then runs
 * {@link applier}, which holds the loop and its guarantees.
 *
 * ```ts
 * new Controller(Api.all(client, generators))
 *   .owns(Api.all(client, resources.configMaps))
 *   .withConfig({ concurrency: 4 })
 *   .shutdownOnSignal()
 *   .run(new MyReconciler(), ctx)
 *   .subscribe();
 * ```
 *
 * Guarantees, besides the applier's:
 * - Objects in the store (and handed to `reconcile`) are frozen, have no
 *   `metadata.managedFields`, and always carry `apiVersion` and `kind`.
 * - `reconcile` receives the CURRENT object from the store, not the one that triggered the
 *   request; a request for an object no longer in the store is dropped (not an error).
 * - Errors of the watches are values (logged, retried by the watcher); a throwing relation
 *   mapper is logged and skipped. None of them errors the Observable or crashes the process.
 */
export class Controller<K extends KubeObject> {
  readonly #api: ControllerApi<K>;
  readonly #watcherConfig: Omit<WatcherConfig, 'transform'>;
  /** The store's ingest transform, also given to its own watcher (`WatcherConfig.transform`). */
  readonly #ingest: (obj: K) => K;
  readonly #reader: SwitchableStore<K>;
  readonly #writer: StoreWriter<K>;
  #cache: Cache | undefined;
  #sharding: ControllerSharding | undefined;
  readonly #owned: ShardedSource[] = [];
  readonly #triggers: TriggerFactory[] = [];
  readonly #shutdownTriggers: ShutdownTrigger[] = [];
  #config: ControllerConfig = {};
  #onSignals = false;
  #running = false;

  /** A controller for the objects of `api` (an `Api<K>`), watched with `watcherConfig`. */
  constructor(api: ControllerApi<K>, watcherConfig: Omit<WatcherConfig, 'transform'> = {}) {
    this.#api = api;
    this.#watcherConfig = watcherConfig;
    const withTypeMeta = typeMetaOf(api.resource);
    const transform = (obj: K) => withTypeMeta(dropManagedFields(obj));
    this.#ingest = transform;
    const { reader, writer } = createStore<K>({ transform });
    this.#reader = new SwitchableStore(reader);
    this.#writer = writer;
  }

  /**
   * The cache of the main resource, filled while the controller runs (read-only objects).
   * With a cache ({@link withCache}) it is the cache's shared store once the controller
   * runs, and it is ready when every watch of the controller has its initial list.
   */
  get store(): Store<K> {
    return this.#reader;
  }

  /**
   * Takes the main, `owns` and `watches` sources from `cache` (shared with every other
   * user of the same watch) instead of opening watches of its own; the leases are
   * released when the controller stops. A `Manager` calls it for the controllers it
   * runs. The first reconcile waits until all of these watches have their initial list.
   * Before {@link run} only.
   */
  withCache(cache: Cache): this {
    if (this.#running) throw new Error('Controller.withCache: call it before run()');
    this.#cache = cache;
    return this;
  }

  /**
   * Runs this controller as one shard of a ring: its main and `owns` watches select only
   * the objects labelled with this replica's shard (`watches` sources stay whole: a related
   * object may matter to objects of several shards), and an object carrying the ring's
   * drain label is let go (both labels removed) instead of reconciled. Registers the main
   * and owned sources with the ring's sharder. The `Manager` calls it when it has
   * `sharding` options. Before {@link run} only.
   */
  withSharding(sharding: ControllerSharding): this {
    if (this.#running) throw new Error('Controller.withSharding: call it before run()');
    this.#sharding = sharding;
    sharding.register(() => ({
      main: shardedSource(this.#api as CacheSource<KubeObject>, this.#watcherConfig),
      owned: this.#owned,
    }));
    return this;
  }

  /** `config` narrowed to this replica's shard when the controller is sharded. */
  #sharded<C extends CacheOptions>(config: C): C {
    return this.#sharding === undefined ? config : shardConfig(config, this.#sharding);
  }

  /**
   * Also reconciles the owner of each changed child of `childApi`: the child's
   * ownerReference with `controller: true` that names this controller's kind and group
   * (as set by `ownerRefTo(owner)`), looked up in the child's namespace. With
   * `{ metadataOnly: true }` only the children's metadata is watched and cached.
   */
  owns<C extends KubeObject>(childApi: RelatedSource<C>, config: CacheOptions = {}): this {
    checkMetadataOnly('owns', childApi, config);
    const { group, kind, namespaced } = this.#api.resource;
    const source = `owned ${sourceKind(childApi)}`;
    this.#owned.push(shardedSource(childApi as CacheSource<KubeObject>, config));
    this.#triggers.push((logger, open) =>
      ownerRequests(reportWatch(open(childApi, this.#sharded(config)), source, logger), {
        group,
        kind,
        namespaced,
      }),
    );
    return this;
  }

  /**
   * Also reconciles the objects that `mapper` names for each changed object of `api`
   * (e.g. every generator that references a changed Secret). With
   * `{ metadataOnly: true }` the mapper gets `PartialObjectMetadata` objects.
   */
  watches<W extends KubeObject>(
    api: RelatedSource<W>,
    config: CacheOptions & { readonly metadataOnly?: false },
    mapper: RelationMapper<W>,
  ): this;
  watches(
    api: RelatedSource<KubeObject>,
    config: CacheOptions & { readonly metadataOnly: true },
    mapper: RelationMapper<PartialObjectMetadata>,
  ): this;
  watches(
    api: RelatedSource<KubeObject>,
    config: CacheOptions,
    mapper: RelationMapper<KubeObject> | RelationMapper<PartialObjectMetadata>,
  ): this {
    checkMetadataOnly('watches', api, config);
    const source = `watched ${sourceKind(api)}`;
    // The overloads pair the mapper with the form the source is watched in.
    const map = mapper as RelationMapper<KubeObject>;
    this.#triggers.push((logger, open) =>
      relatedRequests(reportWatch(open(api, config), source, logger), map, (error) =>
        logger.error({ error: describeError(error) }, 'relation mapper threw; object skipped'),
      ),
    );
    return this;
  }

  /** Reconciles every object in the store each time `trigger` emits (reason `reconcileAll`). */
  reconcileAllOn(trigger: Observable<unknown>): this {
    this.#triggers.push(
      () =>
        new Observable<ReconcileRequest>((subscriber) =>
          trigger.subscribe({
            next: () => {
              for (const obj of this.#reader.list()) {
                subscriber.next({ ref: ObjectRef.from(obj), reason: { type: 'reconcileAll' } });
              }
            },
          }),
        ),
    );
    return this;
  }

  /**
   * Shuts down gracefully when `signal` fires: an `AbortSignal` aborts, a `Promise`
   * settles (resolves or rejects), or an `Observable` emits or completes. May be called
   * several times; the first one that fires wins.
   */
  gracefulShutdownOn(signal: ShutdownTrigger): this {
    this.#shutdownTriggers.push(signal);
    return this;
  }

  /**
   * Shuts down gracefully on the first SIGINT or SIGTERM, waiting at most
   * `shutdownTimeoutMs` (then the stuck objects are logged and the process exits with
   * code 124); a second signal stops at once (in-flight reconciles are no longer awaited).
   * The handlers are removed when the controller stops.
   */
  shutdownOnSignal(): this {
    this.#onSignals = true;
    return this;
  }

  /** Sets concurrency, debounce, backoff, logger and metrics (merged with earlier calls). */
  withConfig(config: ControllerConfig): this {
    this.#config = { ...this.#config, ...config };
    return this;
  }

  /**
   * Starts the controller when subscribed and emits one {@link ReconcileResult} per
   * reconcile. Completes after a graceful shutdown; never errors. Subscribe once: a
   * controller runs at most one time. `ctx` is handed to every reconcile and error
   * policy call; it may be left out when the reconciler takes no context.
   */
  run(reconciler: Reconciler<K, undefined>): Observable<ReconcileResult>;
  run<Ctx>(reconciler: Reconciler<K, Ctx>, ctx: Ctx): Observable<ReconcileResult>;
  run<Ctx>(reconciler: Reconciler<K, Ctx>, ctx?: Ctx): Observable<ReconcileResult> {
    return defer(() => {
      if (this.#running) {
        return throwError(
          () =>
            new Error(
              'Controller.run: this controller is already running; create a new Controller',
            ),
        );
      }
      this.#running = true;
      const { kind } = this.#api.resource;
      const logger = controllerLogger(this.#config.logger, kind);
      const cache = this.#cache;
      const mainConfig = this.#sharded(this.#watcherConfig);
      const sharding = this.#sharding;
      const effective =
        sharding === undefined
          ? reconciler
          : new DrainingReconciler(reconciler, this.#api as CacheSource<K>, sharding.labels);
      const leases: CacheLease<KubeObject>[] = [];
      let mainEvents: Observable<WatcherEvent<K>>;
      let open: OpenSource = openOwnWatch;
      if (cache === undefined) {
        mainEvents = reflector(
          this.#writer,
          watcher(this.#api, { ...mainConfig, transform: this.#ingest }),
        );
      } else {
        const mainLease = cache.acquire(this.#api, mainConfig);
        leases.push(mainLease as CacheLease<KubeObject>);
        mainEvents = mainLease.events;
        open = (api, config) => {
          if (api.resource === undefined) return openOwnWatch(api, config);
          const lease = cache.acquire(api as CacheSource<KubeObject>, config);
          leases.push(lease);
          return lease.events as Observable<WatcherEvent<never>>;
        };
      }
      const main = reportWatch(mainEvents, 'main', logger, true).pipe(share());
      const requests = merge(selfRequests(main), ...this.#triggers.map((t) => t(logger, open)));
      if (cache !== undefined) {
        const [mainLease, ...others] = leases;
        this.#reader.switchTo(
          mainLease!.store as Store<K>,
          others.map((l) => l.store),
        );
      }
      return applier(effective, {
        store: this.#reader,
        requests,
        context: ctx as Ctx,
        config: this.#config,
        name: kind,
        shutdownOn: this.#shutdownTriggers,
        shutdownOnSignal: this.#onSignals,
      }).pipe(
        finalize(() => {
          for (const lease of leases) lease.release();
        }),
      );
    });
  }
}

/** A source's own watcher (no cache): through its `metadata()` handle for `metadataOnly`. */
function openOwnWatch<T extends KubeObject>(
  api: RelatedSource<T>,
  config: CacheOptions,
): Observable<WatcherEvent<T>> {
  if (config.metadataOnly !== true || api.metadataOnly === true || api.metadata === undefined) {
    return watcher(api, config);
  }
  return watcher(api.metadata(), config) as Observable<WatcherEvent<never>>;
}

/** `metadataOnly` needs a source that can answer metadata only (an `Api`). */
function checkMetadataOnly(
  call: string,
  api: RelatedSource<KubeObject>,
  config: CacheOptions,
): void {
  if (config.metadataOnly === true && api.metadataOnly !== true && api.metadata === undefined) {
    throw new TypeError(
      `Controller.${call}(${sourceKind(api)}, { metadataOnly: true }): the source has no metadata() handle; pass an Api from @kube-ts/client`,
    );
  }
}
