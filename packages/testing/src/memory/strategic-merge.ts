import { carryLiteral } from './big-integers.js';
import { badRequest } from './errors.js';
import { deepEqual, isObject, type Json, type JsonObject } from './json.js';
import { listMergeFor } from './merge-keys.js';

const DIRECTIVE = '$patch';
const ORDER_PREFIX = '$setElementOrder/';
const DELETE_PRIMITIVE_PREFIX = '$deleteFromPrimitiveList/';
const RETAIN_KEYS = '$retainKeys';

function mergeList(kind: string, path: string[], orig: Json | undefined, patch: Json[]): Json[] {
  const rule = listMergeFor(kind, path);
  const base = Array.isArray(orig) ? orig : [];
  if (patch.some((p) => isObject(p) && p[DIRECTIVE] === 'replace')) {
    return patch.filter((p) => !(isObject(p) && p[DIRECTIVE] === 'replace'));
  }
  if (!rule) return patch;
  if (rule.set) {
    const out = [...base];
    for (const p of patch) if (!out.some((o) => deepEqual(o, p))) out.push(p);
    return out;
  }
  const key = rule.key!;
  const indexOf = (id: Json) => base.findIndex((o) => isObject(o) && deepEqual(o[key], id));
  // As kube-apiserver orders the result: the patch's items in patch order, and the
  // original items the patch does not mention in their order, merged by original
  // position, so items that are new (no original position) come first.
  const fromPatch: { at: number; item: Json }[] = [];
  const touched = new Set<number>();
  for (const p of patch) {
    if (!isObject(p)) {
      throw badRequest(`strategic merge patch: list ${path.join('.')} must contain objects`);
    }
    const id = p[key];
    if (id === undefined) {
      throw badRequest(`map: ${JSON.stringify(p)} does not contain declared merge key: ${key}`);
    }
    const at = indexOf(id);
    if (at >= 0) touched.add(at);
    if (p[DIRECTIVE] === 'delete') continue;
    fromPatch.push({ at, item: strategicMerge(kind, path, at >= 0 ? base[at] : undefined, p) });
  }
  const serverOnly = base.flatMap((item, at) => (touched.has(at) ? [] : [{ at, item }]));
  const out: Json[] = [];
  let i = 0;
  let j = 0;
  while (i < fromPatch.length || j < serverOnly.length) {
    const left = fromPatch[i];
    const right = serverOnly[j];
    if (left && (!right || left.at < right.at)) {
      out.push(left.item);
      i++;
    } else if (right) {
      out.push(right.item);
      j++;
    }
  }
  return out;
}

function reorder(kind: string, path: string[], list: Json[], order: Json[]): Json[] {
  const rule = listMergeFor(kind, path);
  const ident = (v: Json) => (rule?.key && isObject(v) ? v[rule.key] : v);
  const ordered: Json[] = [];
  const rest = [...list];
  for (const o of order) {
    const want = isObject(o) && rule?.key ? o[rule.key] : o;
    const i = rest.findIndex((v) => deepEqual(ident(v), want));
    if (i >= 0) ordered.push(...rest.splice(i, 1));
  }
  return [...ordered, ...rest];
}

/**
 * Applies a strategic merge patch to a built-in object: maps merge, `null` deletes, lists
 * with a merge key (see merge-keys.ts) merge item by item, other lists are replaced.
 * Supports `$patch: replace|delete|merge`, `$setElementOrder/<list>`,
 * `$deleteFromPrimitiveList/<list>` and `$retainKeys`. Inputs are not mutated.
 */
export function strategicMerge(
  kind: string,
  path: string[],
  orig: Json | undefined,
  patch: Json,
): Json {
  if (!isObject(patch)) return patch;
  const directive = patch[DIRECTIVE];
  if (directive === 'delete') return null;
  const out: JsonObject = directive === 'replace' || !isObject(orig) ? {} : { ...orig };
  const retain = patch[RETAIN_KEYS];
  for (const [k, v] of Object.entries(patch)) {
    if (k === DIRECTIVE || k === RETAIN_KEYS || k.startsWith(ORDER_PREFIX)) continue;
    if (k.startsWith(DELETE_PRIMITIVE_PREFIX)) {
      const field = k.slice(DELETE_PRIMITIVE_PREFIX.length);
      const cur = out[field];
      if (Array.isArray(cur) && Array.isArray(v))
        out[field] = cur.filter((x) => !v.some((d) => deepEqual(d, x)));
      continue;
    }
    if (v === null) {
      delete out[k];
      continue;
    }
    const sub = [...path, k];
    if (Array.isArray(v)) out[k] = mergeList(kind, sub, out[k], v);
    else if (isObject(v)) {
      const merged = strategicMerge(kind, sub, out[k], v);
      if (merged === null) delete out[k];
      else out[k] = merged;
    } else {
      out[k] = v;
      carryLiteral(patch, k, out, k);
    }
  }
  if (Array.isArray(retain)) {
    for (const k of Object.keys(out)) if (!retain.includes(k)) delete out[k];
  }
  for (const [k, v] of Object.entries(patch)) {
    if (k.startsWith(ORDER_PREFIX) && Array.isArray(v)) {
      const field = k.slice(ORDER_PREFIX.length);
      const cur = out[field];
      if (Array.isArray(cur)) out[field] = reorder(kind, [...path, field], cur, v);
    }
  }
  return out;
}
