/**
 * The type check kube-apiserver makes on a MutatingAdmissionPolicy's `ApplyConfiguration`
 * object before merging it: structured-merge-diff converts it to a typed value of the
 * kind's OpenAPI types (a built-in kind's, a custom resource's published schema),
 * refusing a field the type does not declare (`.spec.nope: field not declared in
 * schema`) and a scalar of the wrong type (`.data.a: expected string, got
 * &value.valueUnstructured{Value:1}`), with the field's path as structured-merge-diff
 * writes it: a list item by its keys (`.spec.containers[name="app"]`), a set's item by
 * its value (`[="a"]`), an atomic list's by its index (`[0]`).
 */
import { definitionOf, fieldTypes } from '../builtins/typed-fields.js';
import {
  describePath,
  itemKey,
  keyValue,
  type ListRules,
  type OwnershipRule,
} from '../field-set.js';
import { isObject, type Json, type JsonObject } from '../json.js';
import type { ResourceType } from '../resource-types.js';
import { listRules } from '../write-scope.js';

const STRING_TYPES = new Set(['string', 'byte', 'Time', 'MicroTime']);
const NUMERIC_TYPES = new Set(['integer', 'number']);
const OBJECT_META = 'io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta';

/** A problem converting a value, in structured-merge-diff's words; undefined: none. */
type Problem = string | undefined;

/** Checks a value at a path; `names` are its field names from the root (items left out). */
type Check = (v: Json | undefined, path: string, names: readonly string[]) => Problem;

/** A scalar as Go's `%#v` prints structured-merge-diff's wrapper of it. */
function wrapped(v: Json): string | undefined {
  if (typeof v === 'number' || typeof v === 'boolean') {
    return `&value.valueUnstructured{Value:${String(v)}}`;
  }
  return undefined;
}

/** A scalar's problem as a `string` or `numeric` value. */
function scalarProblem(kind: 'string' | 'numeric', v: Json, path: string): Problem {
  if (kind === 'string') {
    const shown = wrapped(v);
    return shown === undefined ? undefined : `${path}: expected string, got ${shown}`;
  }
  return typeof v === 'string' || typeof v === 'boolean'
    ? `${path}: expected numeric (int or float), got ${typeof v === 'string' ? 'string' : 'bool'}`
    : undefined;
}

/**
 * A list item's path element as structured-merge-diff names it under `rule` (keys, a
 * set's value, else the index), or its problem naming the item (`element 0: …`).
 */
function itemElement(item: Json, index: number, rule: OwnershipRule | undefined) {
  if (rule?.keys) {
    if (!isObject(item))
      return {
        problem: `element ${index}: associative list with keys may not have non-map elements`,
      };
    if (rule.keys.every((k) => keyValue(item, k, rule) === undefined)) {
      const keys = rule.keys.map((k) => JSON.stringify(k)).join(' ');
      return {
        problem: `element ${index}: associative list with keys has an element that omits all key fields [${keys}] (and doesn't have default values for any key fields)`,
      };
    }
    return { element: describePath(itemKey(item, rule)) };
  }
  if (rule?.set && !isObject(item) && !Array.isArray(item)) {
    return { element: `[=${JSON.stringify(item)}]` };
  }
  return { element: `[${index}]` };
}

/** The first problem of a list's items, each checked by `each`. */
function itemsProblem(
  v: Json,
  path: string,
  names: readonly string[],
  rules: ListRules,
  each: Check,
): Problem {
  if (!Array.isArray(v)) return undefined;
  const rule = rules(names);
  for (const [i, item] of v.entries()) {
    const at = itemElement(item, i, rule);
    if ('problem' in at) return `${path}: ${at.problem}`;
    const p = each(item, `${path}${at.element}`, names);
    if (p) return p;
  }
  return undefined;
}

