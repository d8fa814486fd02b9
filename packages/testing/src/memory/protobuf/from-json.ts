/**
 * The reverse of to-json.ts: the JSON of a built-in object written as the protobuf message
 * kube-apiserver's gogo-generated marshallers write for the Go struct the JSON decodes to.
 * Those marshallers write fields in field-number order, every non-pointer scalar and
 * struct even when it is zero, pointers and byte slices only when set, and map entries
 * sorted by key; the types with their own JSON form (Time, MicroTime, Duration, Quantity,
 * IntOrString, RawExtension, JSON, FieldsV1, the JSONSchemaPropsOr* unions and slice
 * types) are written as their own marshallers write them.
 */
import protobuf from 'protobufjs';
import { keptLiteral } from '../big-integers.js';
import { goJson } from '../go-json.js';
import { isObject, type Json, type JsonObject, num } from '../json.js';
import { parseGoDuration } from './go-duration.js';

const META = '.k8s.io.apimachinery.pkg.apis.meta.v1';
const EXT = '.k8s.io.apiextensions_apiserver.pkg.apis.apiextensions.v1';

/** Protobuf wire types. */
const VARINT = 0;
const LENGTH_DELIMITED = 2;

/** A message's fields in field-number order (gogo-protobuf's order), computed once. */
const ordered = new WeakMap<protobuf.Type, protobuf.Field[]>();

function fieldsOf(type: protobuf.Type): protobuf.Field[] {
  let fields = ordered.get(type);
  if (!fields) {
    fields = [...type.fieldsArray].sort((a, b) => a.id - b.id);
    for (const f of fields) f.resolve();
    ordered.set(type, fields);
  }
  return fields;
}

function tag(w: protobuf.Writer, id: number, wireType: number): void {
  w.uint32(((id << 3) | wireType) >>> 0);
}

/** Seconds and nanoseconds of an RFC 3339 time (nanoseconds only to the microsecond). */
function timestamp(text: string, micro: boolean): { seconds: number; nanos: number } {
  const m = /^(.*?T\d{2}:\d{2}:\d{2})(?:\.(\d+))?(Z|[+-]\d{2}:\d{2})$/i.exec(text);
  if (!m) return { seconds: Math.floor(Date.parse(text) / 1000), nanos: 0 };
  const seconds = Math.floor(Date.parse(`${m[1]}${m[3]}`) / 1000);
  const nanos = micro ? Number((m[2] ?? '').slice(0, 6).padEnd(6, '0')) * 1000 : 0;
  return { seconds, nanos };
}

/** metav1.Time/MicroTime: nothing for Go's zero time (null in JSON), else a Timestamp. */
function writeTime(w: protobuf.Writer, v: Json | undefined, micro: boolean): void {
  if (typeof v !== 'string' || v === '') return;
  const { seconds, nanos } = timestamp(v, micro);
  tag(w, 1, VARINT);
  w.int64(seconds);
  tag(w, 2, VARINT);
  w.int32(nanos);
}

/** Embedded JSON (RawExtension, apiextensions JSON, FieldsV1): its bytes, unless null. */
function writeRaw(w: protobuf.Writer, v: Json | undefined): void {
  if (v === undefined || v === null) return;
  tag(w, 1, LENGTH_DELIMITED);
  w.bytes(Buffer.from(goJson(v), 'utf8'));
}

/**
 * Writes the fields of `type`'s message for the JSON value `v` (the message's body,
 * without its own tag and length). `v` undefined is the Go zero value.
 */
export function writeMessage(w: protobuf.Writer, type: protobuf.Type, v: Json | undefined): void {
  switch (type.fullName) {
    case `${META}.Time`:
      writeTime(w, v, false);
      return;
    case `${META}.MicroTime`:
      writeTime(w, v, true);
      return;
    case `${META}.Duration`:
      tag(w, 1, VARINT);
      w.int64(typeof v === 'string' ? (parseGoDuration(v) ?? 0) : 0);
      return;
    case '.k8s.io.apimachinery.pkg.api.resource.Quantity':
      tag(w, 1, LENGTH_DELIMITED);
      w.string(v === undefined || v === null ? '0' : String(v));
      return;
    case '.k8s.io.apimachinery.pkg.util.intstr.IntOrString': {
      const isString = typeof v === 'string';
      tag(w, 1, VARINT);
      w.int64(isString ? 1 : 0);
      tag(w, 2, VARINT);
      w.int32(num(v));
      tag(w, 3, LENGTH_DELIMITED);
      w.string(isString ? v : '');
      return;
    }
    case '.k8s.io.apimachinery.pkg.runtime.RawExtension':
    case `${EXT}.JSON`:
    case `${META}.FieldsV1`:
      writeRaw(w, v);
      return;
  }
  if (type.fullName.startsWith(`${EXT}.JSONSchemaPropsOr`)) {
    writeSchemaUnion(w, type, v);
    return;
  }
  if (type.options?.list) {
    const items = type.fields.items!;
    if (Array.isArray(v)) for (const x of v) writeOne(w, items, x);
    return;
  }
  const o: JsonObject = isObject(v) ? v : {};
  for (const field of fieldsOf(type)) {
    const opts = field.options ?? {};
    const key = (opts.json as string | undefined) ?? field.name;
    writeField(w, field, opts.inline ? o : o[key], opts.inline ? undefined : literalOf(o, key));
  }
}

