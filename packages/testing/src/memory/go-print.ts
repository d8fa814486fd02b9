import { isObject, type Json } from './json.js';

/**
 * A copy of a JSON value with object keys in byte order, the order Go's `encoding/json`
 * writes a `map[string]interface{}` in (kube-apiserver re-encodes patched objects so).
 */
export function sortedKeys(v: Json): Json {
  if (Array.isArray(v)) return v.map(sortedKeys);
  if (!isObject(v)) return v;
  const out: { [k: string]: Json } = {};
  for (const k of Object.keys(v).sort()) out[k] = sortedKeys(v[k]!);
  return out;
}

/**
 * A decoded JSON value as Go's `fmt.Sprintf("%+v", v)` prints it (`map[a:1 b:[x y]]`),
 * which kube-apiserver puts in some error messages.
 */
export function goPrint(v: Json): string {
  if (v === null) return '<nil>';
  if (Array.isArray(v)) return `[${v.map(goPrint).join(' ')}]`;
  if (isObject(v)) {
    return `map[${Object.keys(v)
      .sort()
      .map((k) => `${k}:${goPrint(v[k]!)}`)
      .join(' ')}]`;
  }
  return String(v);
}

/**
 * A value decoded from JSON into `interface{}` as Go's `fmt.Sprintf("%#v", v)` prints it
 * (`map[string]interface {}{"a":1, "b":[]interface {}{"x"}}`), which structured-merge-diff
 * puts in its type errors.
 */
export function goPrintSharp(v: Json): string {
  if (v === null) return 'interface {}(nil)';
  if (Array.isArray(v)) return `[]interface {}{${v.map(goPrintSharp).join(', ')}}`;
  if (isObject(v)) {
    return `map[string]interface {}{${Object.keys(v)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${goPrintSharp(v[k]!)}`)
      .join(', ')}}`;
  }
  return typeof v === 'string' ? JSON.stringify(v) : String(v);
}

/** A string list as Go's `fmt.Sprintf("%q", list)` prints it: `["a" "b"]`. */
export function goQuotedList(list: readonly string[]): string {
  return `[${list.map((x) => JSON.stringify(x)).join(' ')}]`;
}

/** A float as Go's `%f` prints it (six decimals). */
export function goFixed(n: number): string {
  return n.toFixed(6);
}
