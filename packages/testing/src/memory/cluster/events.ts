/**
 * Events a simulated controller records, as client-go's EventRecorder writes them for
 * kube-controller-manager: core/v1 Events named `<object>.<hex nanoseconds>` in the
 * object's namespace, the object as `involvedObject`, the controller's name as
 * `source.component` and `reportingComponent`, passed through the recorder's
 * EventCorrelator (repeats counted, similar messages combined, floods dropped: see
 * {@link recordEvent}); or, for kube-apiserver's controllers, events.k8s.io/v1
 * Events as client-go's `events` recorder writes them (`reportingController`, the instance
 * `<controller>-<host name>`, `action`, `note`, `regarding`, `eventTime`).
 */

import { hostname } from 'node:os';
import type { JsonObject } from '../json.js';
import { metaOf } from '../object-meta.js';
import { type ApiState, timestamp } from '../state.js';
import { objectKey } from '../storage.js';
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

/**
 * The ObjectReference client-go's `GetReference` makes for `obj` (empty fields left out,
 * as Go's `omitempty` does: an object not yet created has no uid or resourceVersion).
 */
export function referenceTo(obj: JsonObject): JsonObject {
  const meta = metaOf(obj);
  const ref: JsonObject = {};
  const fields = {
    kind: obj.kind,
    namespace: meta.namespace,
    name: meta.name,
    uid: meta.uid,
    apiVersion: obj.apiVersion,
    resourceVersion: meta.resourceVersion,
  };
  for (const [k, v] of Object.entries(fields)) {
    if (v !== undefined && v !== null && v !== '') ref[k] = String(v);
  }
  return ref;
}

/** client-go's correlator limits (`events_cache.go`). */
const LRU_ENTRIES = 4096;
const AGGREGATE_MAX_EVENTS = 10;
const AGGREGATE_INTERVAL_MS = 600_000;
const SPAM_BURST = 25;
const SPAM_PER_MS = 1 / 300_000;

/** What a recorder remembers of an Event it wrote (`eventLog`). */
interface Observation {
  readonly count: number;
  readonly firstTimestamp: string;
  readonly name: string;
}

/**
 * One server's EventCorrelator state: the aggregator's messages per reason, the logger's
 * last observation per Event and the spam filter's token buckets. client-go keeps these in
 * the recorder's memory, not in the stored Events (a deleted Event is created again with the
 * next count), so the simulation does too.
 */
interface Correlator {
  readonly aggregates: Map<string, { messages: Set<string>; last: number }>;
  readonly observations: Map<string, Observation>;
  readonly buckets: Map<string, { tokens: number; last: number }>;
}

const correlators = new WeakMap<ApiState, Correlator>();

function correlatorOf(s: ApiState): Correlator {
  let c = correlators.get(s);
  if (c === undefined) {
    c = { aggregates: new Map(), observations: new Map(), buckets: new Map() };
    correlators.set(s, c);
  }
  return c;
}

/** Sets `key` as the most recently used entry of an LRU cache of {@link LRU_ENTRIES}. */
function remember<V>(cache: Map<string, V>, key: string, value: V): void {
  cache.delete(key);
  cache.set(key, value);
  if (cache.size > LRU_ENTRIES) cache.delete(cache.keys().next().value as string);
}

/** The fields of the involved object and source every correlator key starts with. */
function objectKeyOf(component: string, o: JsonObject, withFieldPath: boolean): string[] {
  return [
    component,
    '',
    String(o.kind ?? ''),
    String(o.namespace ?? ''),
    String(o.name ?? ''),
    ...(withFieldPath ? [''] : []),
    String(o.uid ?? ''),
    String(o.apiVersion ?? ''),
  ];
}

/** `getEventKey`: an Event's identity for the count, its message included. */
function eventKey(component: string, event: JsonObject): string {
  const o = event.involvedObject as JsonObject;
  return [
    ...objectKeyOf(component, o, true),
    String(event.type),
    String(event.reason),
    String(event.message),
  ].join('');
}

/**
 * Whether the spam filter lets one more Event about the object through: a token bucket of
 * 25 per source, object and type, refilled one token every 5 minutes.
 */
