import type { ServerResponse } from 'node:http';
import type { JsonObject } from './json.js';
import { tooLargeResourceVersion } from './list.js';
import { type ListOptions, parseWatchRv } from './list-options.js';
import { PROTOBUF_MEDIA_TYPE } from './protobuf/decode.js';
import { apiVersionOf, resourceKey, viewAt } from './resource-types.js';
import { errorEvent } from './respond.js';
import type { ApiState } from './state.js';
import {
  bookmarkObject,
  endWatch,
  eventFor,
  lineFor,
  visibleTo,
  type Watcher,
} from './watch-hub.js';
import type { Scope } from './write-scope.js';

/** The annotation that marks the end of the initial events of a streaming list. */
export const INITIAL_EVENTS_END = 'k8s.io/initial-events-end';

/**
 * Serves a WATCH on an open response: HTTP 200 and a stream of JSON lines (`protobuf`:
 * length-prefixed WatchEvent frames). From a
 * resourceVersion: the changes after it from history (an ERROR event with a 410 Status
 * when it is older than the kept history); without one (or "0"): ADDED for the current
 * objects first; with sendInitialEvents: the current objects then a BOOKMARK annotated
 * `k8s.io/initial-events-end`. Then live changes until timeoutSeconds or the client leaves.
 */
export function serveWatch(
  s: ApiState,
  sc: Scope,
  o: ListOptions,
  res: ServerResponse,
  render?: (type: string, obj: JsonObject) => Buffer,
  protobuf = false,
): void {
  const resKey = resourceKey(sc.t);
  const apiVersion = apiVersionOf(sc.t.group, sc.version);
  const w: Watcher = {
    resKey,
    labels: o.labels,
    fields: o.fields,
    kind: sc.t.kind,
    apiVersion,
    bookmarks: o.allowWatchBookmarks,
    specStatus: sc.t.builtin && sc.t.status,
    protobuf,
    res,
  };
  if (sc.t.namespaced && sc.namespace) w.namespace = sc.namespace;
  if (render) w.render = render;
  const view = viewAt(sc.t, sc.version);
  if (view) w.view = view.fromStored;
  let from: number | undefined;
  if (o.resourceVersion !== undefined && o.resourceVersion !== '0') {
    from = parseWatchRv(o.resourceVersion);
  }
  // Set before writeHead so that an error after them (sendError) can tell the framing.
  res.setHeader(
    'Content-Type',
    protobuf ? `${PROTOBUF_MEDIA_TYPE};stream=watch` : 'application/json',
  );
  res.setHeader('Cache-Control', 'no-cache, private');
  res.setHeader('Transfer-Encoding', 'chunked');
  res.writeHead(200);
  res.flushHeaders();
  // A streaming list from a version not reached after the wait (see fresh-wait.ts) ends
  // with the 504 Status as an ERROR event; a plain watch from the future sends only what
  // is newer than its version, as kube-apiserver's cache watcher does.
  if (from !== undefined && from > s.storage.rv) {
    if (o.sendInitialEvents === true) throw tooLargeResourceVersion(from, s.storage.rv);
    w.after = from;
  }
  const initial =
    o.sendInitialEvents === true || (o.sendInitialEvents === undefined && from === undefined);
  if (!initial && from !== undefined && from < s.storage.history.compactedRv) {
    const status: JsonObject = {
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message: `too old resource version: ${from} (${s.storage.history.compactedRv})`,
      reason: 'Expired',
      code: 410,
    };
    res.end(errorEvent(res, status));
    return;
  }
  if (initial) {
    for (const [, obj] of s.storage.scan(resKey, w.namespace)) {
      if (visibleTo(w, obj)) res.write(lineFor(w, 'ADDED', obj));
    }
    // kube-apiserver ends the initial objects with this bookmark whenever bookmarks are allowed.
    if (o.sendInitialEvents === true || o.allowWatchBookmarks) {
      const end = { [INITIAL_EVENTS_END]: 'true' };
      const bm = bookmarkObject(sc.t.kind, apiVersion, s.storage.rv, end, w.specStatus);
      res.write(lineFor(w, 'BOOKMARK', bm));
    }
  } else if (from !== undefined) {
    for (const c of s.storage.history.since(from)) {
      if (c.resKey !== resKey) continue;
      const event = eventFor(w, c);
      if (event) res.write(lineFor(w, event.type, event.object));
    }
  }
  s.hub.add(w);
  const timeout = setTimeout(
    () => endWatch(w),
    watchDurationMs(o.timeoutSeconds, s.minRequestTimeoutSeconds),
  );
  timeout.unref();
  res.on('close', () => clearTimeout(timeout));
}

/**
 * How long a watch lasts: its `timeoutSeconds`, else (none or 0) a random time between the
 * minimum request timeout and twice it, as kube-apiserver's watch handler picks it.
 */
export function watchDurationMs(
  timeoutSeconds: number | undefined,
  minRequestTimeoutSeconds: number,
): number {
  if (timeoutSeconds) return timeoutSeconds * 1000;
  return minRequestTimeoutSeconds * 1000 * (1 + Math.random());
}
