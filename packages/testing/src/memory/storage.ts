import { expired } from './errors.js';
import { sortedKeys } from './go-print.js';
import { type Change, type ChangeType, History } from './history.js';
import type { JsonObject } from './json.js';
import { SERVER_SET_META } from './object-meta.js';
import { lowerBound, SortedKeys } from './sorted-keys.js';

/** The objects of one resource, keyed `ns/name` (or `name`), with a sorted key index. */
interface Table {
  objects: Map<string, JsonObject>;
  index: SortedKeys;
  /** rv of the last change to this table. */
  lastRv: number;
}

const META_ORDER = [
  'name',
  'generateName',
  'namespace',
  ...SERVER_SET_META,
  'labels',
  'annotations',
  'ownerReferences',
  'finalizers',
  'managedFields',
];

/** The object with kube-apiserver's key order (kind, apiVersion, metadata, rest). */
export function canonical(obj: JsonObject): JsonObject {
  const meta = obj.metadata as JsonObject | undefined;
  const out: JsonObject = { kind: obj.kind ?? null, apiVersion: obj.apiVersion ?? null };
  if (meta) {
    const m: JsonObject = {};
    for (const k of META_ORDER) if (meta[k] !== undefined) m[k] = meta[k]!;
    for (const [k, v] of Object.entries(meta)) if (!(k in m)) m[k] = v;
    out.metadata = m;
  }
  for (const [k, v] of Object.entries(obj)) if (!(k in out)) out[k] = v;
  return out;
}

/** The storage key of an object in its table. */
export function objectKey(namespace: string, name: string): string {
  return namespace ? `${namespace}/${name}` : name;
}

/** One page of a list read. */
export interface Page {
  items: JsonObject[];
  /** Key of the last item when more remain (the next page starts after it). */
  lastKey?: string;
  /** Number of matching items after this page, when known. */
  remaining?: number;
}

/**
 * The server's versioned object store (its "etcd"): one global resourceVersion counter,
 * one table per resource, and a bounded history of changes. Stored objects are never
 * mutated: every write stores a new object, so readers and the history may share them.
 */
export class Storage {
  private readonly tables = new Map<string, Table>();
  private readonly byUid = new Map<string, { resKey: string; key: string }>();
  readonly history: History;
  /** The latest committed resourceVersion. */
  rv = 1;
  /** Called synchronously after every commit, in rv order. */
  onChange: (c: Change) => void = () => {};
  /**
   * Whether a resource is unstructured (a custom resource): kube-apiserver writes those as
   * Go maps, every key sorted, where a built-in follows its struct's field order.
   */
  unstructured: (resKey: string) => boolean = () => false;

  constructor(historySize: number) {
    this.history = new History(historySize);
    this.history.compactedRv = 1;
  }

  private table(resKey: string): Table {
    let t = this.tables.get(resKey);
    if (!t) {
      t = { objects: new Map(), index: new SortedKeys(), lastRv: 0 };
      this.tables.set(resKey, t);
    }
    return t;
  }

  /** The stored object, or undefined. */
  get(resKey: string, key: string): JsonObject | undefined {
    return this.tables.get(resKey)?.objects.get(key);
  }

  /** Where the object with this uid lives, if it exists. */
  locateUid(uid: string): { resKey: string; key: string } | undefined {
    return this.byUid.get(uid);
  }

  /** The resources that have held objects (`plural` or `plural.group`). */
  resources(): Iterable<string> {
    return this.tables.keys();
  }

  /** Number of objects of a resource. */
  count(resKey: string): number {
    return this.tables.get(resKey)?.objects.size ?? 0;
  }

  /** Every current object of a resource (optionally in one namespace), in key order. */
  *scan(resKey: string, namespace?: string): Generator<[string, JsonObject]> {
    const t = this.tables.get(resKey);
    if (!t) return;
    const keys = t.index.keys;
    const prefix = namespace ? `${namespace}/` : '';
    for (let i = prefix ? lowerBound(keys, prefix) : 0; i < keys.length; i++) {
      const k = keys[i]!;
      if (prefix && !k.startsWith(prefix)) break;
      yield [k, t.objects.get(k)!];
    }
  }

  /**
   * `obj` with its members in the order its resource is stored and served in: a custom
   * resource's maps all sorted (kube-apiserver writes an unstructured object so, a dry run's
   * answer too), a built-in's in {@link canonical} order.
   */
  inStoredOrder(resKey: string, obj: JsonObject): JsonObject {
    return this.unstructured(resKey) ? (sortedKeys(obj) as JsonObject) : canonical(obj);
  }

