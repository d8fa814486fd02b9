import type { ServerResponse } from 'node:http';
import type { Change, ChangeType } from './history.js';
import type { JsonObject } from './json.js';
import { type FieldSelector, type LabelSelector, matchFields, matchLabels } from './selectors.js';
import { atVersion, jsonOf } from './serialize.js';

/** One open watch connection. */
export interface Watcher {
  resKey: string;
  namespace?: string;
  labels: LabelSelector;
  fields: FieldSelector;
  kind: string;
  apiVersion: string;
  bookmarks: boolean;
  /** Bookmarks carry empty spec/status (built-in kinds with those structs). */
  specStatus: boolean;
  res: ServerResponse;
  /** Renders events itself (kubectl's Table watches); the shared Buffer is used otherwise. */
  render?: (type: string, obj: JsonObject) => Buffer;
}

/** The event line a watcher gets for a change. */
export function lineFor(w: Watcher, type: string, obj: JsonObject): Buffer {
  return w.render ? w.render(type, obj) : eventLine(type, obj, w.apiVersion);
}

/** True when the object is visible to the watcher (namespace + selectors). */
export function visibleTo(w: Watcher, obj: JsonObject | undefined): boolean {
  if (!obj) return false;
  const meta = obj.metadata as JsonObject;
  if (w.namespace !== undefined && meta.namespace !== w.namespace) return false;
  if (
    w.labels.length &&
    !matchLabels(w.labels, meta.labels as Record<string, string> | undefined)
  ) {
    return false;
  }
  return w.fields.length === 0 || matchFields(w.fields, obj);
}

/** One watch event line (`{"type":…,"object":…}\n`) as bytes. */
export function eventLine(type: string, obj: JsonObject, apiVersion: string): Buffer {
  return Buffer.from(`{"type":"${type}","object":${jsonOf(atVersion(obj, apiVersion))}}\n`);
}

/** The BOOKMARK object for a kind at a resourceVersion. */
export function bookmarkObject(
  kind: string,
  apiVersion: string,
  rv: number,
  annotations?: Record<string, string>,
  withSpecStatus = false,
): JsonObject {
  const metadata: JsonObject = { resourceVersion: String(rv) };
  if (annotations) metadata.annotations = annotations;
  const obj: JsonObject = { kind, apiVersion, metadata };
  // Typed kinds with spec/status structs serialize them empty, as kube-apiserver does.
  if (withSpecStatus) {
    obj.spec = {};
    obj.status = {};
  }
  return obj;
}

/**
 * Fans committed changes out to the open watches. Each event is serialized once per
 * (type, apiVersion) and the same Buffer is written to every watcher that sees it; a
 * watcher whose selector stops (starts) matching an object gets DELETED (ADDED), like
 * the real server's watch cache.
 */
export class WatchHub {
  private readonly byRes = new Map<string, Set<Watcher>>();
  /** When true nothing is written to any watch (events are dropped for them). */
  silenced = false;

  /** Registers a watcher; it is removed when its response closes. */
  add(w: Watcher): void {
    let set = this.byRes.get(w.resKey);
    if (!set) {
      set = new Set();
      this.byRes.set(w.resKey, set);
    }
    set.add(w);
    w.res.on('close', () => set.delete(w));
  }

  /** Number of open watches. */
  get size(): number {
    let n = 0;
    for (const s of this.byRes.values()) n += s.size;
    return n;
  }

  /** Sends one committed change to every watcher of its resource that sees it. */
  dispatch(c: Change): void {
    const set = this.byRes.get(c.resKey);
    if (!set || set.size === 0 || this.silenced) return;
    const lines = new Map<string, Buffer>();
    for (const w of set) {
      const now = c.type !== 'DELETED' && visibleTo(w, c.object);
      const before = c.prev !== undefined && visibleTo(w, c.prev);
      let type: ChangeType;
      if (c.type === 'DELETED') {
        if (!visibleTo(w, c.object)) continue;
        type = 'DELETED';
      } else if (now && before) type = 'MODIFIED';
      else if (now) type = 'ADDED';
      else if (before) type = 'DELETED';
      else continue;
      if (w.render) {
        w.res.write(w.render(type, c.object));
        continue;
      }
      const id = `${type}|${w.apiVersion}`;
      let line = lines.get(id);
      if (!line) {
        line = eventLine(type, c.object, w.apiVersion);
        lines.set(id, line);
      }
      w.res.write(line);
    }
  }

  /** Writes a BOOKMARK at `rv` to every watcher that asked for bookmarks. */
  bookmark(rv: number): void {
    if (this.silenced) return;
    for (const set of this.byRes.values()) {
      for (const w of set) {
        if (w.bookmarks) {
          const bm = bookmarkObject(w.kind, w.apiVersion, rv, undefined, w.specStatus);
          w.res.write(lineFor(w, 'BOOKMARK', bm));
        }
      }
    }
  }

  /** Ends every watch of one resource (e.g. when its CRD goes away). */
  closeResource(resKey: string): void {
    for (const w of this.byRes.get(resKey) ?? []) w.res.end();
  }

  /** Ends every open watch response. */
  closeAll(): void {
    for (const set of this.byRes.values()) for (const w of set) w.res.end();
  }
}
