/** Operators that turn a watcher stream into a stream of objects. */
import type { OperatorFunction } from 'rxjs';
import type { WatcherEvent } from '../watcher/events.js';
import { eachOf } from './each-of.js';

/**
 * The objects that exist after each change: the object of every `Applied`, and every
 * object of a `Restarted` (one by one). `Deleted` and `Error` values are dropped.
 */
export function appliedObjects<K>(): OperatorFunction<WatcherEvent<K>, K> {
  return eachOf((event) => {
    switch (event.type) {
      case 'Applied':
        return [event.object];
      case 'Restarted':
        return event.objects;
      default:
        return [];
    }
  });
}

/**
 * Every object that was touched: like {@link appliedObjects}, plus the last state of each
 * `Deleted` object. `Error` values are dropped.
 */
export function touchedObjects<K>(): OperatorFunction<WatcherEvent<K>, K> {
  return eachOf((event) => {
    switch (event.type) {
      case 'Applied':
      case 'Deleted':
        return [event.object];
      case 'Restarted':
        return event.objects;
      default:
        return [];
    }
  });
}
