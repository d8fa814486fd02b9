import { carryBigIntegers } from '../big-integers.js';
import { isObject, type Json, type JsonObject } from '../json.js';
import { type GoField, goStruct } from './go-types.js';
import { definitionOf, fieldTypes } from './typed-fields.js';

/**
 * A built-in object as kube-apiserver stores and serves it: decoded into its Go type and
 * written back by encoding/json. What that round trip does to the JSON a client sent:
 * - the fields its Go structs always write appear with their zero value: `null` for a time
 *   that is not a pointer (a condition's `lastTransitionTime`, a running container's
 *   `startedAt`), `{}` for a struct (a container status's `lastState`), `""`, `0`, `false`
 *   for a plain string, number or boolean, `null` for a list, map or pointer without
 *   `omitempty`;
 * - `null` and, where the field has `omitempty` and is not a pointer, an empty value (`""`,
 *   `0`, `false`, `[]`, `{}`) are dropped (or written as the zero value, for the fields
 *   always written);
 * - struct fields come in the Go declaration order, map keys sorted (JavaScript still puts
 *   keys that look like array indices first).
 * The facts come from `go-types.json` (generated from the Go types by `scripts/go-types`);
 * each definition's plan is built once.
 *
 * A stored object makes one more round trip: kube-apiserver keeps built-ins in etcd as
 * protobuf, which cannot tell an empty list or map from an absent one, so what it answers
 * after a write or a read has every empty list and map of the Go types as nil (written
 * `null`, or dropped with `omitempty`): a Role created with `rules: []` is answered and
 * stored with `rules: null` (`encodeStored`).
 */

/** One field of a struct's plan: its JSON name, OpenAPI type and Go encoding facts. */
interface PlannedField {
  readonly name: string;
  readonly type: string;
  readonly zero: Json | undefined;
  readonly omitEmpty: boolean;
}

/** How to write a struct: its fields in Go's order. */
interface Plan {
  readonly fields: readonly PlannedField[];
  readonly names: ReadonlySet<string>;
}

const plans = new Map<string, Plan | null>();

/** The plan of a definition that encoding/json writes field by field, else null. */
function planOf(definition: string): Plan | null {
  const known = plans.get(definition);
  if (known !== undefined) return known;
  const go = goStruct(definition);
  const types = fieldTypes(definition);
  const order = go?.['#'];
  let plan: Plan | null = null;
  if (go && types && typeof order === 'string') {
    const fields: PlannedField[] = [];
    for (const name of order === '' ? [] : order.split(' ')) {
      const f = go[name] as GoField | undefined;
      const type = types[name];
      if (f === undefined || type === undefined) continue;
      fields.push({ name, type, zero: f.z, omitEmpty: f.o === 1 });
    }
    plan = { fields, names: new Set(fields.map((f) => f.name)) };
  }
  plans.set(definition, plan);
  return plan;
}

/** Whether Go's `omitempty` finds the value empty. */
function isEmpty(v: Json): boolean {
  if (v === '' || v === 0 || v === false) return true;
  if (Array.isArray(v)) return v.length === 0;
  return isObject(v) && Object.keys(v).length === 0;
}

/** A copy of a zero value (stored objects share nothing). */
function zeroOf(zero: Json): Json {
  if (typeof zero !== 'object' || zero === null) return zero;
  if (Array.isArray(zero)) return zero.map(zeroOf);
  const out: JsonObject = {};
  for (const k in zero) out[k] = zeroOf(zero[k]!);
  return out;
}

/** Whether a value of OpenAPI type `type` is an empty list or map (nil after protobuf). */
function isEmptyCollection(type: string, v: Json): boolean {
  if (type.startsWith('[]')) return Array.isArray(v) && v.length === 0;
  return type.startsWith('{}') && isObject(v) && Object.keys(v).length === 0;
}

