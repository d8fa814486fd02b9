import { describePath, itemKey, type ListRules, type OwnershipRule } from '../field-set.js';
import { goPrint, goPrintSharp } from '../go-print.js';
import { isObject, type Json, type JsonObject } from '../json.js';
import { fieldTypes } from './typed-fields.js';

/**
 * The type errors of a server-side apply body of a built-in kind, as kube-apiserver's field
 * manager (structured-merge-diff) words them when it makes the typed patch object:
 * `.spec.replicas: expected numeric (int or float), got string`. Its schema has three
 * scalar types (numeric, string, boolean) plus maps and lists; times, quantities and
 * int-or-strings are untyped there (the converter refuses them later, see `decodeTyped`).
 * Paths name list items by their keys (`containers[name="c"]`), set items by value
 * (`finalizers[=1]`), other items by index. A map with an undeclared field is left out:
 * structured-merge-diff stops reading a map at such a field, in Go's random map order, so
 * which of its other errors it reports varies (its undeclared fields are reported apart).
 */
export function typedPatchErrors(rules: ListRules, definition: string, body: JsonObject): string[] {
  const errors: string[] = [];
  const visit = (type: string, value: Json, path: string, names: readonly string[]) => {
    if (value === null) return;
    const fail = (text: string) => errors.push(`${describePath(path)}: ${text}`);
    if (type.startsWith('[]')) {
      if (!Array.isArray(value)) return fail(`expected list, got ${pointer(value)}`);
      const rule = rules(names);
      value.forEach((item, i) => {
        visit(type.slice(2), item, `${path}\u0000${itemElement(item, i, rule)}`, names);
      });
      return;
    }
    if (type.startsWith('{}')) {
      if (!isObject(value)) return fail(`expected map, got ${pointer(value)}`);
      for (const [k, v] of Object.entries(value)) {
        visit(type.slice(2), v, `${path}\u0000f:${k}`, [...names, k]);
      }
      return;
    }
    const fields = fieldTypes(type);
    if (fields) {
      if (!isObject(value)) return fail(`expected map, got ${pointer(value)}`);
      if (Object.keys(value).some((k) => fields[k] === undefined)) return;
      for (const [k, v] of Object.entries(value)) {
        visit(fields[k]!, v, path ? `${path}\u0000f:${k}` : `f:${k}`, [...names, k]);
      }
      return;
    }
    if ((type === 'integer' || type === 'number') && typeof value !== 'number') {
      fail(`expected numeric (int or float), got ${goTypeName(value)}`);
    } else if ((type === 'string' || type === 'byte') && typeof value !== 'string') {
      fail(`expected string, got &value.valueUnstructured{Value:${goPrintSharp(value)}}`);
    } else if (type === 'boolean' && typeof value !== 'boolean') {
      fail(`expected boolean, got ${pointer(value)}`);
    }
  };
  visit(definition, body, '', []);
  return errors;
}

/** How structured-merge-diff names a list item in a path (see `describePath`). */
function itemElement(item: Json, index: number, rule: OwnershipRule | undefined): string {
  if (rule?.set) return `v:${JSON.stringify(item)}`;
  if (rule?.keys && isObject(item)) return itemKey(item, rule);
  return `i:${index}`;
}

/** Go's `%v` of structured-merge-diff's value (a pointer to a struct holding it). */
function pointer(value: Json): string {
  return `&{${goPrint(value)}}`;
}

/** Go's `%T` of a value decoded from JSON into `interface{}`. */
function goTypeName(value: Json): string {
  if (Array.isArray(value)) return '[]interface {}';
  if (isObject(value)) return 'map[string]interface {}';
  if (typeof value === 'number') return Number.isInteger(value) ? 'int64' : 'float64';
  return typeof value === 'boolean' ? 'bool' : 'string';
}
