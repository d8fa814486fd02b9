/** A JSON value as it travels over the wire. */
export type Json = null | boolean | number | string | Json[] | JsonObject;

/** A JSON object. */
export interface JsonObject {
  [key: string]: Json;
}

/** True when `v` is a plain JSON object (not an array, not null). */
export function isObject(v: unknown): v is JsonObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/**
 * Go's semantic equality (`equality.Semantic`) of two decoded JSON values: a null or an
 * empty list equals an absent one (Go's nil), keys in any order.
 */
export function semanticEqual(a: Json | undefined, b: Json | undefined): boolean {
  return deepEqual(withoutNil(a), withoutNil(b));
}

/** `v` without nulls and empty lists. */
function withoutNil(v: Json | undefined): Json | undefined {
  if (v === null) return undefined;
  if (Array.isArray(v)) return v.length ? v.map((x) => withoutNil(x) ?? null) : undefined;
  if (!isObject(v)) return v;
  const out: JsonObject = {};
  for (const [k, x] of Object.entries(v)) {
    const n = withoutNil(x);
    if (n !== undefined) out[k] = n;
  }
  return out;
}

/** How Go's decoder names a JSON value it cannot store (`UnmarshalTypeError.Value`). */
export function jsonWord(value: Json): string {
  if (Array.isArray(value)) return 'array';
  if (value === null) return 'null';
  if (typeof value === 'object') return 'object';
  return typeof value === 'boolean' ? 'bool' : typeof value;
}

/** Deep structural equality of two JSON values (key order is ignored). */
export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!deepEqual(a[i], b[i])) return false;
    return true;
  }
  if (isObject(a) && isObject(b)) {
    const ka = Object.keys(a);
    if (ka.length !== Object.keys(b).length) return false;
    for (const k of ka) {
      if (!Object.hasOwn(b, k) || !deepEqual(a[k], b[k])) return false;
    }
    return true;
  }
  return false;
}

/** The object at `obj[key]`, or an empty object when it is absent or not an object. */
export function objAt(obj: JsonObject, key: string): JsonObject {
  const v = obj[key];
  return isObject(v) ? v : {};
}

/** The string at `obj[key]`, or undefined. */
export function strAt(obj: JsonObject | undefined, key: string): string | undefined {
  const v = obj?.[key];
  return typeof v === 'string' ? v : undefined;
}

/** `v` when it is a string, else the empty string (Go's zero value for a string field). */
export function str(v: unknown): string {
  return typeof v === 'string' ? v : '';
}

/** `v` when it is a number, else `fallback` (default 0, Go's zero value for a number field). */
export function num(v: unknown, fallback = 0): number {
  return typeof v === 'number' ? v : fallback;
}

/** `v` when it is a number, else undefined (an optional number field that is absent). */
export function optNum(v: unknown): number | undefined {
  return typeof v === 'number' ? v : undefined;
}

/** `v` when it is an object, else an empty object (Go's zero value for a struct field). */
export function obj(v: unknown): JsonObject {
  return isObject(v) ? v : {};
}

/** The items of `v` as strings (a non-string item as the empty string), or none when it is no list. */
export function strings(v: Json | undefined): string[] {
  return Array.isArray(v) ? v.map(str) : [];
}

/** The items of `v` as objects (a non-object item as an empty one), or none when it is no list. */
export function objects(v: Json | undefined): JsonObject[] {
  return Array.isArray(v) ? v.map(obj) : [];
}