  /**
   * Commits a change: `next` is the new object (rv already stamped by the caller through
   * {@link nextRv}), or null to delete (then `deleted` is the final state to report).
   */
  commit(
    resKey: string,
    key: string,
    namespace: string,
    next: JsonObject | null,
    deleted?: JsonObject,
  ): Change {
    const t = this.table(resKey);
    const prev = t.objects.get(key);
    const rv = ++this.rv;
    let type: ChangeType;
    let object: JsonObject;
    const order = (o: JsonObject) => this.inStoredOrder(resKey, o);
    if (next === null) {
      type = 'DELETED';
      object = order(deleted!);
      t.objects.delete(key);
      t.index.delete(key);
      const uid = (prev?.metadata as JsonObject | undefined)?.uid;
      if (typeof uid === 'string') this.byUid.delete(uid);
    } else {
      type = prev ? 'MODIFIED' : 'ADDED';
      next = order(next);
      object = next;
      t.objects.set(key, next);
      if (!prev) t.index.add(key);
      const uid = (next.metadata as JsonObject | undefined)?.uid;
      if (typeof uid === 'string') this.byUid.set(uid, { resKey, key });
    }
    t.lastRv = rv;
    const change: Change = { rv, type, resKey, key, namespace, object };
    if (prev) change.prev = prev;
    this.history.push(change);
    this.onChange(change);
    return change;
  }

  /**
   * Replaces a stored object with an equivalent form of it, without a change: no new
   * resourceVersion, no history, no watch event (what kube-apiserver's reads show when
   * they decode a stored object differently, e.g. custom resource defaults added later).
   */
  rewrite(resKey: string, key: string, next: JsonObject): void {
    const t = this.tables.get(resKey);
    if (t?.objects.has(key)) t.objects.set(key, canonical(next));
  }

  /** The resourceVersion the next commit will take. */
  nextRv(): number {
    return this.rv + 1;
  }

  /** Forgets all history up to now: reads/watches from an older rv now get 410. */
  compact(): void {
    this.history.compact(this.rv);
  }

  /**
   * One round of kube-apiserver's etcd compactor: it writes its compaction key (a new
   * revision no client sees), then compacts to `rv`, the revision of its previous round.
   * Returns the revision this round wrote, the next round's `rv`.
   */
  compactionRound(rv: number): number {
    this.rv++;
    this.history.compact(rv);
    return this.rv;
  }

  /** Throws 410 when `rv` is older than the kept history. */
  checkNotCompacted(rv: number): void {
    if (rv < this.history.compactedRv) {
      throw expired(`too old resource version: ${rv} (${this.history.compactedRv})`);
    }
  }

  /**
   * Reads up to `limit` objects of a table as they were at resourceVersion `atRv`, in key
   * order, starting after `afterKey`, restricted to `namespace` when given, keeping those
   * `accept` accepts. Costs O(changes since atRv + page), never a sort of the keyspace.
   */
  page(
    resKey: string,
    atRv: number,
    opts: {
      namespace?: string;
      afterKey?: string;
      limit?: number;
      accept: (o: JsonObject) => boolean;
      /** 'fast': every object is accepted, count by index; false: don't count. */
      countRemaining?: 'fast' | 'scan' | false;
    },
  ): Page {
    const t = this.tables.get(resKey);
    if (!t) return { items: [] };
    // Objects that differ between atRv and now: key -> state at atRv (null = absent).
    let overlay: Map<string, JsonObject | null> | undefined;
    if (t.lastRv > atRv) {
      this.checkNotCompacted(atRv);
      overlay = new Map();
      for (const c of this.history.sinceReversed(atRv)) {
        if (c.resKey === resKey) overlay.set(c.key, c.prev ?? null);
      }
    }
    const prefix = opts.namespace ? `${opts.namespace}/` : '';
    // '/' + 1 is '0': every key of the namespace sorts below `end`.
    const end = prefix ? `${opts.namespace}0` : undefined;
    const from = opts.afterKey !== undefined ? `${opts.afterKey}\u0000` : prefix;
    const keys = t.index.keys;
    const extra = overlay
      ? [...overlay.keys()].filter((k) => !t.objects.has(k) && k >= from).sort()
      : [];
    let i = lowerBound(keys, from);
    let j = 0;
    const limit = opts.limit && opts.limit > 0 ? opts.limit : Number.POSITIVE_INFINITY;
    const items: JsonObject[] = [];
    let lastKey: string | undefined;
    let more = false;
    let remaining = 0;
    while (i < keys.length || j < extra.length) {
      let k: string;
      if (j >= extra.length || (i < keys.length && keys[i]! < extra[j]!)) k = keys[i++]!;
      else k = extra[j++]!;
      if (end !== undefined && k >= end) break;
      const o = overlay?.has(k) ? overlay.get(k)! : t.objects.get(k)!;
      if (o === null || !opts.accept(o)) continue;
      if (items.length < limit) {
        items.push(o);
        lastKey = k;
        continue;
      }
      more = true;
      remaining++;
      if (opts.countRemaining === false) break;
      if (!overlay && opts.countRemaining === 'fast') {
        const stop = end === undefined ? keys.length : lowerBound(keys, end);
        remaining = stop - i + 1;
        break;
      }
    }
    const page: Page = { items };
    if (more && lastKey !== undefined) {
      page.lastKey = lastKey;
      page.remaining = remaining;
    }
    return page;
  }
}
