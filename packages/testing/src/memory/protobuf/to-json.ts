import protobuf from 'protobufjs';
import type { Json, JsonObject } from '../json.js';
import { goDuration } from './go-duration.js';

/** A decoded protobufjs message: its fields by proto name. */
type Message = Record<string, unknown>;

const META = '.k8s.io.apimachinery.pkg.apis.meta.v1';
const EXT = '.k8s.io.apiextensions_apiserver.pkg.apis.apiextensions.v1';

/** What Go's `time.Time` zero value is in seconds since the epoch. */
const GO_ZERO_SECONDS = -62135596800;

function int(v: unknown): number {
  if (typeof v === 'number') return v;
  if (v && typeof v === 'object' && 'toNumber' in v)
    return (v as { toNumber(): number }).toNumber();
  return Number(v);
}

function has(m: Message, field: string): boolean {
  return Object.hasOwn(m, field) && m[field] !== null && m[field] !== undefined;
}

/** metav1.Time/MicroTime as their JSON: RFC 3339 in seconds (micro: microseconds). */
function time(m: Message, micro: boolean): Json | undefined {
  // An empty message is Go's zero time, which metav1 marshals as null (so: absent).
  if (!has(m, 'seconds')) return undefined;
  const seconds = int(m.seconds);
  if (seconds === GO_ZERO_SECONDS) return undefined;
  const iso = new Date(seconds * 1000).toISOString().slice(0, 19);
  if (!micro) return `${iso}Z`;
  const micros = Math.floor(int(m.nanos ?? 0) / 1000);
  return `${iso}.${String(micros).padStart(6, '0')}Z`;
}

/** Embedded JSON bytes (RawExtension, apiextensions JSON, FieldsV1). */
function rawJson(bytes: unknown, decodeEmbedded: (b: Uint8Array) => JsonObject): Json | undefined {
  if (!(bytes instanceof Uint8Array) || bytes.length === 0) return undefined;
  if (bytes[0] === 0x6b && bytes[1] === 0x38 && bytes[2] === 0x73 && bytes[3] === 0) {
    return decodeEmbedded(bytes);
  }
  return JSON.parse(Buffer.from(bytes).toString('utf8')) as Json;
}

/**
 * A decoded message as the JSON Go's encoding/json writes for the struct it came from:
 * JSON names and inlined structs from the field options, zero values of `omitempty`
 * non-pointer fields left out, and the types with their own JSON form (Time, MicroTime,
 * Duration, Quantity, IntOrString, RawExtension, JSON, FieldsV1, the JSONSchemaPropsOr*
 * unions and slice types) written as kube-apiserver writes them.
 */
export function messageToJson(
  type: protobuf.Type,
  m: Message,
  decodeEmbedded: (b: Uint8Array) => JsonObject,
): Json | undefined {
  const sub = (t: protobuf.Type, v: Message) => messageToJson(t, v, decodeEmbedded);
  switch (type.fullName) {
    case `${META}.Time`:
      return time(m, false);
    case `${META}.MicroTime`:
      return time(m, true);
    case `${META}.Duration`:
      return goDuration(int(m.duration ?? 0));
    case '.k8s.io.apimachinery.pkg.api.resource.Quantity':
      return (m.string as string | undefined) ?? '0';
    case '.k8s.io.apimachinery.pkg.util.intstr.IntOrString':
      return int(m.type ?? 0) === 1 ? ((m.strVal as string) ?? '') : int(m.intVal ?? 0);
    case '.k8s.io.apimachinery.pkg.runtime.RawExtension':
    case `${EXT}.JSON`:
      return rawJson(m.raw, decodeEmbedded);
    case `${META}.FieldsV1`:
      return rawJson(m.Raw, decodeEmbedded);
  }
  const schema = type.fields.schema?.resolvedType;
  if (type.fullName.startsWith(`${EXT}.JSONSchemaPropsOr`) && schema instanceof protobuf.Type) {
    if (has(m, 'schema')) return sub(schema, m.schema as Message);
    if (type.name === 'JSONSchemaPropsOrBool') return m.allows === true;
    const items = (m.jSONSchemas ?? m.property) as unknown[] | undefined;
    return items?.map((x) => (typeof x === 'string' ? x : sub(schema, x as Message))) as Json;
  }
  if (type.options?.list) {
    return fieldValue(type.fields.items!, m.items, decodeEmbedded) ?? [];
  }
  const out: JsonObject = {};
  for (const field of type.fieldsArray) {
    if (!has(m, field.name)) continue;
    const value = fieldValue(field, m[field.name], decodeEmbedded);
    if (value === undefined) continue;
    const o = field.options ?? {};
    if (o.inline && value && typeof value === 'object' && !Array.isArray(value)) {
      Object.assign(out, value);
      continue;
    }
    if (!o.keep && (value === '' || value === 0 || value === false)) continue;
    out[(o.json as string | undefined) ?? field.name] = value;
  }
  return out;
}

function fieldValue(
  field: protobuf.Field,
  v: unknown,
  decodeEmbedded: (b: Uint8Array) => JsonObject,
): Json | undefined {
  const one = (x: unknown): Json | undefined => {
    const t = field.resolvedType;
    if (t instanceof protobuf.Type) return messageToJson(t, x as Message, decodeEmbedded);
    if (x instanceof Uint8Array) return Buffer.from(x).toString('base64');
    if (typeof x === 'object' && x !== null) return int(x);
    return x as Json;
  };
  if (field.map) {
    const entries = Object.entries(v as Record<string, unknown>);
    if (entries.length === 0) return undefined;
    const out: JsonObject = {};
    for (const [k, x] of entries) out[k] = one(x) ?? null;
    return out;
  }
  if (field.repeated) {
    const items = v as unknown[];
    return items.length === 0 ? undefined : items.map((x) => one(x) ?? null);
  }
  return one(v);
}
