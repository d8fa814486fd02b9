import { HttpStatusError, type StatusCause } from './errors.js';
import {
  describePath,
  type FieldSet,
  fieldsOf,
  fromFieldsV1,
  isUnder,
  keyValue,
  type ListRules,
  removeAt,
  toFieldsV1,
  valueAt,
} from './field-set.js';
import { deepEqual, isObject, type Json, type JsonObject } from './json.js';
import { SERVER_SET_META } from './object-meta.js';
import { timestamp } from './state.js';

/** One managedFields entry in its working form. */
interface Entry {
  manager: string;
  operation: 'Apply' | 'Update';
  apiVersion: string;
  time: string;
  subresource?: string;
  fields: FieldSet;
}

/** Metadata fields that are never owned by a manager. */
const SERVER_META = new Set<string>([
  'name',
  'namespace',
  ...SERVER_SET_META,
  'managedFields',
  'selfLink',
  'generateName',
]);

/** The part of an object that field ownership is about (no apiVersion/kind/server metadata). */
export function ownedPart(
  obj: JsonObject,
  scope: 'main' | 'status',
  statusSub: boolean,
): JsonObject {
  const out: JsonObject = {};
  for (const [k, v] of Object.entries(obj)) {
    if (k === 'apiVersion' || k === 'kind') continue;
    if (statusSub && scope === 'main' && k === 'status') continue;
    if (scope === 'status' && k !== 'status') continue;
    if (k === 'metadata' && isObject(v)) {
      const meta: JsonObject = {};
      for (const [mk, mv] of Object.entries(v)) if (!SERVER_META.has(mk)) meta[mk] = mv;
      if (Object.keys(meta).length) out.metadata = meta;
      continue;
    }
    out[k] = v;
  }
  return out;
}

const MARK = '\u0000.';

function readEntries(obj: JsonObject | undefined): Entry[] {
  const mf = (obj?.metadata as JsonObject | undefined)?.managedFields;
  if (!Array.isArray(mf)) return [];
  const out: Entry[] = [];
  for (const e of mf) {
    if (!isObject(e) || typeof e.manager !== 'string') continue;
    const entry: Entry = {
      manager: e.manager,
      operation: e.operation === 'Apply' ? 'Apply' : 'Update',
      apiVersion: String(e.apiVersion ?? ''),
      time: String(e.time ?? ''),
      fields: fromFieldsV1(e.fieldsV1),
    };
    if (typeof e.subresource === 'string' && e.subresource) entry.subresource = e.subresource;
    out.push(entry);
  }
  return out;
}

/** kube-apiserver's order: operation (Apply first), time, manager, apiVersion, subresource. */
function compareEntries(p: Entry, q: Entry): number {
  const keys: [string, string][] = [
    [p.operation, q.operation],
    [p.time, q.time],
    [p.manager, q.manager],
    [p.apiVersion, q.apiVersion],
    [p.subresource ?? '', q.subresource ?? ''],
  ];
  for (const [a, b] of keys) if (a !== b) return a < b ? -1 : 1;
  return 0;
}

function writeEntries(entries: Entry[]): Json[] {
  return entries
    .filter((e) => e.fields.size > 0)
    .sort(compareEntries)
    .map((e) => {
      const o: JsonObject = {
        manager: e.manager,
        operation: e.operation,
        apiVersion: e.apiVersion,
        time: e.time,
        fieldsType: 'FieldsV1',
        fieldsV1: toFieldsV1(e.fields),
      };
      if (e.subresource) o.subresource = e.subresource;
      return o;
    });
}

const now = () => timestamp();

/** Context of one write, for ownership tracking. */
export interface OwnershipContext {
  manager: string;
  apiVersion: string;
  subresource?: 'status' | 'finalize';
  rules: ListRules;
  statusSubresource: boolean;
}

function entryFor(entries: Entry[], ctx: OwnershipContext, op: 'Apply' | 'Update'): Entry {
  let e = entries.find(
    (x) =>
      x.manager === ctx.manager &&
      x.operation === op &&
      (x.subresource ?? '') === (ctx.subresource ?? ''),
  );
  if (!e) {
    e = {
      manager: ctx.manager,
      operation: op,
      apiVersion: ctx.apiVersion,
      time: now(),
      fields: new Set(),
    };
    if (ctx.subresource) e.subresource = ctx.subresource;
    entries.push(e);
  }
  e.time = now();
  e.apiVersion = ctx.apiVersion;
  return e;
}

/**
 * Records a non-apply write (create/update/patch) as an `Update` by `ctx.manager`: the
 * fields it changed become its own and leave other managers; removed fields leave every
 * manager. Returns the managedFields to store on `next`.
 */
export function recordUpdate(
  prev: JsonObject | undefined,
  next: JsonObject,
  ctx: OwnershipContext,
): Json[] {
  const scope = ctx.subresource === 'status' ? 'status' : 'main';
  const entries = readEntries(prev ?? next);
  const before = prev ? ownedPart(prev, scope, ctx.statusSubresource) : {};
  const after = ownedPart(next, scope, ctx.statusSubresource);
  const newFields = fieldsOf(after, ctx.rules, true);
  const changed: string[] = [];
  for (const p of newFields) {
    const a = valueAt(before, p);
    // A container's own "." changes only when the container is new.
    if (a === undefined || (!p.endsWith(MARK) && !deepEqual(a, valueAt(after, p)))) changed.push(p);
  }
  // Without a status split the owned part is the whole content that entries can own.
  const all =
    !ctx.statusSubresource && scope === 'main' ? newFields : fieldsOf(next, ctx.rules, true);
  for (const e of entries) {
    for (const p of [...e.fields]) {
      if (!all.has(p) && !p.endsWith('\u0000.')) e.fields.delete(p);
      else if (p.endsWith('\u0000.') && valueAt(next, p) === undefined) e.fields.delete(p);
    }
    if (e.manager !== ctx.manager || e.operation !== 'Update') {
      for (const p of changed) e.fields.delete(p);
    }
  }
  if (changed.length) {
    const mine = entryFor(entries, ctx, 'Update');
    for (const p of changed) mine.fields.add(p);
  }
  return writeEntries(entries);
}

