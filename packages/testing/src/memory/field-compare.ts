import { itemKey, type ListRules } from './field-set.js';
import { deepEqual, isObject, type Json, type JsonObject } from './json.js';

/**
 * How two versions of an object differ, field path by field path (paths in the NUL-joined
 * form of `field-set.ts`, without "." members): what the newer one added, changed or removed.
 */
export interface FieldComparison {
  added: Set<string>;
  modified: Set<string>;
  removed: Set<string>;
}

const SEP = '\u0000';

interface Walk {
  readonly rules: ListRules;
  readonly out: FieldComparison;
}

function join(path: string, el: string): string {
  return path ? `${path}${SEP}${el}` : el;
}

function isEmpty(v: Json | undefined): boolean {
  if (v === undefined || v === null) return true;
  if (Array.isArray(v)) return v.length === 0;
  return isObject(v) && Object.keys(v).length === 0;
}

/** A value that is compared whole: scalars, atomic maps and lists, and empty containers. */
function leaf(path: string, a: Json | undefined, b: Json | undefined, w: Walk): void {
  if (a === undefined) w.out.added.add(path);
  else if (b === undefined) w.out.removed.add(path);
  else if (!deepEqual(a, b)) w.out.modified.add(path);
}

// Mirrors structured-merge-diff's comparison walk, which kube-apiserver's field manager
// uses to find conflicts: only leaves (scalars, atomic values, containers empty on both
// sides) are "modified"; a map or list item that appears or disappears is "added" or
// "removed" itself, and so are all the leaves below it. A `null` takes the form of the
// other side's value but is there: a list filling a `null` one adds its items, not itself.
function node(path: string, names: string, a: Json | undefined, b: Json | undefined, w: Walk) {
  const mapA = a == null || isObject(a);
  const mapB = b == null || isObject(b);
  const listA = a == null || Array.isArray(a);
  const listB = b == null || Array.isArray(b);
  if (isEmpty(a) && isEmpty(b)) {
    leaf(path, a, b, w);
    return;
  }
  if (mapA && mapB && (isObject(a) || isObject(b))) {
    if (names && w.rules(names.split('.'))?.atomicMap) leaf(path, a, b, w);
    else fields(path, names, a as JsonObject | undefined, b as JsonObject | undefined, w);
  } else if (listA && listB && (Array.isArray(a) || Array.isArray(b))) {
    list(path, names, a as Json[] | undefined, b as Json[] | undefined, w);
  } else leaf(path, a, b, w);
  if (a === undefined) w.out.added.add(path);
  else if (b === undefined) w.out.removed.add(path);
}

function fields(
  path: string,
  names: string,
  a: JsonObject | undefined,
  b: JsonObject | undefined,
  w: Walk,
): void {
  const keys = new Set([...Object.keys(a ?? {}), ...Object.keys(b ?? {})]);
  for (const k of keys) {
    node(join(path, `f:${k}`), names ? `${names}.${k}` : k, a?.[k], b?.[k], w);
  }
}

function list(
  path: string,
  names: string,
  a: Json[] | undefined,
  b: Json[] | undefined,
  w: Walk,
): void {
  const rule = w.rules(names.split('.'));
  const keyed = rule?.keys && [...(a ?? []), ...(b ?? [])].every(isObject);
  if (!rule?.set && !keyed) {
    leaf(path, a, b, w);
    return;
  }
  const element = (item: Json) =>
    keyed ? itemKey(item as JsonObject, rule!) : `v:${JSON.stringify(item)}`;
  const index = (items: Json[] | undefined) => {
    const m = new Map<string, Json[]>();
    for (const item of items ?? []) {
      const el = element(item);
      m.set(el, [...(m.get(el) ?? []), item]);
    }
    return m;
  };
  const left = index(a);
  const right = index(b);
  for (const el of new Set([...left.keys(), ...right.keys()])) {
    const l = left.get(el) ?? [];
    const r = right.get(el) ?? [];
    const at = join(path, el);
    if (l.length <= 1 && r.length <= 1) {
      if (rule?.atomicItems || !keyed) leaf(at, l[0], r[0], w);
      else node(at, names, l[0], r[0], w);
    } else if (l.length >= 2 && r.length >= 2) {
      if (!deepEqual(l, r)) w.out.modified.add(at);
    } else if (l.length >= 2) w.out.removed.add(at);
    else w.out.added.add(at);
  }
}

/** The fields `after` added, modified and removed compared with `before`. */
export function compareFields(
  before: JsonObject,
  after: JsonObject,
  rules: ListRules,
): FieldComparison {
  const out: FieldComparison = { added: new Set(), modified: new Set(), removed: new Set() };
  fields('', '', before, after, { rules, out });
  return out;
}
