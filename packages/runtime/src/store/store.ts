/**
 * `createStore<K>()`: an in-memory cache of a collection, fed by watcher events.
 *
 * Objects handed out are FROZEN: by default the object itself and all of its metadata
 * (`freeze: 'deep'` freezes everything, at several times the cost). A controller must not
 * change cached objects; writes go through the API. Copy (`structuredClone`) before editing.
 *
 * Freezing is done when an object is first handed out (by `get`, `list`, `find`,
 * `byIndex`, or to an index function), not when it is written: an object replaced before
 * anyone read it (most of them, under a burst of changes) is never frozen, so ingest costs
 * what parsing and keeping costs (issue 14). What a reader gets is frozen either way.
 */
import { type KubeObject, ObjectRef } from '@kube-ts/core';
import type { WatcherEvent } from '../watcher/events.js';
import { objectKey } from '../watcher/object-key.js';
import { type IndexFunction, SecondaryIndex } from './indexes.js';
import {
  dropManagedFields,
  type FreezeMode,
  freezeObject,
  type IngestTransform,
} from './ingest.js';

/** Options of {@link createStore}. */
export interface StoreOptions<K> {
  /**
   * Applied to every object before it is stored (must not mutate its argument). Default
   * {@link dropManagedFields}; pass `keepAll` to keep managedFields, or your own function
   * to strip more (e.g. `status` of objects you never read it from).
   */
  transform?: IngestTransform<K>;
  /**
   * `'shallow'` (default): freeze each stored object and its whole `metadata`;
   * `'deep'`: freeze everything in it (safer, slower; good in tests).
   */
  freeze?: FreezeMode;
}

/** The read side of a store. */
export interface Store<K> {
  /** The object with this namespace/name, or `undefined`. */
  get(ref: ObjectRef): K | undefined;
  /** All objects, in no particular order (a new array; the objects are frozen). */
  list(): K[];
  /** The first object for which `predicate` is true, or `undefined`. */
  find(predicate: (obj: K) => boolean): K | undefined;
  /** The number of objects. */
  readonly size: number;
  /** `true` once the first `Restarted` (the initial list) has been applied. */
  readonly isReady: boolean;
  /**
   * Resolves once the store is ready (at once if it already is). Rejects with the
   * signal's reason when `signal` aborts first.
   */
  waitUntilReady(signal?: AbortSignal): Promise<void>;
  /**
   * Adds a secondary index: `fn` gives the index values of an object (it must be pure and
   * must not throw: it is called again on the old object when that object is replaced).
   * Built at once over the current content, then kept up to date on every change.
   * Throws if an index with this name exists.
   */
  addIndex(name: string, fn: IndexFunction<K>): void;
  /** The objects whose index `name` has `value`. Throws if there is no such index. */
  byIndex(name: string, value: string): K[];
}

/** The write side of a store: applies watcher events. */
export interface StoreWriter<K> {
  /**
   * Applies one event: `Applied` stores (replaces) the object, `Deleted` removes it,
   * `Restarted` replaces the whole content atomically (if the transform or an index
   * function throws, the content is left as it was and the error is thrown), `Error`
   * values are ignored.
   */
  apply(event: WatcherEvent<K>): void;
}

class MemoryStore<K extends KubeObject> implements Store<K>, StoreWriter<K> {
  private objects = new Map<string, K>();
  private indexes = new Map<string, SecondaryIndex<K>>();
  private ready = false;
  private readonly waiters = new Set<() => void>();
  private readonly transform: IngestTransform<K>;
  private readonly freeze: FreezeMode;

  constructor(options: StoreOptions<K>) {
    this.transform = options.transform ?? dropManagedFields;
    this.freeze = options.freeze ?? 'shallow';
  }

  /** The stored form of an event object: transformed, and frozen only if indexes will see it. */
  private ingest(obj: K): K {
    const stored = this.transform(obj);
    return this.indexes.size > 0 ? this.frozen(stored) : stored;
  }

  /** `obj` frozen (see the module comment: objects are frozen when first handed out). */
  private frozen(obj: K): K {
    return Object.isFrozen(obj) ? obj : freezeObject(obj, this.freeze);
  }

