import { goJson } from './go-json.js';
import type { JsonObject } from './json.js';
import { type ResourceType, viewAt } from './resource-types.js';

const cache = new WeakMap<JsonObject, string>();

/**
 * JSON text of a stored object, computed once per object: stored objects are immutable,
 * so GET, LIST and every watcher reuse the same string.
 */
export function jsonOf(obj: JsonObject): string {
  let s = cache.get(obj);
  if (s === undefined) {
    s = goJson(obj);
    cache.set(obj, s);
  }
  return s;
}

/** The object as served at `apiVersion` (a shallow copy when the stored version differs). */
export function atVersion(obj: JsonObject, apiVersion: string): JsonObject {
  if (obj.apiVersion === apiVersion) return obj;
  return { ...obj, apiVersion };
}

/** A stored object as a resource serves it at a version (converted when it is a view). */
export function servedAs(t: ResourceType, apiVersion: string, obj: JsonObject): JsonObject {
  const view = viewAt(t, apiVersion.slice(apiVersion.indexOf('/') + 1));
  return atVersion(view ? view.fromStored(obj) : obj, apiVersion);
}

const itemCache = new WeakMap<JsonObject, string>();

/**
 * JSON text of an object as an item of a built-in list: kube-apiserver's typed lists leave
 * out each item's `kind` and `apiVersion` (custom resource lists keep them). Cached.
 */
export function itemJsonOf(obj: JsonObject): string {
  let s = itemCache.get(obj);
  if (s === undefined) {
    const { kind: _k, apiVersion: _a, ...rest } = obj;
    s = goJson(rest);
    itemCache.set(obj, s);
  }
  return s;
}
