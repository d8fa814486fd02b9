/** `reflector(writer, stream)`: a watcher stream that keeps a store up to date. */
import type { Observable } from 'rxjs';
import { reflect } from '../operators/reflect.js';
import type { WatcherEvent } from '../watcher/events.js';
import type { StoreWriter } from './store.js';

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
