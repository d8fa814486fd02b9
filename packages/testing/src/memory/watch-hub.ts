import type { ServerResponse } from 'node:http';
import { goEncoded } from './go-json.js';
import type { Change, ChangeType } from './history.js';
import type { JsonObject } from './json.js';
import type { LabelSelector } from './label-selector-syntax.js';
import { metaOf } from './object-meta.js';
import { watchFrame } from './protobuf/encode.js';
import { type FieldSelector, matchFields, matchLabels } from './selectors.js';
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
  /** Events are protobuf frames (`application/vnd.kubernetes.protobuf;stream=watch`). */
  protobuf?: boolean;
  /** Renders events itself (kubectl's Table watches); the shared Buffer is used otherwise. */
  render?: (type: string, obj: JsonObject) => Buffer;
  /** Converts stored objects to the watched resource's form (a {@link StoredView}). */
  view?: (obj: JsonObject) => JsonObject;
  /** A watch from a future resourceVersion: nothing at or before it is sent. */
  after?: number;
  /**
   * Set while the connection is frozen by `silenceWatches(true)`: what the server sends is
   * held here, in order, and written when the connection thaws (as a frozen TCP connection
   * delivers its buffered bytes), so nothing is lost or reordered.
   */
  frozen?: { lines: Buffer[]; ended: boolean };
}

/**
 * Sends `line` to `w`, or holds it while `w` is frozen. A response already ended (its
 * watch timed out or was closed, and its `close` has not removed it from the hub yet)
 * gets nothing: writing to it raised "write after end" as an uncaught exception.
 */
function send(w: Watcher, line: Buffer): void {
  if (w.frozen) w.frozen.lines.push(line);
  else if (!w.res.writableEnded) w.res.write(line);
}

/** Ends `w`'s response, or once it thaws while it is frozen. */
export function endWatch(w: Watcher): void {
  if (w.frozen) w.frozen.ended = true;
  else w.res.end();
}

/**
 * The event line a watcher gets for a change: a renderer (Table, PartialObjectMetadata) gets
 * the stored object, as kube-apiserver transforms its internal object; the plain form is
 * the object at the watched version.
 */
export function lineFor(w: Watcher, type: string, obj: JsonObject): Buffer {
  if (w.render) return w.render(type, obj);
  const shown = w.view && type !== 'BOOKMARK' ? w.view(obj) : obj;
  return eventLine(type, shown, w.apiVersion, w.protobuf);
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

/**
 * The event a watcher gets for a committed change, or undefined when it sees none: an
 * object that starts matching its selectors arrives as ADDED; one that stops matching as
 * DELETED carrying its last matching state with the change's resourceVersion (as
 * kube-apiserver's watch cache sends it).
 */
export function eventFor(
  w: Watcher,
  c: Change,
): { type: ChangeType; object: JsonObject } | undefined {
  if (c.type === 'DELETED') {
    return visibleTo(w, c.object) ? { type: 'DELETED', object: c.object } : undefined;
  }
  const now = visibleTo(w, c.object);
  const before = c.prev !== undefined && visibleTo(w, c.prev);
  if (now) return { type: before ? 'MODIFIED' : 'ADDED', object: c.object };
  if (!before) return undefined;
  const prev = c.prev!;
  const rv = (c.object.metadata as JsonObject).resourceVersion ?? null;
  return {
    type: 'DELETED',
    object: { ...prev, metadata: { ...metaOf(prev), resourceVersion: rv } },
  };
}

/** One watch event line (`{"type":…,"object":…}\n`), or protobuf frame, as bytes. */
export function eventLine(
  type: string,
  obj: JsonObject,
  apiVersion: string,
  protobuf = false,
): Buffer {
  if (protobuf) return watchFrame(type, atVersion(obj, apiVersion));
  return Buffer.from(
    goEncoded(`{"type":"${type}","object":${jsonOf(atVersion(obj, apiVersion))}}`),
  );
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

  /**
   * Freezes every watch connection open now (`on`), or thaws every frozen one: a frozen
   * connection stays open and receives nothing — no event, no bookmark, not its end — until
   * it thaws, then everything held, in order. Watches opened meanwhile are served normally.
   */
  freeze(on: boolean): void {
    for (const set of this.byRes.values()) {
      for (const w of set) {
        if (on) {
          w.frozen ??= { lines: [], ended: false };
          continue;
        }
        const held = w.frozen;
        if (held === undefined) continue;
        w.frozen = undefined;
        for (const line of held.lines) w.res.write(line);
        if (held.ended) w.res.end();
      }
    }
  }

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

  /** Number of open watches of the resource stored under `resKey`. */
  sizeOf(resKey: string): number {
    return this.byRes.get(resKey)?.size ?? 0;
  }

  /** Sends one committed change to every watcher of its resource that sees it. */
  dispatch(c: Change): void {
    const set = this.byRes.get(c.resKey);
    if (!set || set.size === 0) return;
    const lines = new Map<string, Buffer>();
    for (const w of set) {
      if (w.after !== undefined && c.rv <= w.after) continue;
      const event = eventFor(w, c);
      if (!event) continue;
      if (w.render || w.view) {
        send(w, lineFor(w, event.type, event.object));
        continue;
      }
      // Within one change, each type carries one object state, so lines can be shared.
      const id = `${event.type}|${w.apiVersion}|${w.protobuf === true}`;
      let line = lines.get(id);
      if (!line) {
        line = eventLine(event.type, event.object, w.apiVersion, w.protobuf);
        lines.set(id, line);
      }
      send(w, line);
    }
  }

  /** Writes a BOOKMARK at `rv` to every watcher that asked for bookmarks (not frozen). */
  bookmark(rv: number): void {
    for (const set of this.byRes.values()) {
      for (const w of set) {
        // A frozen connection gets no bookmark: one held behind changes is never needed.
        if (w.bookmarks && w.frozen === undefined && (w.after === undefined || rv > w.after)) {
          const bm = bookmarkObject(w.kind, w.apiVersion, rv, undefined, w.specStatus);
          send(w, lineFor(w, 'BOOKMARK', bm));
        }
      }
    }
  }

  /** Ends every watch of one resource (e.g. when its CRD goes away). */
  closeResource(resKey: string): void {
    for (const w of this.byRes.get(resKey) ?? []) endWatch(w);
  }

  /** Ends every open watch response (a frozen one once it thaws). */
  closeAll(): void {
    for (const set of this.byRes.values()) for (const w of set) endWatch(w);
  }

  /** Ends every open watch response at once, frozen or not (the server stops). */
  destroyAll(): void {
    for (const set of this.byRes.values()) for (const w of set) w.res.end();
  }
}