function encodeStruct(plan: Plan, value: JsonObject, stored: boolean): JsonObject {
  const out: JsonObject = {};
  let found = 0;
  for (const f of plan.fields) {
    const v = value[f.name];
    if (v !== undefined) found++;
    if (v === undefined || v === null || (stored && isEmptyCollection(f.type, v))) {
      if (f.zero !== undefined) out[f.name] = zeroOf(f.zero);
    } else if (!(f.omitEmpty && isEmpty(v))) out[f.name] = encodeValue(f.type, v, stored);
  }
  carryBigIntegers(value, out);
  // Members the Go type does not have (none once decoding dropped them) stay, after.
  let members = 0;
  for (const _ in value) members++;
  if (members > found) {
    for (const k of Object.keys(value)) {
      if (!plan.names.has(k) && value[k] !== undefined) out[k] = value[k]!;
    }
  }
  return out;
}

function encodeValue(type: string, v: Json, stored: boolean): Json {
  if (type.startsWith('[]')) {
    if (!Array.isArray(v)) return v;
    const item = type.slice(2);
    return v.map((x) => (x === null ? x : encodeValue(item, x, stored)));
  }
  if (type.startsWith('{}')) {
    if (!isObject(v)) return v;
    const item = type.slice(2);
    const out: JsonObject = {};
    for (const k of Object.keys(v).sort()) {
      const x = v[k]!;
      out[k] =
        x === null || (stored && isEmptyCollection(item, x)) ? null : encodeValue(item, x, stored);
    }
    return out;
  }
  const plan = isObject(v) ? planOf(type) : null;
  return plan ? encodeStruct(plan, v as JsonObject, stored) : v;
}

/**
 * The object as kube-apiserver writes a built-in of OpenAPI definition `definition` (by
 * default, of its `apiVersion` and `kind`; see above); an object of another kind is
 * returned as is.
 */
export function encodeTyped(obj: JsonObject, definition = definitionFor(obj)): JsonObject {
  const plan = definition === undefined ? null : planOf(definition);
  return plan ? encodeStruct(plan, obj, false) : obj;
}

/**
 * A built-in object as kube-apiserver stores and answers it after a write: `encodeTyped`
 * after the protobuf round trip of its storage (empty lists and maps nil; see above).
 */
export function encodeStored(obj: JsonObject): JsonObject {
  const definition = definitionFor(obj);
  const plan = definition === undefined ? null : planOf(definition);
  return plan ? encodeStruct(plan, obj, true) : obj;
}

/**
 * Drops, in place, the empty strings of a built-in object's plain (not pointer) `omitempty`
 * string fields: Go decodes `""` there as the field's zero value, the same as an absent
 * field, so kube-apiserver's defaulting (`if x == ""`, e.g. a pod's `schedulerName` or a
 * container's `terminationMessagePath`) and validation see no value.
 */
export function dropEmptyStrings(obj: JsonObject): void {
  const definition = definitionFor(obj);
  if (definition !== undefined) dropIn(definition, obj);
}

function dropIn(type: string, v: Json): void {
  if (type.startsWith('[]') || type.startsWith('{}')) {
    const item = type.slice(2);
    const values = Array.isArray(v) ? v : isObject(v) ? Object.values(v) : [];
    for (const x of values) if (x !== null) dropIn(item, x);
    return;
  }
  const plan = isObject(v) ? planOf(type) : null;
  if (!plan || !isObject(v)) return;
  for (const f of plan.fields) {
    const x = v[f.name];
    if (x === '' && f.omitEmpty && f.type === 'string') delete v[f.name];
    else if (x !== undefined && x !== null) dropIn(f.type, x);
  }
}

/** The definition of a built-in object's `apiVersion` and `kind`. */
function definitionFor(obj: JsonObject): string | undefined {
  if (typeof obj.kind !== 'string' || typeof obj.apiVersion !== 'string') return undefined;
  const slash = obj.apiVersion.indexOf('/');
  const group = slash < 0 ? '' : obj.apiVersion.slice(0, slash);
  return definitionOf(group, obj.apiVersion.slice(slash + 1), obj.kind);
}
