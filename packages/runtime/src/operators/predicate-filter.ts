/** `predicateFilter(pred)`: drop `Applied` events whose relevant part did not change. */
import type { KubeObject } from '@kube-ts/core';
import { defer, filter, type MonoTypeOperatorFunction } from 'rxjs';
import type { WatcherEvent } from '../watcher/events.js';
import { objectKey } from '../watcher/object-key.js';
import type { Predicate } from './predicates.js';

/** Options of {@link predicateFilter}. */
export interface PredicateFilterOptions {
  /**
   * How many objects to remember at most (default 65 536). Past it, the least recently
   * seen object is forgotten, and its next event passes (never wrongly dropped).
   */
  capacity?: number;
}

/**
 * Filters a watcher stream with a predicate. It remembers, per object (by uid, else by
 * namespace/name), what `pred` extracted at the last event, and:
 * - passes an `Applied` whose object was not seen before or whose predicate `changed`,
 *   and drops the others;
 * - always passes `Deleted` (and forgets the object), `Restarted` (it is the full list,
 *   which stores rely on; it resets the memory to the listed objects) and `Error`.
 *
 * Memory is bounded by `capacity` (least recently seen forgotten first). Each subscription
 * has its own memory.
 */
export function predicateFilter<K extends KubeObject>(
  pred: Predicate<K>,
  options: PredicateFilterOptions = {},
): MonoTypeOperatorFunction<WatcherEvent<K>> {
  const capacity = options.capacity ?? 65_536;
  if (!Number.isInteger(capacity) || capacity < 1) {
    throw new RangeError(`predicateFilter: capacity must be a positive integer, got ${capacity}`);
  }
  return (source) =>
    defer(() => {
      const seen = new Map<string, unknown>();
      const remember = (key: string, value: unknown) => {
        seen.delete(key);
        seen.set(key, value);
        if (seen.size > capacity) {
          const oldest = seen.keys().next();
          if (!oldest.done) seen.delete(oldest.value);
        }
      };
      const keyOf = (obj: K) => obj.metadata?.uid ?? objectKey(obj);
      return source.pipe(
        filter((event) => {
          switch (event.type) {
            case 'Applied': {
              const key = keyOf(event.object);
              const value = pred.extract(event.object);
              const pass = !seen.has(key) || pred.changed(seen.get(key), value);
              remember(key, value);
              return pass;
            }
            case 'Deleted':
              seen.delete(keyOf(event.object));
              return true;
            case 'Restarted':
              seen.clear();
              for (const obj of event.objects) remember(keyOf(obj), pred.extract(obj));
              return true;
            default:
              return true;
          }
        }),
      );
    });
}
