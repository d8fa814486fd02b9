import { deepEqual, isObject, type Json, type JsonObject } from './json.js';

/**
 * How server-side apply treats the value at a field path, as its type's schema says. A list
 * without `keys` or `set` is atomic (replaced and owned whole); a map without `atomicMap` is
 * granular (owned field by field).
 */
export interface OwnershipRule {
  /** The item keys of an associative list (`x-kubernetes-list-map-keys`). */
  keys?: readonly string[];
  /** Schema defaults of key fields: an item without such a field is keyed by its default. */
  defaults?: Readonly<JsonObject>;
  /** A list of scalars merged as a set (`x-kubernetes-list-type: set`). */
  set?: boolean;
  /** A map or struct owned and replaced as a whole (`x-kubernetes-map-type: atomic`). */
  atomicMap?: boolean;
  /** Items of a keyed list are of an atomic type: each is owned and replaced whole. */
  atomicItems?: boolean;
  /**
   * A map the schema does not declare (kept by `x-kubernetes-preserve-unknown-fields`),
   * whose type structured-merge-diff deduces: an apply owns it as a member of its own too
   * (`f:x: {".": {}, "f:y": {}}`).
   */
  deduced?: boolean;
}

/** Resolves the rule for the value at a field path (field names, list items left out). */
export type ListRules = (path: readonly string[]) => OwnershipRule | undefined;

/** A set of field paths; each path is its fieldsV1 elements joined by NUL. */
export type FieldSet = Set<string>;

const SEP = '\u0000';

/**
 * The value of a list item's key field. A missing key field takes its schema default, as
 * the field manager keys items (a port without `protocol` is the `TCP` one, so `{port: 80}`
 * and `{port: 80, protocol: TCP}` are the same item and two managers applying them share it
 * instead of conflicting); a key without a default is left out of the item's key.
 */
export function keyValue(item: JsonObject, name: string, rule: OwnershipRule): Json | undefined {
  const v = item[name];
  return v === undefined ? rule.defaults?.[name] : v;
}

/** The key of a keyed list item: its key fields by name, as structured-merge-diff sorts them. */
function keyOf(item: JsonObject, rule: OwnershipRule): JsonObject {
  const id: JsonObject = {};
  for (const n of [...(rule.keys ?? [])].sort()) {
    const v = keyValue(item, n, rule);
    if (v !== undefined) id[n] = v;
  }
  return id;
}

/** The fieldsV1 element (`k:{…}`) of a keyed list item. */
export function itemKey(item: JsonObject, rule: OwnershipRule): string {
  return `k:${JSON.stringify(keyOf(item, rule))}`;
}

/** Whether two list items have the same key under `rule`. */
export function sameItem(a: JsonObject, b: JsonObject, rule: OwnershipRule): boolean {
  return deepEqual(keyOf(a, rule), keyOf(b, rule));
}

/** What one walk over an object shares: the list rules and the set it fills. */
interface Walk {
  readonly rules: ListRules;
  readonly out: FieldSet;
}

// Paths are built as NUL-joined strings and field names as dot-joined strings, so the
// walk allocates one string per field instead of arrays. With `markers`, every non-empty
// map and associative list below the top level also has its own "." member (how Update
// operations record the containers they created); `metadata` never gets one.
function walk(v: Json, path: string, names: string, w: Walk, markers: boolean): void {
  const { rules, out } = w;
  if (isObject(v)) {
    const rule = names ? rules(names.split('.')) : undefined;
    if (rule?.atomicMap) {
      out.add(path);
      return;
    }
    let empty = true;
    for (const k in v) {
      empty = false;
      const sub = path ? `${path}${SEP}f:${k}` : `f:${k}`;
      walkField(v[k]!, sub, names ? `${names}.${k}` : k, w, markers);
    }
    if (empty && path) out.add(path);
    else if ((markers || rule?.deduced) && path && path !== 'f:metadata') out.add(`${path}${SEP}.`);
    return;
  }
  if (path) out.add(path);
}

function walkField(v: Json, path: string, names: string, w: Walk, markers: boolean): void {
  const { rules, out } = w;
  if (Array.isArray(v)) {
    const rule = rules(names.split('.'));
    // An empty associative list is no member: structured-merge-diff records a declared
    // list through its items only (an atomic one, below, is a member itself).
    if (rule?.set) {
      if (markers && v.length) out.add(`${path}${SEP}.`);
      for (const item of v) out.add(`${path}${SEP}v:${JSON.stringify(item)}`);
      return;
    }
    if (rule?.keys && v.every(isObject)) {
      if (markers && v.length) out.add(`${path}${SEP}.`);
      for (const item of v as JsonObject[]) {
        const p = `${path}${SEP}${itemKey(item, rule)}`;
        // An item of an atomic type (an OwnerReference) is owned whole.
        if (rule.atomicItems) {
          out.add(p);
          continue;
        }
        out.add(`${p}${SEP}.`);
        walk(item, p, names, w, false);
        if (markers) walkItem(item, p, names, w);
      }
      return;
    }
    out.add(path);
    return;
  }
  walk(v, path, names, w, markers);
}

