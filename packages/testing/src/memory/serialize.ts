import type { JsonObject } from './json.js';

const cache = new WeakMap<JsonObject, string>();

/**
 * JSON text of a stored object, computed once per object: stored objects are immutable,
 * so GET, LIST and every watcher reuse the same string.
 */
export function jsonOf(obj: JsonObject): string {
  let s = cache.get(obj);
  if (s === undefined) {
    s = JSON.stringify(obj);
    cache.set(obj, s);
  }
  return s;
}

/** The object as served at `apiVersion` (a shallow copy when the stored version differs). */
export function atVersion(obj: JsonObject, apiVersion: string): JsonObject {
  if (obj.apiVersion === apiVersion) return obj;
  return { ...obj, apiVersion };
}
