/**
 * One shared watch of a {@link Cache}: a watcher, the store it fills and the stream of its
 * events, used by every holder of a lease on it and stopped when the last one releases.
 */
import type { KubeObject, ObjectRef } from '@kube-ts/core';
import type { Logger } from 'pino';
import { Observable, retry, Subject, type Subscription, timer } from 'rxjs';
import { describeError } from '../controller/logging.js';
import type { IndexFunction } from '../store/indexes.js';
import type { IngestTransform } from '../store/ingest.js';
import { reflect } from '../store/reflector.js';
import { createStore, type Store, type StoreWriter } from '../store/store.js';
import { defaultBackoff } from '../watcher/backoff.js';
import type { WatcherEvent } from '../watcher/events.js';
import type { WatchSource } from '../watcher/source.js';
import { type WatcherConfig, watcher } from '../watcher/watcher.js';
import type { SharedWatchCounters } from './cache-metrics.js';
import type { CacheKey } from './key.js';

/**
 * One holder's use of a shared watch (from `Cache.acquire`). Release it when done: the
 * watch stops when its last lease is released.
 */
export interface CacheLease<K> {
  /** What is watched, e.g. `configmaps (v1) in all namespaces` (for logs). */
  readonly description: string;
  /**
   * The shared store (frozen objects). `addIndex` with a name already added by another
   * holder is a no-op if it is the same function, and throws otherwise.
   */
  readonly store: Store<K>;
  /**
   * The watch's events (never errors). A subscriber that arrives after the initial list
   * first gets the store's content as one `Restarted`, then the live events; each event
   * is already in the store when it is delivered. Completes when the watch stops.
   */
  readonly events: Observable<WatcherEvent<K>>;
  /** Gives the lease back (idempotent). The last release stops the watch. */
  release(): void;
}

/** The counters a shared watch exposes to its cache. */
export interface SharedWatchState {
  readonly description: string;
  readonly users: number;
  readonly ready: boolean;
  readonly size: number;
  /** How many times the watch was started again after its stream failed. */
  readonly restarts: number;
}

/** A watcher + store shared by reference count (see the module comment). */
export class SharedWatch<K extends KubeObject> {
  readonly key: CacheKey;
  readonly #reader: Store<K>;
  readonly #writer: StoreWriter<K>;
  readonly #events = new Subject<WatcherEvent<K>>();
  readonly #indexes = new Map<string, IndexFunction<K>>();
  readonly #subscription: Subscription;
  readonly #onIdle: () => void;
  readonly #store: Store<K>;
  #users = 0;
  #restarts = 0;

  /**
   * Starts watching `source` at once. If the stream fails (an ingest transform or index
   * function threw), the failure is logged and the watch starts again after
   * the default watcher backoff, with a fresh list. `onIdle` is called when the last lease
   * is released, after the watch stopped. `counters` (the cache's metrics) see its lists,
   * recovered failures and restarts.
   */
  constructor(
    key: CacheKey,
    source: WatchSource<K>,
    config: Omit<WatcherConfig<K>, 'transform'>,
    transform: IngestTransform<K>,
    logger: Logger,
    onIdle: () => void,
    counters?: SharedWatchCounters,
  ) {
    this.key = key;
    this.#onIdle = onIdle;
    const { reader, writer } = createStore<K>({ transform });
    this.#reader = reader;
    this.#writer = writer;
    this.#store = this.#sharedStore();
    const backoff = defaultBackoff();
    // Made here, so that invalid watcher options throw from `Cache.acquire`.
    // The store's transform, applied by the watcher as pages arrive (WatcherConfig.transform);
    // the store's own pass over the transformed objects then finds nothing left to do.
    const stream = watcher(source, { ...config, transform });
    this.#subscription = stream
      .pipe(
        reflect(this.#writer),
        retry({
          delay: (error: unknown) => {
            this.#restarts++;
            counters?.restarted();
            const delayMs = backoff.next();
            logger.error(
              { watch: key.description, error: describeError(error), delayMs },
              'shared watch failed; starting it again with a fresh list',
            );
            return timer(delayMs);
          },
        }),
      )
      .subscribe((event) => {
        if (event.type === 'Restarted') counters?.listed();
        else if (event.type === 'Error') counters?.failed(event.error.recovery);
        this.#events.next(event);
      });
  }

  /** A new lease (counted until released). */
  lease(): CacheLease<K> {
    this.#users++;
    let released = false;
    return {
      description: this.key.description,
      store: this.#store,
      events: this.#eventsForNewSubscriber(),
      release: () => {
        if (released) return;
        released = true;
        this.#users--;
        if (this.#users === 0) this.stop();
      },
    };
  }

  /** Stops the watch whatever the leases (the cache is stopping). */
  stop(): void {
    this.#subscription.unsubscribe();
    this.#events.complete();
    this.#onIdle();
  }

  get state(): SharedWatchState {
    return {
      description: this.key.description,
      users: this.#users,
      ready: this.#reader.isReady,
      size: this.#reader.size,
      restarts: this.#restarts,
    };
  }

  /** The store as holders see it: reads go to the one store; indexes are shared by name. */
  get store(): Store<K> {
    return this.#store;
  }

  /** Whether a holder added the index `name` to the shared store. */
  hasIndex(name: string): boolean {
    return this.#indexes.has(name);
  }

  #eventsForNewSubscriber(): Observable<WatcherEvent<K>> {
    return new Observable<WatcherEvent<K>>((subscriber) => {
      // Synchronous: no event can come between the snapshot and the subscription.
      if (this.#reader.isReady)
        subscriber.next({ type: 'Restarted', objects: this.#reader.list() });
      return this.#events.subscribe(subscriber);
    });
  }

  #addIndex(name: string, fn: IndexFunction<K>): void {
    const existing = this.#indexes.get(name);
    if (existing === fn) return;
    if (existing !== undefined) {
      throw new Error(
        `cache: the shared store of ${this.key.description} already has an index named ` +
          `'${name}' with another function; give this index another name (holders of one ` +
          'watch share its indexes)',
      );
    }
    this.#reader.addIndex(name, fn);
    this.#indexes.set(name, fn);
  }

  #sharedStore(): Store<K> {
    const reader = this.#reader;
    return {
      get: (ref: ObjectRef) => reader.get(ref),
      list: () => reader.list(),
      find: (predicate: (obj: K) => boolean) => reader.find(predicate),
      get size() {
        return reader.size;
      },
      get isReady() {
        return reader.isReady;
      },
      waitUntilReady: (signal?: AbortSignal) => reader.waitUntilReady(signal),
      addIndex: (name: string, fn: IndexFunction<K>) => this.#addIndex(name, fn),
      byIndex: (name: string, value: string) => reader.byIndex(name, value),
    };
  }
}
