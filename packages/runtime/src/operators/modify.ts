/** `modify(fn)`: change the objects of a watcher stream (e.g. strip fields before a store). */
import { type MonoTypeOperatorFunction, map } from 'rxjs';
import type { WatcherEvent } from '../watcher/events.js';

/**
 * Applies `fn` to every object of every event (`Applied`, `Deleted`, each object of a
 * `Restarted`). `fn` returns the new object, or nothing after changing its argument in
 * place. `Error` values pass unchanged.
 */
export function modify<K>(
  fn: ((obj: K) => K) | ((obj: K) => void),
): MonoTypeOperatorFunction<WatcherEvent<K>> {
  const apply = (obj: K): K => (fn(obj) as K | undefined) ?? obj;
  return map((event): WatcherEvent<K> => {
    switch (event.type) {
      case 'Applied':
      case 'Deleted':
        return { type: event.type, object: apply(event.object) };
      case 'Restarted':
        return { type: 'Restarted', objects: event.objects.map(apply) };
      default:
        return event;
    }
  });
}
