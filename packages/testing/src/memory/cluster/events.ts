/**
 * Events a simulated controller records, as client-go's EventRecorder writes them for
 * kube-controller-manager: core/v1 Events named `<object>.<hex nanoseconds>` in the
 * object's namespace, the object as `involvedObject`, the controller's name as
 * `source.component` and `reportingComponent`, and a repeat of the same Event (same
 * object, type, reason and message) counted on the first one (`count`, `lastTimestamp`),
 * as the recorder's correlator does; or, for kube-apiserver's controllers, events.k8s.io/v1
 * Events as client-go's `events` recorder writes them (`reportingController`, the instance
 * `<controller>-<host name>`, `action`, `note`, `regarding`, `eventTime`).
 */

import { hostname } from 'node:os';
import { isObject, type JsonObject } from '../json.js';
import { metaOf } from '../object-meta.js';
import { type ApiState, timestamp } from '../state.js';
import { createAs, EVENTS, type Resource, tableOf, updateAs } from './writes.js';

/** events.k8s.io/v1 Events (the same store as core/v1's). */
const NEW_EVENTS: Resource = { group: 'events.k8s.io', version: 'v1', plural: 'events' };

const MANAGER = 'kube-controller-manager';

let lastNanos = 0n;

/** Unique, growing nanoseconds since the epoch for Event names. */
function nowNanos(): bigint {
  const nanos = BigInt(Date.now()) * 1_000_000n;
  lastNanos = nanos > lastNanos ? nanos : lastNanos + 1n;
  return lastNanos;
}

/** The ObjectReference client-go's `GetReference` makes for `obj`. */
export function referenceTo(obj: JsonObject): JsonObject {
  const meta = metaOf(obj);
  return {
    kind: String(obj.kind),
    namespace: String(meta.namespace ?? ''),
    name: String(meta.name),
    uid: String(meta.uid),
    apiVersion: String(obj.apiVersion),
    resourceVersion: String(meta.resourceVersion),
  };
}

/** Records an Event about `obj` from controller `component` (e.g. `cronjob-controller`). */
export function recordEvent(
  s: ApiState,
  component: string,
  obj: JsonObject,
  type: 'Normal' | 'Warning',
  reason: string,
  message: string,
): void {
  const involved = referenceTo(obj);
  const namespace = involved.namespace || 'default';
  const now = timestamp();
  for (const [, event] of s.storage.scan(tableOf(EVENTS), String(namespace))) {
    const seen = isObject(event.involvedObject) ? event.involvedObject : {};
    const source = isObject(event.source) ? event.source : {};
    if (
      seen.uid === involved.uid &&
      source.component === component &&
      event.type === type &&
      event.reason === reason &&
      event.message === message
    ) {
      updateAs(s, MANAGER, EVENTS, event, (copy) => {
        copy.count = (typeof event.count === 'number' ? event.count : 1) + 1;
        copy.lastTimestamp = now;
      });
      return;
    }
  }
  createAs(s, MANAGER, EVENTS, String(namespace), {
    apiVersion: 'v1',
    kind: 'Event',
    metadata: { name: `${involved.name}.${nowNanos().toString(16)}`, namespace },
    involvedObject: involved,
    reason,
    message,
    source: { component },
    firstTimestamp: now,
    lastTimestamp: now,
    count: 1,
    type,
    eventTime: null,
    reportingComponent: component,
    reportingInstance: '',
  });
}

/**
 * Records an events.k8s.io/v1 Event about `obj` from `controller` (e.g.
 * `ipallocator-repair-controller`), as kube-apiserver's controllers record them.
 */
export function recordNewEvent(
  s: ApiState,
  controller: string,
  obj: JsonObject,
  type: 'Normal' | 'Warning',
  reason: string,
  action: string,
  note: string,
): void {
  const regarding = referenceTo(obj);
  const namespace = regarding.namespace || 'default';
  if (regarding.namespace === '') delete regarding.namespace;
  createAs(s, MANAGER_APISERVER, NEW_EVENTS, String(namespace), {
    apiVersion: 'events.k8s.io/v1',
    kind: 'Event',
    metadata: { name: `${String(regarding.name)}.${nowNanos().toString(16)}`, namespace },
    eventTime: new Date().toISOString().replace(/(\.\d{3})Z$/, '$1000Z'),
    reportingController: controller,
    reportingInstance: `${controller}-${hostname()}`,
    action,
    reason,
    regarding,
    note,
    type,
  });
}

const MANAGER_APISERVER = 'kube-apiserver';