/**
 * JSONSchemaPropsOrArray (a schema or a list of them), OrBool (a boolean, or a schema that
 * allows) and OrStringArray (a schema or a list of property names), from their JSON.
 */
function writeSchemaUnion(w: protobuf.Writer, type: protobuf.Type, v: Json | undefined): void {
  const schema = type.fields.schema!;
  if (type.name === 'JSONSchemaPropsOrBool') {
    tag(w, 1, VARINT);
    w.bool(v === true || isObject(v));
    if (isObject(v)) writeOne(w, schema, v);
    return;
  }
  if (isObject(v)) writeOne(w, schema, v);
  else if (Array.isArray(v)) {
    const many = type.fields.jSONSchemas ?? type.fields.property!;
    for (const x of v) writeOne(w, many, x);
  }
}

/** Go's map key order (sort.Strings: by UTF-8 bytes). */
function byGoKey(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
}

/** A map field's entry fields (key 1, value 2), made once per map field. */
const entries = new WeakMap<protobuf.MapField, [protobuf.Field, protobuf.Field]>();

function entryFieldsOf(field: protobuf.MapField): [protobuf.Field, protobuf.Field] {
  let pair = entries.get(field);
  if (!pair) {
    const value = new protobuf.Field('value', 2, field.type);
    value.resolvedType = field.resolvedType;
    pair = [new protobuf.Field('key', 1, field.keyType), value];
    entries.set(field, pair);
  }
  return pair;
}

/**
 * The exact literal of an integer beyond 2^53 at `holder[key]` (big-integers.ts), which
 * an int64 field is written from: the number JavaScript holds is rounded.
 */
function literalOf(holder: object, key: string): string | undefined {
  const v = (holder as Record<string, unknown>)[key];
  return typeof v === 'number' && !Number.isSafeInteger(v) ? keptLiteral(holder, key) : undefined;
}

/** An integer literal as the 64 bits protobufjs writes (its two's complement halves). */
function longOf(literal: string): protobuf.Long {
  const bits = BigInt.asUintN(64, BigInt(literal));
  const low = Number(bits & 0xffffffffn) | 0;
  const high = Number(bits >> 32n) | 0;
  return { low, high, unsigned: false } as protobuf.Long;
}

/**
 * One field of a message from its JSON value (undefined: absent from the JSON); `literal`:
 * the exact text of an integer beyond 2^53 there.
 */
function writeField(
  w: protobuf.Writer,
  field: protobuf.Field,
  v: Json | undefined,
  literal?: string,
): void {
  if (field instanceof protobuf.MapField) {
    if (!isObject(v)) return;
    const [keyField, valueField] = entryFieldsOf(field);
    for (const k of Object.keys(v).sort(byGoKey)) {
      tag(w, field.id, LENGTH_DELIMITED);
      w.fork();
      writeOne(w, keyField, k);
      if (v[k] !== null || valueField.type !== 'bytes') {
        writeOne(w, valueField, v[k], literalOf(v, k));
      }
      w.ldelim();
    }
    return;
  }
  if (field.repeated) {
    if (!Array.isArray(v)) return;
    for (let i = 0; i < v.length; i++) writeOne(w, field, v[i], literalOf(v, String(i)));
    return;
  }
  // A Go pointer, and a byte slice, is written only when the JSON sets it.
  const optional = field.options?.pointer === true || field.type === 'bytes';
  if (optional && (v === undefined || v === null)) return;
  writeOne(w, field, v, literal);
}

/**
 * One value of a field (an element of a repeated field, a map entry's key or value);
 * `literal`: the exact text of an integer beyond 2^53 (protobufjs writes it as a Long).
 */
function writeOne(
  w: protobuf.Writer,
  field: protobuf.Field,
  v: Json | undefined,
  literal?: string,
): void {
  const t = field.resolvedType;
  if (t instanceof protobuf.Type) {
    tag(w, field.id, LENGTH_DELIMITED);
    w.fork();
    writeMessage(w, t, v);
    w.ldelim();
    return;
  }
  const wireType = protobuf.types.basic[field.type as keyof typeof protobuf.types.basic];
  if (wireType === undefined) throw new Error(`protobuf: unsupported field type ${field.type}`);
  tag(w, field.id, wireType);
  switch (field.type) {
    case 'string':
      w.string(typeof v === 'string' ? v : '');
      return;
    case 'bytes':
      w.bytes(typeof v === 'string' ? Buffer.from(v, 'base64') : Buffer.alloc(0));
      return;
    case 'bool':
      w.bool(v === true);
      return;
    default: {
      const n = literal !== undefined ? longOf(literal) : num(v);
      (w[field.type as 'int64'] as (n: number | protobuf.Long) => protobuf.Writer).call(w, n);
    }
  }
}
