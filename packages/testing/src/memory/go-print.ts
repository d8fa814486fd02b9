import { carryBigIntegers } from './big-integers.js';
import { isObject, type Json } from './json.js';

export { goFloat, goQuote, goQuoteBytes } from '@kube-ts/schema/validation';

/**
 * A copy of a JSON value with object keys in byte order, the order Go's `encoding/json`
 * writes a `map[string]interface{}` in (kube-apiserver re-encodes patched objects so), with
 * the integer literals each holder keeps (big-integers.ts).
 */
export function sortedKeys(v: Json): Json {
  if (Array.isArray(v)) {
    const list = v.map(sortedKeys);
    carryBigIntegers(v, list);
    return list;
  }
  if (!isObject(v)) return v;
  const out: { [k: string]: Json } = {};
  for (const k of Object.keys(v).sort()) out[k] = sortedKeys(v[k]!);
  carryBigIntegers(v, out);
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
 * A value decoded into `interface{}` as Go's `fmt.Sprintf("%#v", v)` prints it
 * (`map[string]interface {}{"a":1, "b":[]interface {}{"x"}}`), which structured-merge-diff
 * puts in its type errors; `mapType` names the Go type of its maps (go-yaml decodes into
 * `map[interface {}]interface {}`).
 */
export function goPrintSharp(v: Json, mapType = 'map[string]interface {}'): string {
  if (v === null) return 'interface {}(nil)';
  if (Array.isArray(v))
    return `[]interface {}{${v.map((x) => goPrintSharp(x, mapType)).join(', ')}}`;
  if (isObject(v)) {
    return `${mapType}{${Object.keys(v)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${goPrintSharp(v[k]!, mapType)}`)
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
