import type { Json, JsonObject } from '../json.js';
import type { StoredView } from '../resource-types.js';
import type { KindRules } from './kind-rules.js';

/** events.k8s.io/v1 field names and the core/v1 fields they are stored as. */
const RENAMED: [string, string][] = [
  ['regarding', 'involvedObject'],
  ['note', 'message'],
  ['reportingController', 'reportingComponent'],
  ['deprecatedSource', 'source'],
  ['deprecatedFirstTimestamp', 'firstTimestamp'],
  ['deprecatedLastTimestamp', 'lastTimestamp'],
  ['deprecatedCount', 'count'],
];

function rename(obj: JsonObject, pairs: [string, string][], apiVersion: string): JsonObject {
  const from = new Map(pairs);
  const out: JsonObject = {};
  for (const [k, v] of Object.entries(obj)) out[from.get(k) ?? k] = v;
  out.apiVersion = apiVersion;
  return out;
}

/**
 * Fields kube-apiserver always writes for an Event because its Go struct has no
 * `omitempty` that applies (structs, `metav1.Time`, plain strings): zero values as Go
 * serializes them.
 */
function withZeroValues(obj: JsonObject, zeros: Record<string, Json>): JsonObject {
  for (const [k, v] of Object.entries(zeros)) {
    if (obj[k] === undefined) obj[k] = structuredClone(v);
  }
  return obj;
}

const CORE_ZEROS: Record<string, Json> = {
  involvedObject: {},
  source: {},
  firstTimestamp: null,
  lastTimestamp: null,
  eventTime: null,
  reportingComponent: '',
  reportingInstance: '',
};

const EVENTS_ZEROS: Record<string, Json> = {
  eventTime: null,
  regarding: {},
  deprecatedSource: {},
  deprecatedFirstTimestamp: null,
  deprecatedLastTimestamp: null,
};

/**
 * events.k8s.io/v1 Events are core/v1 Events served under other field names (as
 * kube-apiserver converts both to one internal type): one store, two views, so an Event
 * recorded through one API is read, listed and watched through the other.
 */
export const eventsView: StoredView = {
  resource: 'events',
  toStored(obj) {
    return rename(obj, RENAMED, 'v1');
  },
  fromStored(obj) {
    const out = rename(
      obj,
      RENAMED.map(([a, b]) => [b, a]),
      'events.k8s.io/v1',
    );
    if (out.reportingController === '') delete out.reportingController;
    if (out.reportingInstance === '') delete out.reportingInstance;
    return withZeroValues(out, EVENTS_ZEROS);
  },
};

/** core/v1 Event: the zero values its typed serialization always carries. */
export const eventRules: KindRules = {
  defaults(obj) {
    withZeroValues(obj, CORE_ZEROS);
  },
};
