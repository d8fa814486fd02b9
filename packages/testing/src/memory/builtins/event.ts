import type { StatusCause } from '../errors.js';
import { deepEqual, isObject, type Json, type JsonObject, str } from '../json.js';
import { metaOf } from '../object-meta.js';
import type { StoredView } from '../resource-types.js';
import { invalidValue, qualifiedNameErrors, required } from '../validation.js';
import { FIELD_IMMUTABLE, type KindRules, type RuleContext } from './kind-rules.js';
import { encodeTyped } from './typed-encode.js';

/** The OpenAPI definitions of the stored (core/v1) Event and of the events.k8s.io/v1 view. */
const CORE_EVENT = 'io.k8s.api.core.v1.Event';
const EVENTS_EVENT = 'io.k8s.api.events.v1.Event';

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
 * events.k8s.io/v1 Events are core/v1 Events served under other field names (as
 * kube-apiserver converts both to one internal type): one store, two views, so an Event
 * recorded through one API is read, listed and watched through the other.
 */
export const eventsView: StoredView = {
  resource: 'events',
  fieldLabels: {
    reason: 'reason',
    'regarding.kind': 'involvedObject.kind',
    'regarding.namespace': 'involvedObject.namespace',
    'regarding.name': 'involvedObject.name',
    'regarding.uid': 'involvedObject.uid',
    'regarding.apiVersion': 'involvedObject.apiVersion',
    'regarding.resourceVersion': 'involvedObject.resourceVersion',
    'regarding.fieldPath': 'involvedObject.fieldPath',
    reportingController: 'reportingComponent',
    type: 'type',
    'metadata.namespace': 'metadata.namespace',
    'metadata.name': 'metadata.name',
  },
  toStored(obj) {
    return rename(obj, RENAMED, 'v1');
  },
  fromStored(obj) {
    const out = rename(
      obj,
      RENAMED.map(([a, b]) => [b, a]),
      'events.k8s.io/v1',
    );
    // As kube-apiserver writes the events.k8s.io/v1 struct (zero values, Go's field order).
    return encodeTyped(out, EVENTS_EVENT);
  },
};

const isSet = (v: Json | undefined) => v !== undefined && v !== null && v !== '';

/** kube-apiserver's `legacyValidateEvent`: what every Event must satisfy, through either API. */
function legacyCauses(obj: JsonObject): StatusCause[] {
  const causes: StatusCause[] = [];
  const ns = str(metaOf(obj).namespace);
  const involved = isObject(obj.involvedObject) ? obj.involvedObject : {};
  const involvedNs = str(involved.namespace);
  const mismatch = () =>
    invalidValue('involvedObject.namespace', involvedNs, 'does not match event.namespace');
  if (!isSet(obj.eventTime)) {
    if (involvedNs === '' ? ns !== '' && ns !== 'default' : ns !== involvedNs)
      causes.push(mismatch());
  } else {
    if (involvedNs === '' && ns !== 'default' && ns !== 'kube-system') causes.push(mismatch());
    const controller = str(obj.reportingComponent);
    if (controller === '') causes.push(required('reportingController'));
    for (const msg of qualifiedNameErrors(controller)) {
      causes.push(invalidValue('reportingController', controller, msg));
    }
    const limited: [string, number][] = [
      ['reportingInstance', 128],
      ['action', 128],
      ['reason', 128],
    ];
    for (const [field, limit] of limited) {
      const v = str(obj[field]);
      if (v === '') causes.push(required(field));
      if (v.length > limit)
        causes.push(invalidValue(field, '', `can have at most ${limit} characters`));
    }
    if (str(obj.message).length > 1024) {
      causes.push(invalidValue('message', '', 'can have at most 1024 characters'));
    }
  }
  return causes;
}

function seriesCauses(obj: JsonObject): StatusCause[] {
  const series = obj.series;
  if (!isObject(series)) return [];
  const causes: StatusCause[] = [];
  if (typeof series.count !== 'number' || series.count < 2) {
    causes.push(invalidValue('series.count', '', 'should be at least 2'));
  }
  if (!isSet(series.lastObservedTime)) causes.push(required('series.lastObservedTime'));
  return causes;
}

/** The checks events.k8s.io/v1 adds on create (it wants an Event of the new kind). */
function strictCreateCauses(obj: JsonObject): StatusCause[] {
  const causes = seriesCauses(obj);
  if (!isSet(obj.eventTime)) causes.push(required('eventTime'));
  if (obj.type !== 'Normal' && obj.type !== 'Warning') {
    causes.push(invalidValue('type', '', `has invalid value: ${str(obj.type)}`));
  }
  if (isSet(obj.firstTimestamp))
    causes.push(invalidValue('firstTimestamp', '', 'needs to be unset'));
  if (isSet(obj.lastTimestamp)) causes.push(invalidValue('lastTimestamp', '', 'needs to be unset'));
  if (typeof obj.count === 'number' && obj.count !== 0) {
    causes.push(invalidValue('count', '', 'needs to be unset'));
  }
  const source = isObject(obj.source) ? obj.source : {};
  if (isSet(source.component) || isSet(source.host)) {
    causes.push(invalidValue('source', '', 'needs to be unset'));
  }
  return causes;
}

/**
 * Fields an events.k8s.io/v1 update may not change, in kube-apiserver's order (which checks
 * `reason` twice, so a changed reason is reported twice) and with its internal names.
 */
const IMMUTABLE: [string, string][] = [
  ['involvedObject', 'involvedObject'],
  ['reason', 'reason'],
  ['message', 'message'],
  ['source', 'source'],
  ['firstTimestamp', 'firstTimestamp'],
  ['lastTimestamp', 'lastTimestamp'],
  ['count', 'count'],
  ['reason', 'reason'],
  ['type', 'type'],
  ['eventTime', 'eventTime'],
  ['action', 'action'],
  ['related', 'related'],
  ['reportingComponent', 'reportingController'],
  ['reportingInstance', 'reportingInstance'],
];

/** True for a request through events.k8s.io, which validates Events strictly. */
const strict = (ctx: RuleContext) => ctx.group === 'events.k8s.io';

/**
 * core/v1 Event (also the stored form of events.k8s.io/v1 Events): the zero values its typed
 * serialization always carries, the legacy checks every Event passes, and through
 * events.k8s.io the strict ones (required `eventTime`, `reportingController`,
 * `reportingInstance`, `action`; immutable fields on update).
 */
export const eventRules: KindRules = {
  defaults(obj) {
    // The members the core/v1 struct always writes, present from the start (field tracking
    // of a create sees them, as kube-apiserver's sees its typed object).
    for (const [k, v] of Object.entries(encodeTyped(obj, CORE_EVENT))) obj[k] ??= v;
  },
  validate(obj, ctx) {
    const causes = legacyCauses(obj);
    // The strict create checks; an update's are in validateUpdate.
    if (strict(ctx) && ctx.create) {
      causes.push(...strictCreateCauses(obj));
    }
    return causes;
  },
  validateUpdate(next, prev, ctx) {
    if (!strict(ctx)) return [];
    const causes: StatusCause[] = [];
    if (!deepEqual(next.series, prev.series)) causes.push(...seriesCauses(next));
    for (const [field, name] of IMMUTABLE) {
      if (!deepEqual(next[field] ?? null, prev[field] ?? null)) {
        causes.push(invalidValue(name, next[field] ?? null, FIELD_IMMUTABLE));
      }
    }
    return causes;
  },
};
