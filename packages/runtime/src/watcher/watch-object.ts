/** `watchObject(api, name)`: the current state of one named object, as a stream. */
import { fieldSelector, type KubeObject, renderSelector } from '@kube-ts/core';
import { filter, map, type Observable } from 'rxjs';
import type { WatchSource } from './source.js';
import { type WatcherConfig, watcher } from './watcher.js';

/**
 * Watches one object by name (a `metadata.name=<name>` field selector, ANDed with any
 * `fieldSelector` in `config`). Emits the object after each (re)list and each change, and
 * `undefined` while it does not exist (after a list that did not find it, or its deletion).
 * `Error` values are dropped (the watcher recovers by itself); never errors or completes.
 */
export function watchObject<K extends KubeObject>(
  api: WatchSource<K>,
  name: string,
  config: WatcherConfig<K> = {},
): Observable<K | undefined> {
  const byName = fieldSelector().eq('metadata.name', name).toString();
  const extra = renderSelector(config.fieldSelector);
  const combined = extra ? `${byName},${extra}` : byName;
  return watcher(api, { ...config, fieldSelector: combined }).pipe(
    filter((event) => event.type !== 'Error'),
    map((event) => {
      switch (event.type) {
        case 'Restarted':
          return event.objects.find((o) => o.metadata?.name === name);
        case 'Applied':
          return event.object;
        default:
          return undefined;
      }
    }),
  );
}
