/**
 * The type check kube-apiserver makes on a MutatingAdmissionPolicy's `ApplyConfiguration`
 * object before merging it: structured-merge-diff converts it to a typed value of the
 * kind's OpenAPI types (a built-in kind's, a custom resource's published schema),
 * refusing a field the type does not declare (`.spec.nope: field not declared in
 * schema`) and a scalar of the wrong type (`.data.a: expected string, got
 * &value.valueUnstructured{Value:1}`, `.immutable: expected boolean, got &{1}`), with the
 * field's path as structured-merge-diff writes it: a list item by its keys
 * (`.spec.containers[name="app"]`), a set's item by its value (`[="a"]`), an atomic list's
 * by its index (`[0]`). Every problem is reported, as structured-merge-diff collects them,
 * except that it stops visiting a map at its first undeclared field (in Go map order
 * there, in key order here) and a list at an item it cannot name.
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

/** The problems converting a value, in structured-merge-diff's words. */
type Problems = string[];

/** Checks a value at a path; `names` are its field names from the root (items left out). */
type Check = (v: Json | undefined, path: string, names: readonly string[]) => Problems;

/** A scalar as Go's `%#v` prints structured-merge-diff's wrapper of it. */
function wrapped(v: Json): string | undefined {
  if (typeof v === 'number' || typeof v === 'boolean') {
    return `&value.valueUnstructured{Value:${String(v)}}`;
  }
  return undefined;
}

/** A scalar's problems as a `string`, `numeric` or `boolean` value. */
function scalarProblems(kind: 'string' | 'numeric' | 'boolean', v: Json, path: string): Problems {
  if (kind === 'string') {
    const shown = wrapped(v);
    return shown === undefined ? [] : [`${path}: expected string, got ${shown}`];
  }
  if (kind === 'boolean') {
    // Go's `%v` of structured-merge-diff's wrapper: `&{1}`, `&{x}`.
    const scalar = typeof v === 'number' || typeof v === 'string';
    return scalar ? [`${path}: expected boolean, got &{${String(v)}}`] : [];
  }
  return typeof v === 'string' || typeof v === 'boolean'
    ? [`${path}: expected numeric (int or float), got ${typeof v === 'string' ? 'string' : 'bool'}`]
    : [];
}

/**
 * The problems of a map's entries, each checked by `check` (undefined: the entry's field
 * is not declared): structured-merge-diff stops at the first undeclared one.
 */
