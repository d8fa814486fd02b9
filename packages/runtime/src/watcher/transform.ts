/**
 * The watcher's `transform` (`WatcherConfig.transform`), applied to objects as they
 * arrive: to each listed page before the next one is requested, and to each watch event's
 * object. A store's transform given here instead keeps an initial list from holding the
 * raw objects: each page's raw objects are garbage once transformed (issue 14).
 */
import type { WatchEvent } from '@kube-ts/client';
import type { KubeObject, ObjectList } from '@kube-ts/core';

/**
 * The items of `list` replaced by `transform(item)`, in place: a page is the freshly
 * decoded response and the watcher's own (as in `fillTypeMeta`).
 */
export function transformItems<K extends KubeObject>(
  list: ObjectList<K>,
  transform: (obj: K) => K,
): ObjectList<K> {
  const items = list.items;
  for (let i = 0; i < items.length; i++) items[i] = transform(items[i]!);
  return list;
}

/**
 * The objects of `events` (ADDED, MODIFIED, DELETED; not bookmarks or errors) replaced by
 * `transform(object)`, in place: the events are freshly decoded and the watcher's own.
 */
export function transformEvents<K extends KubeObject>(
  events: readonly WatchEvent<K>[],
  transform: (obj: K) => K,
): void {
  for (const event of events) {
    if (event.type !== 'ERROR' && event.type !== 'BOOKMARK') event.object = transform(event.object);
  }
}
