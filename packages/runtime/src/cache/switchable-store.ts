/**
 * The store a `Controller` hands out (`controller.store`): its own store when it runs on
 * its own, the cache's shared store of its main resource once it runs with a cache.
 */
import type { ObjectRef } from '@kube-ts/core';
import type { IndexFunction } from '../store/indexes.js';
import type { Store } from '../store/store.js';

/**
 * A {@link Store} that reads from the store it currently points at. Indexes added through
 * it are added again to each store it is switched to. With a cache it is ready once the
 * main store AND every other store the controller uses are ready, so a controller's first
 * reconcile (and its readiness) waits for all of its watches.
 */
export class SwitchableStore<K> implements Store<K> {
  #target: Store<K>;
  #others: readonly Store<unknown>[] = [];
  readonly #indexes: [string, IndexFunction<K>][] = [];

  constructor(initial: Store<K>) {
    this.#target = initial;
  }

  /** Reads from `main` from now on; readiness also waits for `others`. */
  switchTo(main: Store<K>, others: readonly Store<unknown>[]): void {
    for (const [name, fn] of this.#indexes) main.addIndex(name, fn);
    this.#target = main;
    this.#others = others;
  }

  get(ref: ObjectRef): K | undefined {
    return this.#target.get(ref);
  }

  list(): K[] {
    return this.#target.list();
  }

  find(predicate: (obj: K) => boolean): K | undefined {
    return this.#target.find(predicate);
  }

  get size(): number {
    return this.#target.size;
  }

  get isReady(): boolean {
    return this.#target.isReady && this.#others.every((s) => s.isReady);
  }

  async waitUntilReady(signal?: AbortSignal): Promise<void> {
    await Promise.all([this.#target, ...this.#others].map((s) => s.waitUntilReady(signal)));
  }

  addIndex(name: string, fn: IndexFunction<K>): void {
    this.#target.addIndex(name, fn);
    this.#indexes.push([name, fn]);
  }

  byIndex(name: string, value: string): K[] {
    return this.#target.byIndex(name, value);
  }
}
