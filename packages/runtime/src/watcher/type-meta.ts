/**
 * List items come without `apiVersion` and `kind` (the API server omits them in lists),
 * while watch events carry them. The watcher fills them in, so every object it emits is
 * complete (e.g. for `ObjectRef.from(obj)` or an Event's `regarding`).
 */
import type { KubeObject, ObjectList } from '@kube-ts/core';

/**
 * Sets `apiVersion` and `kind` on the items of `list` that lack them, from the list's own
 * `apiVersion` and `kind` (`FooList` → `Foo`). Items are the freshly decoded response, so
 * they are changed in place. Lists without a `…List` kind are left alone.
 */
export function fillTypeMeta<K extends KubeObject>(list: ObjectList<K>): ObjectList<K> {
  const listKind = list.kind;
  if (!listKind?.endsWith('List') || listKind.length === 4) return list;
  const kind = listKind.slice(0, -4);
  const apiVersion = list.apiVersion;
  for (const item of list.items) {
    if (item.kind === undefined) item.kind = kind;
    if (item.apiVersion === undefined && apiVersion !== undefined) item.apiVersion = apiVersion;
  }
  return list;
}