function entriesProblems(
  v: JsonObject,
  path: string,
  check: (k: string, item: Json, at: string) => Problems | undefined,
): Problems {
  const out: Problems = [];
  for (const [k, item] of Object.entries(v)) {
    const found = check(k, item, `${path}.${k}`);
    if (found === undefined) {
      out.push(`${path}.${k}: field not declared in schema`);
      break;
    }
    out.push(...found);
  }
  return out;
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

/** The problems of a list's items, each checked by `each`; an item it cannot name ends it. */
function itemsProblems(
  v: Json,
  path: string,
  names: readonly string[],
  rules: ListRules,
  each: Check,
): Problems {
  if (!Array.isArray(v)) return [];
  const rule = rules(names);
  const out: Problems = [];
  for (const [i, item] of v.entries()) {
    const at = itemElement(item, i, rule);
    if ('problem' in at) return [...out, `${path}: ${at.problem}`];
    out.push(...each(item, `${path}${at.element}`, names));
  }
  return out;
}

/** The problems of `v` as a value of the built-in table type `type`. */
function builtinProblems(type: string, rules: ListRules): Check {
  return (v, path, names) => {
    if (v === undefined || v === null) return [];
    if (type.startsWith('[]')) {
      return itemsProblems(v, path, names, rules, builtinProblems(type.slice(2), rules));
    }
    if (type.startsWith('{}')) {
      if (!isObject(v)) return [];
      const each = builtinProblems(type.slice(2), rules);
      return entriesProblems(v, path, (k, item, at) => each(item, at, [...names, k]));
    }
    if (STRING_TYPES.has(type)) return scalarProblems('string', v, path);
    if (NUMERIC_TYPES.has(type)) return scalarProblems('numeric', v, path);
    if (type === 'boolean') return scalarProblems('boolean', v, path);
    const fields = fieldTypes(type);
    if (!fields || !isObject(v)) return [];
    return entriesProblems(v, path, (k, item, at) => {
      const t = fields[k];
      return t === undefined ? undefined : builtinProblems(t, rules)(item, at, [...names, k]);
    });
  };
}

const schemaOf = (v: Json | undefined): JsonObject | undefined => (isObject(v) ? v : undefined);

/**
 * The problems of `v` as a value of a custom resource's schema node, as its published
 * OpenAPI schema types it: unknown fields kept where `x-kubernetes-preserve-unknown-fields`
 * says so, int-or-string values and embedded resources not checked.
 */
function schemaProblems(schema: JsonObject, rules: ListRules): Check {
  return (v, path, names) => {
    if (v === undefined || v === null) return [];
    if (schema['x-kubernetes-int-or-string'] || schema['x-kubernetes-embedded-resource']) {
      return [];
    }
    const items = schemaOf(schema.items);
    if (schema.type === 'array' && items) {
      return itemsProblems(v, path, names, rules, schemaProblems(items, rules));
    }
    if (schema.type === 'string') return scalarProblems('string', v, path);
    if (schema.type === 'integer' || schema.type === 'number') {
      return scalarProblems('numeric', v, path);
    }
    if (schema.type === 'boolean') return scalarProblems('boolean', v, path);
    if (schema.type !== 'object' || !isObject(v)) return [];
    const properties = schemaOf(schema.properties);
    const values = schemaOf(schema.additionalProperties);
    const open = schema['x-kubernetes-preserve-unknown-fields'] === true;
    if (!properties && !values) return [];
    return entriesProblems(v, path, (k, item, at) => {
      const field = schemaOf(properties?.[k]) ?? values;
      if (!field) return open ? [] : undefined;
      return schemaProblems(field, rules)(item, at, [...names, k]);
    });
  };
}

/**
 * A custom resource's root: its schema's fields, with `apiVersion` and `kind` strings and
 * `metadata` an ObjectMeta, as the published OpenAPI schema declares them.
 */
function customResourceProblems(schema: JsonObject, rules: ListRules): Check {
  const fields = schemaProblems(schema, rules);
  const meta = builtinProblems(OBJECT_META, rules);
  return (v, path, names) => {
    if (!isObject(v)) return fields(v, path, names);
    const { apiVersion, kind, metadata, ...rest } = v;
    const out: Problems = [];
    for (const [k, item] of Object.entries({ apiVersion, kind })) {
      if (item !== undefined && item !== null) out.push(...scalarProblems('string', item, `.${k}`));
    }
    return [...out, ...meta(metadata, '.metadata', ['metadata']), ...fields(rest, path, names)];
  };
}

/**
 * Why kube-apiserver cannot convert `applied` (an ApplyConfiguration's object for the
 * resource `t` at `version`) to its typed value, as the mutation's error says it (`error
 * applying patch: failed to convert patch object to typed object: …`); undefined when it
 * converts or the kind has no known schema. Several problems are listed as
 * structured-merge-diff lists them (`errors:`, then each on a line of its own indented by
 * two spaces; kube-apiserver visits a map's fields in Go map order, here in key order).
 */
export function applyTypeProblem(
  t: ResourceType,
  version: string,
  applied: Json,
): string | undefined {
  const rules = listRules(t, version);
  let check: Check | undefined;
  if (t.builtin) {
    const definition = definitionOf(t.group, version, t.kind);
    check = definition ? builtinProblems(definition, rules) : undefined;
  } else {
    const schema = schemaOf(t.schemas?.[version] as Json | undefined);
    check = schema ? customResourceProblems(schema, rules) : undefined;
  }
  const problems = check?.(applied, '', []) ?? [];
  if (problems.length === 0) return undefined;
  const text = problems.length === 1 ? problems[0] : ['errors:', ...problems].join('\n  ');
  return `error applying patch: failed to convert patch object to typed object: ${text}`;
}
