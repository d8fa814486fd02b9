/**
 * A spec as Go's `encoding/json` writes kube-apiserver's internal struct for it (exported
 * field names, no tags: `{"Type":"Limited","Limited":{…}}`, nil pointers and slices as
 * `null`, zero values written out), which some refusals quote as the invalid value. A
 * shape names each field's Go name, JSON name and kind.
 */
import { isObject, type Json, type JsonObject, num } from '../json.js';

/** The shape of a Go value: a scalar kind, a struct (optionally a pointer), or a slice. */
export type GoShape =
  | 'string'
  | 'int'
  | 'bool'
  | 'int-pointer'
  | 'string-pointer'
  | 'strings'
  | 'string-map'
  | { readonly struct: readonly GoField[]; readonly pointer?: boolean }
  | { readonly slice: GoShape };

/** A struct field: its Go name, its JSON name, its shape. */
export type GoField = readonly [string, string, GoShape];

/** `v` (decoded JSON) as the Go value of `shape` encodes. */
export function goStructJson(v: Json | undefined, shape: GoShape): Json {
  switch (shape) {
    case 'string':
      return typeof v === 'string' ? v : '';
    case 'int':
      return num(v);
    case 'bool':
      return v === true;
    case 'int-pointer':
      return typeof v === 'number' ? v : null;
    case 'string-pointer':
      return typeof v === 'string' ? v : null;
    case 'strings':
      return Array.isArray(v) ? v.map(String) : null;
    case 'string-map':
      // Go writes a map's keys sorted.
      return isObject(v)
        ? Object.fromEntries(
            Object.keys(v)
              .sort()
              .map((k) => [k, String(v[k])]),
          )
        : null;
    default:
      break;
  }
  if ('slice' in shape) return Array.isArray(v) ? v.map((i) => goStructJson(i, shape.slice)) : null;
  if (shape.pointer && !isObject(v)) return null;
  const from = isObject(v) ? v : {};
  const out: JsonObject = {};
  for (const [go, json, field] of shape.struct) out[go] = goStructJson(from[json], field);
  return out;
}

/** Drops empty slices, so values compare as `equality.Semantic` does (nil equals empty). */
function withoutEmptySlices(v: Json): Json {
  if (Array.isArray(v)) return v.length ? v.map(withoutEmptySlices) : null;
  if (!isObject(v)) return v;
  return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, withoutEmptySlices(x)]));
}

/** Whether two values of `shape` are equal as kube-apiserver's semantic equality sees them. */
export function goSemanticEqual(a: Json | undefined, b: Json | undefined, shape: GoShape): boolean {
  const norm = (v: Json | undefined) => JSON.stringify(withoutEmptySlices(goStructJson(v, shape)));
  return norm(a) === norm(b);
}
