/**
 * Filling in `apiVersion` and `kind`. List items come without them (the API server omits
 * them in lists), while watch events carry them. The watcher fills them in from the list's
 * kind, so every object it emits is complete (e.g. for `ObjectRef.from(obj)` or an
 * Event's `regarding`); a controller, which knows its resource, also fills them from it.
 */
import { type ApiResource, apiVersionOf, type KubeObject, type ObjectList } from '@kube-ts/core';

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

/**
 * For objects of `resource`: the object itself when it has `apiVersion` and `kind`, else a
 * copy with the missing ones taken from the resource (a source that answered a list
 * without a list kind leaves them out), so reconcilers can always build owner and event
 * references.
 */
export function typeMetaOf<K extends KubeObject>(resource: ApiResource<K>): (obj: K) => K {
  const apiVersion = apiVersionOf(resource);
  return (obj) =>
    obj.apiVersion && obj.kind
      ? obj
      : { ...obj, apiVersion: obj.apiVersion ?? apiVersion, kind: obj.kind ?? resource.kind };
}