  get(ref: ObjectRef): K | undefined {
    const obj = this.objects.get(ObjectRef.key(ref));
    return obj === undefined ? undefined : this.frozen(obj);
  }

  list(): K[] {
    const out = new Array<K>(this.objects.size);
    let i = 0;
    for (const obj of this.objects.values()) out[i++] = this.frozen(obj);
    return out;
  }

  find(predicate: (obj: K) => boolean): K | undefined {
    for (const obj of this.objects.values()) {
      const frozen = this.frozen(obj);
      if (predicate(frozen)) return frozen;
    }
    return undefined;
  }

  get size(): number {
    return this.objects.size;
  }

  get isReady(): boolean {
    return this.ready;
  }

  waitUntilReady(signal?: AbortSignal): Promise<void> {
    if (this.ready) return Promise.resolve();
    return new Promise((resolve, reject) => {
      if (signal?.aborted) return reject(signal.reason);
      const onAbort = () => {
        this.waiters.delete(done);
        reject(signal?.reason);
      };
      const done = () => {
        signal?.removeEventListener('abort', onAbort);
        resolve();
      };
      this.waiters.add(done);
      signal?.addEventListener('abort', onAbort, { once: true });
    });
  }

  addIndex(name: string, fn: IndexFunction<K>): void {
    if (this.indexes.has(name)) {
      throw new Error(`store: an index named '${name}' already exists; pick another name`);
    }
    // Index functions get frozen objects, as every other reader does.
    for (const obj of this.objects.values()) this.frozen(obj);
    this.indexes.set(name, new SecondaryIndex(fn).rebuilt(this.objects));
  }

  byIndex(name: string, value: string): K[] {
    const index = this.indexes.get(name);
    if (index === undefined) {
      throw new Error(`store: no index named '${name}'; call addIndex('${name}', fn) first`);
    }
    return index.get(value);
  }

  private reindex(key: string, old: K | undefined, obj: K): void {
    for (const index of this.indexes.values()) {
      if (old !== undefined) index.remove(key, old);
      index.add(key, obj);
    }
  }

  apply(event: WatcherEvent<K>): void {
    switch (event.type) {
      case 'Applied': {
        const obj = this.ingest(event.object);
        const key = objectKey(obj);
        // The old object is looked up only to take it out of the indexes.
        if (this.indexes.size > 0) this.reindex(key, this.objects.get(key), obj);
        this.objects.set(key, obj);
        return;
      }
      case 'Deleted': {
        const key = objectKey(event.object);
        const old = this.objects.get(key);
        if (old === undefined) return;
        for (const index of this.indexes.values()) index.remove(key, old);
        this.objects.delete(key);
        return;
      }
      case 'Restarted': {
        const objects = new Map<string, K>();
        for (const raw of event.objects) {
          const obj = this.ingest(raw);
          objects.set(objectKey(obj), obj);
        }
        const indexes = new Map<string, SecondaryIndex<K>>();
        for (const [name, index] of this.indexes) indexes.set(name, index.rebuilt(objects));
        this.objects = objects;
        this.indexes = indexes;
        if (!this.ready) {
          this.ready = true;
          for (const wake of this.waiters) wake();
          this.waiters.clear();
        }
        return;
      }
      case 'Error':
        return;
    }
  }
}

/**
 * Creates a store: `reader` for controllers, `writer` for the reflector.
 *
 * Guarantees:
 * - Objects are keyed by namespace/name (`ObjectRef.key`).
 * - `Restarted` swaps the whole content (and every index) at once: a reader sees either
 *   the old content or the new one, never a mix.
 * - Indexes always agree with the content after every `apply`.
 * - Stored objects went through the transform (default: no `metadata.managedFields`) and
 *   are frozen (see `freeze`). The default transform never mutates event objects, but the
 *   parts it shares with them (or the objects themselves when there is nothing to drop)
 *   end up frozen: objects that passed through a reflector must be treated as read-only.
 */
export function createStore<K extends KubeObject>(
  options: StoreOptions<K> = {},
): { reader: Store<K>; writer: StoreWriter<K> } {
  const store = new MemoryStore<K>(options);
  return { reader: store, writer: store };
}