/** The first problem of `v` as a value of the built-in table type `type`. */
function builtinProblem(type: string, rules: ListRules): Check {
  return (v, path, names) => {
    if (v === undefined || v === null) return undefined;
    if (type.startsWith('[]')) {
      return itemsProblem(v, path, names, rules, builtinProblem(type.slice(2), rules));
    }
    if (type.startsWith('{}')) {
      if (!isObject(v)) return undefined;
      const each = builtinProblem(type.slice(2), rules);
      for (const [k, item] of Object.entries(v)) {
        const p = each(item, `${path}.${k}`, [...names, k]);
        if (p) return p;
      }
      return undefined;
    }
    if (STRING_TYPES.has(type)) return scalarProblem('string', v, path);
    if (NUMERIC_TYPES.has(type)) return scalarProblem('numeric', v, path);
    const fields = fieldTypes(type);
    if (!fields || !isObject(v)) return undefined;
    for (const [k, item] of Object.entries(v)) {
      const t = fields[k];
      if (t === undefined) return `${path}.${k}: field not declared in schema`;
      const p = builtinProblem(t, rules)(item, `${path}.${k}`, [...names, k]);
      if (p) return p;
    }
    return undefined;
  };
}

const schemaOf = (v: Json | undefined): JsonObject | undefined => (isObject(v) ? v : undefined);

/**
 * The first problem of `v` as a value of a custom resource's schema node, as its
 * published OpenAPI schema types it: unknown fields kept where
 * `x-kubernetes-preserve-unknown-fields` says so, int-or-string values and embedded
 * resources not checked.
 */
function schemaProblem(schema: JsonObject, rules: ListRules): Check {
  return (v, path, names) => {
    if (v === undefined || v === null) return undefined;
    if (schema['x-kubernetes-int-or-string'] || schema['x-kubernetes-embedded-resource']) {
      return undefined;
    }
    const items = schemaOf(schema.items);
    if (schema.type === 'array' && items) {
      return itemsProblem(v, path, names, rules, schemaProblem(items, rules));
    }
    if (schema.type === 'string') return scalarProblem('string', v, path);
    if (schema.type === 'integer' || schema.type === 'number') {
      return scalarProblem('numeric', v, path);
    }
    if (schema.type !== 'object' || !isObject(v)) return undefined;
    const properties = schemaOf(schema.properties);
    const values = schemaOf(schema.additionalProperties);
    const open = schema['x-kubernetes-preserve-unknown-fields'] === true;
    if (!properties && !values) return undefined;
    for (const [k, item] of Object.entries(v)) {
      const field = schemaOf(properties?.[k]) ?? values;
      if (!field) {
        if (open) continue;
        return `${path}.${k}: field not declared in schema`;
      }
      const p = schemaProblem(field, rules)(item, `${path}.${k}`, [...names, k]);
      if (p) return p;
    }
    return undefined;
  };
}

/**
 * A custom resource's root: its schema's fields, with `apiVersion` and `kind` strings and
 * `metadata` an ObjectMeta, as the published OpenAPI schema declares them.
 */
function customResourceProblem(schema: JsonObject, rules: ListRules): Check {
  const fields = schemaProblem(schema, rules);
  const meta = builtinProblem(OBJECT_META, rules);
  return (v, path, names) => {
    if (!isObject(v)) return fields(v, path, names);
    const { apiVersion, kind, metadata, ...rest } = v;
    for (const [k, item] of Object.entries({ apiVersion, kind })) {
      const p =
        item === undefined || item === null ? undefined : scalarProblem('string', item, `.${k}`);
      if (p) return p;
    }
    return meta(metadata, '.metadata', ['metadata']) ?? fields(rest, path, names);
  };
}

/**
 * Why kube-apiserver cannot convert `applied` (an ApplyConfiguration's object for the
 * resource `t` at `version`) to its typed value, as the mutation's error says it (`error
 * applying patch: failed to convert patch object to typed object: …`); undefined when it
 * converts or the kind has no known schema. With several problems, the first is named
 * (kube-apiserver lists them all, the fields of a level in Go map order).
 */
export function applyTypeProblem(t: ResourceType, version: string, applied: Json): Problem {
  const rules = listRules(t, version);
  let check: Check | undefined;
  if (t.builtin) {
    const definition = definitionOf(t.group, version, t.kind);
    check = definition ? builtinProblem(definition, rules) : undefined;
  } else {
    const schema = schemaOf(t.schemas?.[version] as Json | undefined);
    check = schema ? customResourceProblem(schema, rules) : undefined;
  }
  const problem = check?.(applied, '', []);
  return (
    problem && `error applying patch: failed to convert patch object to typed object: ${problem}`
  );
}
