import { deepEqual, isObject, type Json, type JsonObject } from './json.js';
import type { ListMerge } from './merge-keys.js';

/** Resolves how the list at a field path merges (undefined = atomic). */
export type ListRules = (path: readonly string[]) => ListMerge | undefined;

/** A set of field paths; each path is its fieldsV1 elements joined by NUL. */
export type FieldSet = Set<string>;

const SEP = '\u0000';

/**
 * The value of a list item's key field. A port's missing `protocol` is its default, `TCP`:
 * kube-apiserver's schema declares that default and the field manager keys items on it, so
 * `{port: 80}` and `{port: 80, protocol: TCP}` are the same item (two managers applying
 * them share it instead of conflicting).
 */
export function keyValue(item: JsonObject, name: string): Json | undefined {
  const v = item[name];
  if (v === undefined && name === 'protocol') return 'TCP';
  return v;
}

/** The fieldsV1 element (`k:{…}`) of a keyed list item. */
export function itemKey(item: JsonObject, rule: ListMerge): string {
  const names = rule.keys ?? [rule.key!];
  const id: JsonObject = {};
  for (const n of names) {
    const v = keyValue(item, n);
    if (v !== undefined) id[n] = v;
  }
  return `k:${JSON.stringify(id)}`;
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
    if (names && rules(names.split('.'))?.atomicMap) {
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
    else if (markers && path && path !== 'f:metadata') out.add(`${path}${SEP}.`);
    return;
  }
  if (path) out.add(path);
}

function walkField(v: Json, path: string, names: string, w: Walk, markers: boolean): void {
  const { rules, out } = w;
  if (Array.isArray(v)) {
    const rule = rules(names.split('.'));
    if (rule?.set) {
      if (v.length === 0) out.add(path);
      else if (markers) out.add(`${path}${SEP}.`);
      for (const item of v) out.add(`${path}${SEP}v:${JSON.stringify(item)}`);
      return;
    }
    if (rule?.key && v.every(isObject)) {
      if (v.length === 0) out.add(path);
      else if (markers) out.add(`${path}${SEP}.`);
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

function step(cur: Json | undefined, el: string): Json | undefined {
  if (el === '.') return cur;
  if (el.startsWith('f:')) return isObject(cur) ? cur[el.slice(2)] : undefined;
  if (!Array.isArray(cur)) return undefined;
  const id = JSON.parse(el.slice(2)) as Json;
  if (el.startsWith('k:') && isObject(id)) {
    return cur.find(
      (i) => isObject(i) && Object.entries(id).every(([k, v]) => deepEqual(keyValue(i, k), v)),
    );
  }
  return cur.find((i) => deepEqual(i, id));
}

/** The value at a field path, or undefined when absent. */
export function valueAt(obj: JsonObject, path: string): Json | undefined {
  let cur: Json | undefined = obj;
  for (const el of path.split(SEP)) {
    cur = step(cur, el);
    if (cur === undefined) return undefined;
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
export function removeAt(obj: JsonObject, path: string): void {
  const els = path.split(SEP).filter((el) => el !== '.');
  let cur: Json | undefined = obj;
  for (let i = 0; i < els.length - 1; i++) {
    cur = step(cur, els[i]!);
    if (cur === undefined) return;
  }
  const last = els[els.length - 1]!;
  if (last.startsWith('f:')) {
    if (isObject(cur)) delete cur[last.slice(2)];
    return;
  }
  if (Array.isArray(cur)) {
    const target = step(cur, last);
    const i = cur.indexOf(target as Json);
    if (i >= 0) cur.splice(i, 1);
  }
}

/** True when `path` is `prefix` or lies under it. */
export function isUnder(path: string, prefix: string): boolean {
  return path === prefix || path.startsWith(prefix + SEP);
}
