import { UnconvertibleVersion } from './admission/converted-writes.js';
import { carryLiteral, cloneKeeping } from './big-integers.js';
import { HttpStatusError, type StatusCause } from './errors.js';
import { compareFields } from './field-compare.js';
import {
  describePath,
  type FieldSet,
  fieldsOf,
  fromFieldsV1,
  isUnder,
  type ListRules,
  removeAt,
  sameItem,
  toFieldsV1,
} from './field-set.js';
import { deepEqual, isObject, type Json, type JsonObject } from './json.js';
import type { FieldPath } from './reset-fields.js';
import { timestamp } from './state.js';
import type { WriteSubresource } from './write-scope.js';

/** One managedFields entry in its working form. */
interface Entry {
  manager: string;
  operation: 'Apply' | 'Update';
  apiVersion: string;
  time: string;
  subresource?: string;
  fields: FieldSet;
}

/**
 * Metadata fields that are never owned by a manager (the field manager strips them; it
 * keeps `generateName`, and the deletion fields no client write changes).
 */
const SERVER_META = new Set<string>([
  'name',
  'namespace',
  'uid',
  'resourceVersion',
  'generation',
  'creationTimestamp',
  'managedFields',
  'selfLink',
]);

/** Whether a write goes through `/status` (or `approval`), which writes status. */
function statusScope(ctx: OwnershipContext): boolean {
  return ctx.subresource === 'status' || ctx.subresource === 'approval';
}

/**
 * The part of an object that a write's field ownership is about (no apiVersion/kind/server
 * metadata): on the main resource of a kind with a status subresource all but `status`; on
 * `/status` the status and the metadata. (The strategy's reset fields are then left out of
 * what is compared and recorded, see {@link withoutReset}.)
 */
function ownedPart(obj: JsonObject, ctx: OwnershipContext): JsonObject {
  const status = statusScope(ctx);
  const out: JsonObject = {};
  for (const [k, v] of Object.entries(obj)) {
    if (k === 'apiVersion' || k === 'kind') continue;
    if (ctx.statusSubresource && !status && k === 'status') continue;
    if (status && k !== 'status' && k !== 'metadata') continue;
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

/**
 * `fields` without the write's reset fields and what lies below them, as the field manager
 * filters a comparison and a manager's set by its strategy's reset fields.
 */
function withoutReset(fields: Iterable<string>, ctx: OwnershipContext): FieldSet {
  const prefixes = ctx.reset.map((path) => path.map((name) => `f:${name}`).join(SEP));
  const out: FieldSet = new Set();
  for (const p of fields) if (!prefixes.some((r) => p === r || p.startsWith(r + SEP))) out.add(p);
  return out;
}

const SEP = '\u0000';
const MARK = `${SEP}.`;

/** The manager kube-apiserver names for what an object held before its first apply. */
const BEFORE_FIRST_APPLY = 'before-first-apply';

function decodeEntries(mf: Json | undefined): Entry[] {
  if (!Array.isArray(mf)) return [];
  const out: Entry[] = [];
  for (const e of mf) {
    if (!isObject(e) || typeof e.manager !== 'string') continue;
    const entry: Entry = {
      manager: e.manager,
      operation: e.operation === 'Apply' ? 'Apply' : 'Update',
      apiVersion: String(e.apiVersion ?? ''),
      time: typeof e.time === 'string' ? e.time : '',
      fields: fromFieldsV1(e.fieldsV1),
    };
    if (typeof e.subresource === 'string' && e.subresource) entry.subresource = e.subresource;
    out.push(entry);
  }
  return out;
}

function readEntries(obj: JsonObject | undefined): Entry[] {
  return decodeEntries((obj?.metadata as JsonObject | undefined)?.managedFields);
}

/**
 * The entries a create or update starts from, as kube-apiserver's field manager picks
 * them: an empty list (or one empty entry) sent by the client resets them, entries the
 * client sent replace the stored ones, and otherwise (or on a subresource) the stored ones
 * are kept.
 */
function startingEntries(
  prev: JsonObject | undefined,
  next: JsonObject,
  ctx: OwnershipContext,
): Entry[] {
  const sent = (next.metadata as JsonObject | undefined)?.managedFields;
  if (ctx.subresource || !Array.isArray(sent)) return readEntries(prev);
  if (sent.length === 0) return [];
  if (sent.length === 1 && isObject(sent[0]) && Object.keys(sent[0]).length === 0) return [];
  const decoded = decodeEntries(sent);
  return decoded.length ? decoded : readEntries(prev);
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
        ...(e.time ? { time: e.time } : {}),
        fieldsType: 'FieldsV1',
        fieldsV1: toFieldsV1(e.fields),
      };
      if (e.subresource) o.subresource = e.subresource;
      return o;
    });
}