/** Marker pass inside list items (their own "." is always recorded). */
function walkItem(item: JsonObject, path: string, names: string, w: Walk): void {
  for (const k in item) {
    const v = item[k]!;
    if (isObject(v) || Array.isArray(v)) {
      walkField(v, `${path}${SEP}f:${k}`, `${names}.${k}`, w, true);
    }
  }
}

/** The field paths set in `obj` (leaves, list items and atomic values). */
export function fieldsOf(obj: JsonObject, rules: ListRules, markers = false): FieldSet {
  const out: FieldSet = new Set();
  walk(obj, '', '', { rules, out }, markers);
  return out;
}

/** The fieldsV1 JSON tree of a set. */
export function toFieldsV1(set: FieldSet): JsonObject {
  const root: JsonObject = {};
  for (const p of [...set].sort()) {
    let cur = root;
    for (const el of p.split(SEP)) {
      let next = cur[el];
      if (!isObject(next)) {
        next = {};
        cur[el] = next;
      }
      cur = next;
    }
  }
  return root;
}

/** The set of a fieldsV1 JSON tree. */
export function fromFieldsV1(tree: Json | undefined): FieldSet {
  const out: FieldSet = new Set();
  const rec = (node: JsonObject, path: string[]) => {
    const keys = Object.keys(node);
    if (keys.length === 0 && path.length) out.add(path.join(SEP));
    for (const k of keys) {
      const child = node[k];
      rec(isObject(child) ? child : {}, [...path, k]);
    }
  };
  if (isObject(tree)) rec(tree, []);
  return out;
}

/** One step down a field path; `names` are the field names of the path so far. */
function step(cur: Json | undefined, el: string, names: string[], rules: ListRules) {
  if (el === '.') return cur;
  if (el.startsWith('f:')) return isObject(cur) ? cur[el.slice(2)] : undefined;
  if (!Array.isArray(cur)) return undefined;
  const id = JSON.parse(el.slice(2)) as Json;
  if (el.startsWith('k:') && isObject(id)) {
    const rule = rules(names);
    const by = rule?.keys ? rule : { keys: Object.keys(id) };
    return cur.find((i) => isObject(i) && deepEqual(keyOf(i, by), id));
  }
  return cur.find((i) => deepEqual(i, id));
}

/** Walks `els` from `obj`; undefined when the path leaves the object. */
function descend(obj: JsonObject, els: string[], rules: ListRules): Json | undefined {
  const names: string[] = [];
  let cur: Json | undefined = obj;
  for (const el of els) {
    cur = step(cur, el, names, rules);
    if (cur === undefined) return undefined;
    if (el.startsWith('f:')) names.push(el.slice(2));
  }
  return cur;
}

/**
 * Human form of a path, as conflict causes print it: `.spec.replicas`,
 * `.spec.ports[port=80,protocol="TCP"].targetPort`, `.metadata.finalizers[="x"]`.
 */
export function describePath(path: string): string {
  return path
    .split(SEP)
    .filter((el) => el !== '.')
    .map((el) => {
      if (el.startsWith('f:')) return `.${el.slice(2)}`;
      if (el.startsWith('k:')) {
        const id = JSON.parse(el.slice(2)) as JsonObject;
        const parts = Object.entries(id).map(([k, v]) => `${k}=${JSON.stringify(v)}`);
        return `[${parts.join(',')}]`;
      }
      if (el.startsWith('v:')) return `[=${el.slice(2)}]`;
      return `[${el.slice(2)}]`;
    })
    .join('');
}

/** Removes the value at a field path from a (mutable, already copied) object. */
export function removeAt(obj: JsonObject, path: string, rules: ListRules): void {
  const els = path.split(SEP).filter((el) => el !== '.');
  const last = els.pop()!;
  const cur = descend(obj, els, rules);
  if (last.startsWith('f:')) {
    if (isObject(cur)) delete cur[last.slice(2)];
    return;
  }
  if (Array.isArray(cur)) {
    const names = els.filter((el) => el.startsWith('f:')).map((el) => el.slice(2));
    const target = step(cur, last, names, rules);
    const i = cur.indexOf(target as Json);
    if (i >= 0) cur.splice(i, 1);
  }
}

/** True when `path` is `prefix` or lies under it. */
export function isUnder(path: string, prefix: string): boolean {
  return path === prefix || path.startsWith(prefix + SEP);
}
