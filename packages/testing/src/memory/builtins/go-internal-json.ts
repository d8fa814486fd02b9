/**
 * A v1 value as Go's `encoding/json` writes kube-apiserver's internal (unversioned) struct
 * for it, which some refusals quote as their invalid value (a Job's immutable
 * `spec.template`: `{"Spec":{"Volumes":null,…}}`): every field under its Go name in the
 * struct's order (the embedded `ObjectMeta`'s under their JSON names, empty ones dropped),
 * nil pointers, slices and maps as `null`, zero values written out, map keys sorted. The
 * structs' fields come from go-internal-types.json (generated from the Go types by
 * `scripts/go-internal-types`).
 */
import { deepEqual, isObject, type Json, type JsonObject, num } from '../json.js';
import generated from './go-internal-types.json' with { type: 'json' };

/** A field as encoding/json writes it: its key (`?` when empty values are dropped), the v1 JSON path it is converted from, its type. */
type InternalField = readonly [key: string, from: string, type: string];

const STRUCTS = generated as unknown as Record<string, readonly InternalField[]>;

/** The v1 PodSpec fields the conversion moves into the internal security context. */
const HOST_NAMESPACE_FIELDS = [
  'hostNetwork',
  'hostPID',
  'hostIPC',
  'shareProcessNamespace',
  'hostUsers',
];

/** The value at a dotted v1 JSON path (`metadata.labels`). */
function at(v: JsonObject, path: string): Json | undefined {
  let cur: Json | undefined = v;
  for (const key of path.split('.')) cur = isObject(cur) ? cur[key] : undefined;
  return cur;
}

/** Whether `omitempty` drops the value: false, 0, "", null, an empty list or map. */
function isEmpty(v: Json): boolean {
  if (Array.isArray(v)) return v.length === 0;
  if (isObject(v)) return Object.keys(v).length === 0;
  return v === null || v === false || v === 0 || v === '';
}

/**
 * `Convert_v1_PodSpec_To_core_PodSpec`'s own steps: the deprecated `serviceAccount` stands
 * in for an empty `serviceAccountName`, and the host namespace fields move into an always
 * present security context.
 */
function podSpecForConversion(spec: JsonObject): JsonObject {
  const out: JsonObject = { ...spec };
  if (!out.serviceAccountName) out.serviceAccountName = spec.serviceAccount ?? '';
  const context: JsonObject = isObject(spec.securityContext) ? { ...spec.securityContext } : {};
  for (const key of HOST_NAMESPACE_FIELDS) {
    if (spec[key] !== undefined) context[key] = spec[key];
  }
  out.securityContext = context;
  return out;
}

/**
 * `v` (a v1 value) as encoding/json writes the internal value of `type`; with `semantic`,
 * empty slices and maps written as `null`, as `equality.Semantic` takes them for nil.
 */
export function internalJson(v: Json | undefined, type: string, semantic = false): Json {
  if (type.startsWith('*'))
    return v === undefined || v === null ? null : internalJson(v, type.slice(1), semantic);
  if (type.startsWith('[]')) {
    if (!Array.isArray(v) || (semantic && v.length === 0)) return null;
    return v.map((item) => internalJson(item, type.slice(2), semantic));
  }
  if (type.startsWith('map[')) {
    if (!isObject(v)) return null;
    const element = type.slice(4, -1);
    const keys = Object.keys(v).sort();
    if (semantic && keys.length === 0) return null;
    return Object.fromEntries(keys.map((k) => [k, internalJson(v[k], element, semantic)]));
  }
  if (type.startsWith('json:'))
    return v === undefined || v === null ? JSON.parse(type.slice(5)) : v;
  switch (type) {
    case 'string':
      return typeof v === 'string' ? v : '';
    case 'int':
    case 'float':
      return num(v);
    case 'bool':
      return v === true;
    default:
      return structJson(isObject(v) ? v : {}, type, semantic);
  }
}

/**
 * Whether two v1 values are equal as kube-apiserver's `equality.Semantic` compares their
 * internal values of `type`: field by field after conversion, a nil slice or map equal to
 * an empty one (a nil pointer is not equal to a pointer to an empty struct).
 */
export function internalSemanticEqual(
  a: Json | undefined,
  b: Json | undefined,
  type: string,
): boolean {
  return deepEqual(internalJson(a, type, true), internalJson(b, type, true));
}

function structJson(v: JsonObject, type: string, semantic: boolean): JsonObject {
  const fields = STRUCTS[type];
  if (!fields) throw new Error(`no internal type ${type}`);
  const from = type === 'core.PodSpec' ? podSpecForConversion(v) : v;
  const out: JsonObject = {};
  for (const [key, path, fieldType] of fields) {
    const value = internalJson(at(from, path), fieldType, semantic);
    if (key.endsWith('?')) {
      if (!isEmpty(value)) out[key.slice(0, -1)] = value;
    } else out[key] = value;
  }
  return out;
}
