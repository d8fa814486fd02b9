/** `reflect(writer)`: keep a store up to date from a watcher stream. */
import { type MonoTypeOperatorFunction, tap } from 'rxjs';
import type { StoreWriter } from '../store/store.js';
import type { WatcherEvent } from '../watcher/events.js';

/**
 * Applies each event to `writer` before passing it on unchanged, so that downstream
 * operators and subscribers see a store that already includes the event.
 */
export function reflect<K>(writer: StoreWriter<K>): MonoTypeOperatorFunction<WatcherEvent<K>> {
  return tap((event) => writer.apply(event));
}
