/**
 * The type check kube-apiserver makes on a MutatingAdmissionPolicy's `ApplyConfiguration`
 * object before merging it: structured-merge-diff converts it to a typed value of the
 * built-in kind's OpenAPI types, refusing a field the type does not declare
 * (`.spec.nope: field not declared in schema`) and a scalar of the wrong type
 * (`.data.a: expected string, got &value.valueUnstructured{Value:1}`), with the
 * field's path as structured-merge-diff writes it.
 */
import { definitionOf, fieldTypes } from '../builtins/typed-fields.js';
import { isObject, type Json } from '../json.js';

const STRING_TYPES = new Set(['string', 'byte', 'Time', 'MicroTime']);
const NUMERIC_TYPES = new Set(['integer', 'number']);

/** A scalar as Go's `%#v` prints structured-merge-diff's wrapper of it. */
function wrapped(v: Json): string | undefined {
  if (typeof v === 'number' || typeof v === 'boolean') {
    return `&value.valueUnstructured{Value:${String(v)}}`;
  }
  return undefined;
}

/** The first problem of `v` as a value of the table type `type` at `path`, if any. */
function problemOf(type: string, v: Json | undefined, path: string): string | undefined {
  if (v === undefined || v === null) return undefined;
  if (type.startsWith('[]')) return undefined; // list items: paths by key, not checked here
  if (type.startsWith('{}')) {
    if (!isObject(v)) return undefined;
    for (const [k, item] of Object.entries(v)) {
      const p = problemOf(type.slice(2), item, `${path}.${k}`);
      if (p) return p;
    }
    return undefined;
  }
  if (STRING_TYPES.has(type)) {
    const shown = wrapped(v);
    return shown === undefined ? undefined : `${path}: expected string, got ${shown}`;
  }
  if (NUMERIC_TYPES.has(type)) {
    return typeof v === 'string' || typeof v === 'boolean'
      ? `${path}: expected numeric (int or float), got ${typeof v === 'string' ? 'string' : 'bool'}`
      : undefined;
  }
  const fields = fieldTypes(type);
  if (!fields || !isObject(v)) return undefined;
  for (const [k, item] of Object.entries(v)) {
    const t = fields[k];
    if (t === undefined) return `${path}.${k}: field not declared in schema`;
    const p = problemOf(t, item, `${path}.${k}`);
    if (p) return p;
  }
  return undefined;
}

/**
 * Why kube-apiserver cannot convert `applied` (an ApplyConfiguration's object for a
 * built-in kind `group/version/kind`) to its typed value, as the mutation's error says it
 * (`error applying patch: failed to convert patch object to typed object: …`); undefined
 * when it converts or the kind has no table type. Lists' items are not checked.
 */
export function applyTypeProblem(
  group: string,
  version: string,
  kind: string,
  applied: Json,
): string | undefined {
  const definition = definitionOf(group, version, kind);
  if (!definition) return undefined;
  const problem = problemOf(definition, applied, '');
  return (
    problem && `error applying patch: failed to convert patch object to typed object: ${problem}`
  );
}
