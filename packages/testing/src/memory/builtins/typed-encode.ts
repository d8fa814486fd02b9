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

function encodeStruct(plan: Plan, value: JsonObject): JsonObject {
  const out: JsonObject = {};
  let found = 0;
  for (const f of plan.fields) {
    const v = value[f.name];
    if (v !== undefined) found++;
    if (v === undefined || v === null) {
      if (f.zero !== undefined) out[f.name] = zeroOf(f.zero);
    } else if (!(f.omitEmpty && isEmpty(v))) out[f.name] = encodeValue(f.type, v);
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

function encodeValue(type: string, v: Json): Json {
  if (type.startsWith('[]')) {
    if (!Array.isArray(v)) return v;
    const item = type.slice(2);
    return v.map((x) => (x === null ? x : encodeValue(item, x)));
  }
  if (type.startsWith('{}')) {
    if (!isObject(v)) return v;
    const item = type.slice(2);
    const out: JsonObject = {};
    for (const k of Object.keys(v).sort()) out[k] = v[k] === null ? null : encodeValue(item, v[k]!);
    return out;
  }
  const plan = isObject(v) ? planOf(type) : null;
  return plan ? encodeStruct(plan, v as JsonObject) : v;
}

/**
 * The object as kube-apiserver writes a built-in of OpenAPI definition `definition` (by
 * default, of its `apiVersion` and `kind`; see above); an object of another kind is
 * returned as is.
 */
export function encodeTyped(obj: JsonObject, definition = definitionFor(obj)): JsonObject {
  const plan = definition === undefined ? null : planOf(definition);
  return plan ? encodeStruct(plan, obj) : obj;
}

/** The definition of a built-in object's `apiVersion` and `kind`. */
function definitionFor(obj: JsonObject): string | undefined {
  if (typeof obj.kind !== 'string' || typeof obj.apiVersion !== 'string') return undefined;
  const slash = obj.apiVersion.indexOf('/');
  const group = slash < 0 ? '' : obj.apiVersion.slice(0, slash);
  return definitionOf(group, obj.apiVersion.slice(slash + 1), obj.kind);
}