const now = () => timestamp();

/** What a write adds, changes and removes, as the fields of one API version name them. */
interface Comparison {
  added: FieldSet;
  modified: FieldSet;
  removed: FieldSet;
}

/**
 * Compares `before` and `after` (objects in the write's version) as the managers of an API
 * version see them: kube-apiserver's field manager compares each manager's fields in that
 * manager's version, converting both objects to it, so a write through autoscaling/v2
 * that changes the CPU metric changes `targetCPUUtilizationPercentage` for a manager of
 * autoscaling/v1. A version the resource does not serve another way (or another group's,
 * as an Event's two APIs) is compared in the write's version. Filtered by the reset fields;
 * cached per version.
 */
function comparer(
  before: JsonObject,
  after: JsonObject,
  ctx: OwnershipContext,
): (apiVersion: string) => Comparison {
  const cache = new Map<string, Comparison>();
  return (apiVersion) => {
    const other = apiVersion === ctx.apiVersion ? undefined : ctx.otherVersion?.(apiVersion);
    const key = other ? apiVersion : ctx.apiVersion;
    let c = cache.get(key);
    if (c === undefined) {
      const raw = other
        ? compareFields(
            ownedPart(other.convert(before), ctx),
            ownedPart(other.convert(after), ctx),
            other.rules,
          )
        : compareFields(ownedPart(before, ctx), ownedPart(after, ctx), ctx.rules);
      c = {
        added: withoutReset(raw.added, ctx),
        modified: withoutReset(raw.modified, ctx),
        removed: withoutReset(raw.removed, ctx),
      };
      cache.set(key, c);
    }
    return c;
  };
}

/**
 * Another served version of a write's resource, as its field manager converts to it
 * (throws {@link UnconvertibleVersion} for a version it cannot convert to).
 */
export interface OtherVersion {
  /** Converts an object of the write's version to this version. */
  convert(obj: JsonObject): JsonObject;
  /** This version's list rules. */
  rules: ListRules;
}

/** Context of one write, for ownership tracking. */
export interface OwnershipContext {
  manager: string;
  apiVersion: string;
  subresource?: WriteSubresource;
  rules: ListRules;
  statusSubresource: boolean;
  /** The fields the write's strategy resets, never owned through it (`reset-fields.ts`). */
  reset: readonly FieldPath[];
  /** The empty typed object of the request's kind, which a create is compared with. */
  empty: JsonObject;
  /** Another served version of the resource by apiVersion (undefined: none to convert to). */
  otherVersion?: (apiVersion: string) => OtherVersion | undefined;
  /**
   * The apiVersion conflicts name every manager's fields in, when not each entry's own: an
   * apply through `scale` sees the workload's entries as kube-apiserver's scale handler
   * converts them, all in `autoscaling/v1`.
   */
  conflictApiVersion?: string;
}

/**
 * Whether `e` is the entry of this write's manager, as kube-apiserver identifies managers:
 * by name, operation and subresource, and for an `Update` also by API version (a manager
 * updating through two versions has two entries).
 */
function isMine(e: Entry, ctx: OwnershipContext, op: 'Apply' | 'Update'): boolean {
  return (
    e.manager === ctx.manager &&
    e.operation === op &&
    (e.subresource ?? '') === (ctx.subresource ?? '') &&
    (op === 'Apply' || e.apiVersion === ctx.apiVersion)
  );
}

function entryFor(entries: Entry[], ctx: OwnershipContext, op: 'Apply' | 'Update'): Entry {
  // kube-apiserver's scale handler gives a manager writing through `scale` the time its
  // entry had in the workload's stored entries: a new one has none, and it never moves.
  const stamp = ctx.subresource !== 'scale';
  let e = entries.find((x) => isMine(x, ctx, op));
  if (!e) {
    e = {
      manager: ctx.manager,
      operation: op,
      apiVersion: ctx.apiVersion,
      time: stamp ? now() : '',
      fields: new Set(),
    };
    if (ctx.subresource) e.subresource = ctx.subresource;
    entries.push(e);
  }
  if (stamp) e.time = now();
  e.apiVersion = ctx.apiVersion;
  return e;
}

/**
 * A set of member paths in its stored form: a member that has members below it is written
 * with its own "." element, as fieldsV1 writes it.
 */
function withMarks(members: Iterable<string>): FieldSet {
  const all = [...members];
  const parents = new Set<string>();
  for (const p of all) {
    for (let i = p.indexOf(SEP); i >= 0; i = p.indexOf(SEP, i + 1)) parents.add(p.slice(0, i));
  }
  return new Set(all.map((p) => (parents.has(p) ? `${p}${MARK}` : p)));
}