/**
 * `applied` merged into `live` as server-side apply merges (maps field by field, lists by
 * their list rules at the field path `names`, atomic values and lists replaced).
 */
export function mergeApplied(
  live: Json | undefined,
  applied: Json,
  names: string[],
  rules: ListRules,
): Json {
  if (isObject(applied)) {
    const out: JsonObject = isObject(live) ? { ...live } : {};
    for (const [k, v] of Object.entries(applied))
      out[k] = mergeApplied(out[k], v, [...names, k], rules);
    return out;
  }
  if (Array.isArray(applied)) {
    const rule = rules(names);
    if (rule?.set && Array.isArray(live)) {
      const out = [...live];
      for (const a of applied) if (!out.some((x) => deepEqual(x, a))) out.push(a);
      return out;
    }
    if (rule?.key && Array.isArray(live) && applied.every(isObject)) {
      const keys = rule.keys ?? [rule.key];
      const out = [...live];
      for (const a of applied as JsonObject[]) {
        const i = out.findIndex(
          (x) => isObject(x) && keys.every((k) => deepEqual(keyValue(x, k), keyValue(a, k))),
        );
        if (i >= 0) out[i] = mergeApplied(out[i], a, names, rules);
        else out.push(a);
      }
      return out;
    }
    return applied;
  }
  return applied;
}

/** Result of a server-side apply merge. */
export interface ApplyResult {
  object: JsonObject;
  managedFields: Json[];
}

/**
 * Server-side apply of `applied` by `ctx.manager` onto `live` (undefined = create):
 * conflicts with other managers' fields that would change are a 409 naming manager and
 * field unless `force` (then those fields move to this manager); fields this manager
 * applied before and no longer applies are removed unless someone else owns them.
 */
export function serverSideApply(
  live: JsonObject | undefined,
  applied: JsonObject,
  ctx: OwnershipContext,
  force: boolean,
): ApplyResult {
  const scope = ctx.subresource === 'status' ? 'status' : 'main';
  const entries = readEntries(live);
  const part = ownedPart(applied, scope, ctx.statusSubresource);
  const base = live ? (structuredClone(live) as JsonObject) : {};
  const liveOwned = ownedPart(base, scope, ctx.statusSubresource);
  const appliedFields = fieldsOf(part, ctx.rules);
  const mine = entryFor(entries, ctx, 'Apply');
  const causes: StatusCause[] = [];
  const conflicts: { entry: Entry; path: string }[] = [];
  for (const e of entries) {
    if (e === mine) continue;
    if ((e.subresource ?? '') !== (ctx.subresource ?? '')) continue;
    for (const p of appliedFields) {
      if (p.endsWith('\u0000.')) continue;
      for (const owned of e.fields) {
        if (!isUnder(p, owned) && !isUnder(owned, p)) continue;
        // A field another manager owns but the object lacks (an empty map the server
        // dropped) conflicts too when this apply sets it, as kube-apiserver finds.
        const cur = valueAt(liveOwned, owned);
        const want = valueAt(part, owned);
        if (deepEqual(cur, want)) continue;
        conflicts.push({ entry: e, path: owned });
        causes.push({
          reason: 'FieldManagerConflict',
          message: `conflict with "${e.manager}"${e.operation === 'Update' ? ` using ${e.apiVersion}` : ''}`,
          field: describePath(owned),
        });
      }
    }
  }
  const unique = [...new Map(causes.map((c) => [`${c.message}|${c.field}`, c])).values()];
  if (unique.length && !force) {
    const lines = unique.map((c) => `${c.message}: ${c.field}`);
    const msg =
      unique.length === 1
        ? `Apply failed with 1 conflict: ${lines[0]}`
        : `Apply failed with ${unique.length} conflicts: ${lines.join('\n')}`;
    throw new HttpStatusError(409, 'Conflict', msg, { causes: unique });
  }
  for (const { entry, path } of conflicts) entry.fields.delete(path);
  // Fields this manager owned before and no longer applies: remove unless owned by others.
  for (const p of mine.fields) {
    if (appliedFields.has(p)) continue;
    const ownedElsewhere = entries.some(
      (e) => e !== mine && [...e.fields].some((o) => isUnder(o, p) || isUnder(p, o)),
    );
    if (!ownedElsewhere) removeAt(base, p);
  }
  mine.fields = appliedFields;
  const merged = mergeApplied(base, part, [], ctx.rules) as JsonObject;
  if (!live) {
    merged.apiVersion = applied.apiVersion ?? null;
    merged.kind = applied.kind ?? null;
  }
  const meta = isObject(merged.metadata) ? { ...merged.metadata } : {};
  const appliedMeta = isObject(applied.metadata) ? applied.metadata : {};
  if (!live) {
    for (const k of ['name', 'namespace', 'generateName'])
      if (appliedMeta[k] !== undefined) meta[k] = appliedMeta[k]!;
  }
  merged.metadata = meta;
  return { object: merged, managedFields: writeEntries(entries) };
}