function takeToken(c: Correlator, key: string, now: number): boolean {
  const bucket = c.buckets.get(key) ?? { tokens: SPAM_BURST, last: now };
  bucket.tokens = Math.min(SPAM_BURST, bucket.tokens + (now - bucket.last) * SPAM_PER_MS);
  bucket.last = now;
  const allowed = bucket.tokens >= 1;
  if (allowed) bucket.tokens -= 1;
  remember(c.buckets, key, bucket);
  return allowed;
}

/**
 * Records an Event about `obj` from controller `component` (e.g. `cronjob-controller`) as
 * client-go's recorder does after its EventCorrelator: the tenth different message of one
 * reason about one object within ten minutes, and each one after, goes to a single
 * `(combined from similar events): <message>` Event (without the reporting fields); a repeat
 * is counted on the Event it repeats (`count`, `lastTimestamp`, `message`); beyond 25 Events
 * of one type about one object, one more every 5 minutes, the rest are dropped.
 */
export function recordEvent(
  s: ApiState,
  component: string,
  obj: JsonObject,
  type: 'Normal' | 'Warning',
  reason: string,
  message: string,
): void {
  const involved = referenceTo(obj);
  const namespace = String(involved.namespace ?? '') || 'default';
  const c = correlatorOf(s);
  const nowMs = Date.now();
  const now = timestamp();
  const name = `${involved.name}.${nowNanos().toString(16)}`;
  let event: JsonObject = {
    apiVersion: 'v1',
    kind: 'Event',
    metadata: { name, namespace },
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
  };
  const aggregateKey = [
    ...objectKeyOf(component, involved, false),
    type,
    reason,
    component,
    '',
  ].join('');
  const seen = c.aggregates.get(aggregateKey);
  const aggregate =
    seen === undefined || nowMs - seen.last > AGGREGATE_INTERVAL_MS
      ? { messages: new Set<string>(), last: nowMs }
      : seen;
  aggregate.messages.add(message);
  aggregate.last = nowMs;
  remember(c.aggregates, aggregateKey, aggregate);
  let key = eventKey(component, event);
  if (aggregate.messages.size >= AGGREGATE_MAX_EVENTS) {
    // Go's PopAny drops an arbitrary message; the oldest is as good a choice.
    aggregate.messages.delete(aggregate.messages.values().next().value as string);
    event = {
      ...event,
      message: `(combined from similar events): ${message}`,
      reportingComponent: '',
    };
    key = aggregateKey;
  }
  const last = c.observations.get(key);
  if (last !== undefined) {
    event.metadata = { name: last.name, namespace };
    event.firstTimestamp = last.firstTimestamp;
    event.count = last.count + 1;
  }
  const observed: Observation = {
    count: Number(event.count),
    firstTimestamp: String(event.firstTimestamp),
    name: String(metaOf(event).name),
  };
  remember(c.observations, key, observed);
  const spamKey = [...objectKeyOf(component, involved, false), type].join('');
  if (!takeToken(c, spamKey, nowMs)) return;
  const stored =
    last === undefined
      ? undefined
      : s.storage.get(tableOf(EVENTS), objectKey(namespace, observed.name));
  if (stored !== undefined) {
    // The recorder's strategic merge patch: the count, the last time and the message.
    const { count, message: said } = event as { count: number; message: string };
    updateAs(s, MANAGER, EVENTS, stored, (copy) => {
      copy.count = count;
      copy.lastTimestamp = now;
      copy.message = said;
    });
  } else {
    // A first Event, or one a client deleted since: created (again) under its name.
    createAs(s, MANAGER, EVENTS, namespace, event);
  }
  // `UpdateState`: the written Event is remembered under its own key too.
  remember(c.observations, eventKey(component, event), observed);
}

/**
 * Records an events.k8s.io/v1 Event about `obj` from `controller` (e.g.
 * `ipallocator-repair-controller`), as client-go's `events` recorder writes it for the
 * component `manager` (kube-apiserver's controllers, or kube-scheduler's
 * `default-scheduler`).
 */
export function recordNewEvent(
  s: ApiState,
  controller: string,
  obj: JsonObject,
  type: 'Normal' | 'Warning',
  reason: string,
  action: string,
  note: string,
  manager = MANAGER_APISERVER,
): void {
  const regarding = referenceTo(obj);
  const namespace = regarding.namespace ?? 'default';
  createAs(s, manager, NEW_EVENTS, String(namespace), {
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