/** `fields` without the members in `drop`, in stored form. */
function without(fields: FieldSet, drop: ReadonlySet<string>): FieldSet {
  return withMarks([...fields].map(member).filter((p) => !drop.has(p)));
}

/**
 * Records a non-apply write (create/update/patch) as an `Update` by `ctx.manager`, as
 * kube-apiserver's field manager does: the stored object (for a create, the kind's empty
 * typed object) is compared with the new one; what the write added or changed becomes the
 * writer's and leaves other managers, what it removed leaves every manager, and the rest
 * stays where it was (filling an empty map another manager owns leaves the map theirs).
 * Returns the managedFields to store on `next`.
 */
export function recordUpdate(
  prev: JsonObject | undefined,
  next: JsonObject,
  ctx: OwnershipContext,
): Json[] {
  try {
    return updatedEntries(prev, next, ctx);
  } catch (err) {
    // kube-apiserver's field manager drops all managedFields when it cannot track an
    // update (an entry of a version the resource can no longer convert to).
    if (err instanceof UnconvertibleVersion) return [];
    throw err;
  }
}

function updatedEntries(
  prev: JsonObject | undefined,
  next: JsonObject,
  ctx: OwnershipContext,
): Json[] {
  const entries = startingEntries(prev, next, ctx);
  const compare = comparer(prev ?? ctx.empty, next, ctx);
  const { added, modified, removed } = compare(ctx.apiVersion);
  // The field manager never records `metadata` itself (only fields below it).
  const changed = new Set([...added, ...modified].filter((p) => p !== 'f:metadata'));
  for (const e of entries) {
    if (isMine(e, ctx, 'Update')) {
      e.fields = without(e.fields, removed);
      continue;
    }
    const at = compare(e.apiVersion);
    e.fields = without(e.fields, new Set([...at.added, ...at.modified, ...at.removed]));
  }
  if (changed.size) {
    const mine = entryFor(entries, ctx, 'Update');
    mine.fields = withMarks(withoutReset([...[...mine.fields].map(member), ...changed], ctx));
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
    if (names.length && rules(names)?.atomicMap) return applied;
    const out: JsonObject = isObject(live) ? { ...live } : {};
    for (const [k, v] of Object.entries(applied)) {
      out[k] = mergeApplied(out[k], v, [...names, k], rules);
      carryLiteral(applied, k, out, k);
    }
    return out;
  }
  if (Array.isArray(applied)) {
    const rule = rules(names);
    if (rule?.set && Array.isArray(live)) {
      const out = [...live];
      for (const a of applied) if (!out.some((x) => deepEqual(x, a))) out.push(a);
      return out;
    }
    if (rule?.keys && Array.isArray(live) && applied.every(isObject)) {
      const out = [...live];
      for (const a of applied as JsonObject[]) {
        const i = out.findIndex((x) => isObject(x) && sameItem(x, a, rule));
        if (i >= 0) out[i] = rule.atomicItems ? a : mergeApplied(out[i], a, names, rules);
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

/** A path as a set member: "." marks a container that is itself a member. */
function member(path: string): string {
  return path.endsWith(MARK) ? path.slice(0, -MARK.length) : path;
}

/** Whether any path of `fields` is `path` or lies under it (so the value is kept). */
function ownsWithin(fields: Iterable<string>, path: string): boolean {
  for (const f of fields) if (isUnder(member(f), path)) return true;
  return false;
}

/**
 * The manager as kube-apiserver names it in a conflict: quoted, `with subresource "status"`
 * for a subresource's manager, `using <apiVersion>` for an `Update` manager.
 */
function managerName(e: Entry, apiVersion = e.apiVersion): string {
  let name = JSON.stringify(e.manager);
  if (e.subresource) name += ` with subresource ${JSON.stringify(e.subresource)}`;
  if (e.operation === 'Update') name += ` using ${apiVersion}`;
  return name;
}

const ELEMENT_RANK: Record<string, number> = { f: 0, k: 1, v: 2, i: 3 };

function compareElements(a: string, b: string): number {
  const r = (ELEMENT_RANK[a[0]!] ?? 4) - (ELEMENT_RANK[b[0]!] ?? 4);
  if (r) return r;
  return a < b ? -1 : a > b ? 1 : 0;
}

interface PathNode {
  member: boolean;
  children: Map<string, PathNode>;
}

/**
 * Paths in the order structured-merge-diff iterates a field set, which is the order of a
 * conflict list: at each level the members there first, then the levels below, each in
 * element order.
 */
function iterationOrder(paths: Iterable<string>): string[] {
  const root: PathNode = { member: false, children: new Map() };
  for (const p of paths) {
    let cur = root;
    for (const el of p.split('\u0000')) {
      let next = cur.children.get(el);
      if (!next) {
        next = { member: false, children: new Map() };
        cur.children.set(el, next);
      }
      cur = next;
    }
    cur.member = true;
  }
  const out: string[] = [];
  const visit = (node: PathNode, prefix: string) => {
    const els = [...node.children.keys()].sort(compareElements);
    const at = (el: string) => (prefix ? `${prefix}\u0000${el}` : el);
    for (const el of els) if (node.children.get(el)!.member) out.push(at(el));
    for (const el of els) visit(node.children.get(el)!, at(el));
  };
  visit(root, '');
  return out;
}

/** kube-apiserver's 409 for apply conflicts: one cause per field, the message grouped by manager. */
function conflictError(found: Map<Entry, string[]>, apiVersion?: string): HttpStatusError {
  const named = [...found].map(([e, paths]) => ({ name: managerName(e, apiVersion), paths }));
  named.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const causes: StatusCause[] = named.flatMap(({ name, paths }) =>
    paths.map((p) => ({
      reason: 'FieldManagerConflict',
      message: `conflict with ${name}`,
      field: describePath(p),
    })),
  );
  let message: string;
  if (causes.length === 1) {
    message = `Apply failed with 1 conflict: ${causes[0]!.message}: ${causes[0]!.field}`;
  } else {
    const lines = named.flatMap(({ name, paths }) => [
      `conflicts with ${name}:`,
      ...paths.map((p) => `- ${describePath(p)}`),
    ]);
    message = `Apply failed with ${causes.length} conflicts: ${lines.join('\n')}`;
  }
  return new HttpStatusError(409, 'Conflict', message, { causes });
}

/**
 * Server-side apply of `applied` by `ctx.manager` onto `live` (undefined = create), as
 * kube-apiserver's field manager does it: the applied object is merged into the live one
 * (fields this manager applied before and no longer applies are removed unless another
 * manager owns them), the result is compared with the live object, and another manager's
 * field that the apply adds or changes is a conflict (409 naming manager and field)
 * unless `force`, which moves the field to this manager. A field the apply removes leaves
 * every other manager. Only the part of the object the request's scope writes is
 * compared (on `/status` the status and the metadata the kind's status strategy takes,
 * on the main resource all but the status when the kind has a status subresource), so
 * managers of the other scope never conflict over the rest.
 */
export function serverSideApply(
  live: JsonObject | undefined,
  applied: JsonObject,
  ctx: OwnershipContext,
  force: boolean,
): ApplyResult {
  // An object that nobody owns (its managedFields were cleared, or written without them)
  // is first recorded as an Update by "before-first-apply", as kube-apiserver does, so
  // the apply conflicts with what is already there.
  const recorded =
    live && readEntries(live).length === 0
      ? recordUpdate(undefined, live, { ...ctx, manager: BEFORE_FIRST_APPLY })
      : undefined;
  const entries = recorded ? decodeEntries(recorded) : readEntries(live);
  const part = ownedPart(applied, ctx);
  const base = live ? cloneKeeping(live) : {};
  const appliedFields = withoutReset(fieldsOf(part, ctx.rules), ctx);
  const before = entries.find((e) => isMine(e, ctx, 'Apply'))?.time ?? '';
  const mine = entryFor(entries, ctx, 'Apply');
  const last = mine.fields;
  mine.fields = appliedFields;
  for (const p of last) {
    const path = member(p);
    if (entries.some((e) => ownsWithin(e.fields, path))) continue;
    removeAt(base, path, ctx.rules);
  }
  const merged = mergeApplied(base, part, [], ctx.rules) as JsonObject;
  const compare = comparer(live ?? {}, merged, ctx);
  const found = new Map<Entry, string[]>();
  for (const e of entries) {
    if (e === mine) continue;
    const { added, modified } = compare(e.apiVersion);
    const hits = [...e.fields].map(member).filter((p) => added.has(p) || modified.has(p));
    if (hits.length) found.set(e, iterationOrder(hits));
  }
  if (found.size && !force) throw conflictError(found, ctx.conflictApiVersion);
  for (const e of entries) {
    if (e === mine) continue;
    const lost = new Set([...(found.get(e) ?? []), ...compare(e.apiVersion).removed]);
    for (const p of [...e.fields]) if (lost.has(member(p))) e.fields.delete(p);
  }
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
  // An apply that changes nothing leaves its manager's time as it was (a new manager's
  // entry has none), as kube-apiserver stamps the time only when the object changes.
  if (live && deepEqual(live, merged)) mine.time = before;
  return { object: merged, managedFields: writeEntries(entries) };
}
