/**
 * `reflect(writer)` and `reflector(writer, stream)`: keep a store up to date from a
 * watcher stream.
 */
import { type MonoTypeOperatorFunction, type Observable, tap } from 'rxjs';
import type { WatcherEvent } from '../watcher/events.js';
import type { StoreWriter } from './store.js';

/**
 * Applies each event to `writer` before passing it on unchanged, so that downstream
 * operators and subscribers see a store that already includes the event.
 */
export function reflect<K>(writer: StoreWriter<K>): MonoTypeOperatorFunction<WatcherEvent<K>> {
  return tap((event) => writer.apply(event));
}

/**
 * The same stream, with each event applied to `writer` before it is passed on (so the
 * store already includes an event when a subscriber sees it). Nothing happens until it
 * is subscribed.
 */
export function reflector<K>(
  writer: StoreWriter<K>,
  stream: Observable<WatcherEvent<K>>,
): Observable<WatcherEvent<K>> {
  return stream.pipe(reflect(writer));
}
