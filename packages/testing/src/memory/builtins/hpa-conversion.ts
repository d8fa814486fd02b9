/**
 * autoscaling/v1 HorizontalPodAutoscalers as kube-apiserver converts them to and from the
 * stored autoscaling/v2 form (own code, for its exact output): v1's
 * `targetCPUUtilizationPercentage` is v2's CPU `Utilization` metric, v1's
 * `currentCPUUtilizationPercentage` its CPU status, and what v1 cannot hold (other
 * metrics, `behavior`, metric statuses, conditions) travels in `autoscaling.alpha.kubernetes.io/…`
 * annotations, JSON in the v1 metric types (the behavior in the internal type's Go field
 * names, as the real server marshals it).
 */
import { isObject, type Json, type JsonObject } from '../json.js';
import type { StoredView } from '../resource-types.js';

const PREFIX = 'autoscaling.alpha.kubernetes.io/';
const METRICS = `${PREFIX}metrics`;
const CURRENT_METRICS = `${PREFIX}current-metrics`;
const CONDITIONS = `${PREFIX}conditions`;
const BEHAVIOR = `${PREFIX}behavior`;
/** Every annotation the conversion owns: dropped before it writes its own. */
const ROUND_TRIP = [
  METRICS,
  BEHAVIOR,
  `${PREFIX}scale-down-tolerance`,
  `${PREFIX}scale-up-tolerance`,
  CURRENT_METRICS,
  CONDITIONS,
];
/** autoscaling's DefaultCPUUtilization, applied when a v1 object names no metric at all. */
export const DEFAULT_CPU_UTILIZATION = 80;

const obj = (v: Json | undefined): JsonObject => (isObject(v) ? v : {});
const list = (v: Json | undefined): JsonObject[] => (Array.isArray(v) ? v.filter(isObject) : []);

/** Copies the keys of `from` that are set, in the order given (Go's struct order). */
function pick(pairs: [string, Json | undefined][]): JsonObject {
  const out: JsonObject = {};
  for (const [k, v] of pairs) if (v !== undefined && v !== null) out[k] = v;
  return out;
}

const isCpuUtilization = (m: JsonObject): boolean => {
  const r = obj(m.resource);
  return (
    m.type === 'Resource' &&
    isObject(m.resource) &&
    r.name === 'cpu' &&
    obj(r.target).averageUtilization !== undefined
  );
};

function refToV1(ref: JsonObject): JsonObject {
  return pick([
    ['kind', ref.kind ?? ''],
    ['name', ref.name ?? ''],
    ['apiVersion', ref.apiVersion || undefined],
  ]);
}

/** A metric's spec (`target`) or its status (`current`): the two lists v1 carries. */
type Side = 'target' | 'current';

const unset = (v: Json | undefined): boolean => v === undefined || v === null;

/**
 * A v2 metric spec or status in v1's form (the annotations' items): the v1 field names
 * start with the side (`targetAverageValue`, `currentAverageValue`); quantities a v1
 * status always has (not pointers there) read `0` when unset.
 */
function metricToV1(m: JsonObject, side: Side): JsonObject {
  const out: JsonObject = { type: m.type ?? '' };
  const status = side === 'current';
  const always = (v: Json | undefined) => v ?? '0';
  const metric = (s: JsonObject) => obj(s.metric);
  const value = (s: JsonObject) => obj(s[side]);
  if (isObject(m.object)) {
    const s = m.object;
    out.object = pick([
      ['target', refToV1(obj(s.describedObject))],
      ['metricName', metric(s).name ?? ''],
      [`${side}Value`, always(value(s).value)],
      ['selector', metric(s).selector],
      ['averageValue', value(s).averageValue],
    ]);
  }
  if (isObject(m.pods)) {
    const s = m.pods;
    out.pods = pick([
      ['metricName', metric(s).name ?? ''],
      [`${side}AverageValue`, always(value(s).averageValue)],
      ['selector', metric(s).selector],
    ]);
  }
  for (const key of ['resource', 'containerResource']) {
    const s = m[key];
    if (!isObject(s)) continue;
    out[key] = pick([
      ['name', s.name ?? ''],
      [`${side}AverageUtilization`, value(s).averageUtilization],
      [`${side}AverageValue`, status ? always(value(s).averageValue) : value(s).averageValue],
      ['container', key === 'containerResource' ? (s.container ?? '') : undefined],
    ]);
  }
  if (isObject(m.external)) {
    const s = m.external;
    out.external = pick([
      ['metricName', metric(s).name ?? ''],
      ['metricSelector', metric(s).selector],
      [`${side}Value`, status ? always(value(s).value) : value(s).value],
      [`${side}AverageValue`, value(s).averageValue],
    ]);
  }
  return out;
}

/**
 * A v1 metric spec or status (from an annotation) in v2's form: a spec's target gets the
 * type its values imply, as the real conversion chooses it.
 */
function metricFromV1(m: JsonObject, side: Side): JsonObject {
  const out: JsonObject = { type: m.type ?? '' };
  const spec = side === 'target';
  const identifier = (name: Json | undefined, selector: Json | undefined) =>
    pick([
      ['name', name ?? ''],
      ['selector', selector],
    ]);
  /** The target (with its type) or the current values. */
  const values = (type: string, pairs: [string, Json | undefined][]): JsonObject =>
    spec ? pick([['type', type], ...pairs]) : pick(pairs);
  if (isObject(m.object)) {
    const s = m.object;
    const average = s.averageValue;
    const v = s[`${side}Value`] ?? '0';
    out.object = {
      describedObject: refToV1(obj(s.target)),
      metric: identifier(s.metricName, s.selector),
      [side]: values(unset(average) ? 'Value' : 'AverageValue', [
        // v1 always carries a value: a zero one next to a target averageValue is not kept.
        ['value', spec && !unset(average) && v === '0' ? undefined : v],
        ['averageValue', average],
      ]),
    };
  }
  if (isObject(m.pods)) {
    const s = m.pods;
    out.pods = {
      metric: identifier(s.metricName, s.selector),
      [side]: values('AverageValue', [['averageValue', s[`${side}AverageValue`] ?? '0']]),
    };
  }
  for (const key of ['resource', 'containerResource']) {
    const s = m[key];
    if (!isObject(s)) continue;
    const utilization = s[`${side}AverageUtilization`];
    const average = s[`${side}AverageValue`];
    out[key] = pick([
      ['name', s.name ?? ''],
      [
        side,
        values(unset(utilization) ? 'AverageValue' : 'Utilization', [
          ['averageUtilization', utilization],
          ['averageValue', spec ? average : (average ?? '0')],
        ]),
      ],
      ['container', key === 'containerResource' ? (s.container ?? '') : undefined],
    ]);
  }
  if (isObject(m.external)) {
    const s = m.external;
    const v = s[`${side}Value`];
    out.external = {
      metric: identifier(s.metricName, s.metricSelector),
      [side]: values(unset(v) ? 'AverageValue' : 'Value', [
        ['value', spec ? v : (v ?? '0')],
        ['averageValue', s[`${side}AverageValue`]],
      ]),
    };
  }
  return out;
}

/** The behavior's rules as the internal Go type marshals them (field names, nulls kept). */
function rulesToInternal(r: Json | undefined): Json {
  if (!isObject(r)) return null;
  return {
    StabilizationWindowSeconds: r.stabilizationWindowSeconds ?? null,
    SelectPolicy: r.selectPolicy ?? null,
    Policies: Array.isArray(r.policies)
      ? list(r.policies).map((p) => ({
          Type: p.type ?? '',
          Value: p.value ?? 0,
          PeriodSeconds: p.periodSeconds ?? 0,
        }))
      : null,
    Tolerance: r.tolerance ?? null,
  };
}

/** A key of a JSON object matched as Go's decoder matches field names (any case). */
function field(o: JsonObject, name: string): Json | undefined {
  const lower = name.toLowerCase();
  for (const [k, v] of Object.entries(o)) if (k.toLowerCase() === lower) return v;
  return undefined;
}

function rulesFromInternal(r: Json | undefined): JsonObject | undefined {
  if (!isObject(r)) return undefined;
  const policies = field(r, 'Policies');
  return pick([
    ['stabilizationWindowSeconds', field(r, 'StabilizationWindowSeconds')],
    ['selectPolicy', field(r, 'SelectPolicy')],
    [
      'policies',
      Array.isArray(policies)
        ? list(policies).map((p) => ({
            type: field(p, 'Type') ?? '',
            value: field(p, 'Value') ?? 0,
            periodSeconds: field(p, 'PeriodSeconds') ?? 0,
          }))
        : undefined,
    ],
    ['tolerance', field(r, 'Tolerance')],
  ]);
}

function parseJson(text: Json | undefined): Json | undefined {
  if (typeof text !== 'string') return undefined;
  try {
    return JSON.parse(text) as Json;
  } catch {
    return undefined;
  }
}

function withoutRoundTrip(annotations: Json | undefined): JsonObject {
  const out = { ...obj(annotations) };
  for (const k of ROUND_TRIP) delete out[k];
  return out;
}

/** The stored (autoscaling/v2) HorizontalPodAutoscaler as autoscaling/v1 serves it. */
export function hpaToV1(stored: JsonObject): JsonObject {
  const spec = obj(stored.spec);
  const status = obj(stored.status);
  const metrics = list(spec.metrics);
  const annotations = withoutRoundTrip(obj(stored.metadata).annotations);
  const other = metrics.filter((m) => !isCpuUtilization(m));
  if (other.length)
    annotations[METRICS] = JSON.stringify(other.map((m) => metricToV1(m, 'target')));
  const currentMetrics = list(status.currentMetrics);
  if (currentMetrics.length)
    annotations[CURRENT_METRICS] = JSON.stringify(
      currentMetrics.map((m) => metricToV1(m, 'current')),
    );
  if (isObject(spec.behavior)) {
    annotations[BEHAVIOR] = JSON.stringify({
      ScaleUp: rulesToInternal(spec.behavior.scaleUp),
      ScaleDown: rulesToInternal(spec.behavior.scaleDown),
    });
  }
  const conditions = list(status.conditions);
  if (conditions.length) annotations[CONDITIONS] = JSON.stringify(conditions);
  const metadata = { ...obj(stored.metadata) };
  if (Object.keys(annotations).length) metadata.annotations = annotations;
  else delete metadata.annotations;
  const cpu = metrics.find(isCpuUtilization);
  const cpuStatus = currentMetrics.find(
    (m) => m.type === 'Resource' && obj(m.resource).name === 'cpu',
  );
  const out: JsonObject = {
    ...stored,
    apiVersion: 'autoscaling/v1',
    metadata,
    spec: pick([
      ['scaleTargetRef', refToV1(obj(spec.scaleTargetRef))],
      ['minReplicas', spec.minReplicas],
      ['maxReplicas', spec.maxReplicas ?? 0],
      ['targetCPUUtilizationPercentage', cpu && obj(obj(cpu.resource).target).averageUtilization],
    ]),
    status: pick([
      ['observedGeneration', status.observedGeneration],
      ['lastScaleTime', status.lastScaleTime],
      ['currentReplicas', status.currentReplicas ?? 0],
      ['desiredReplicas', status.desiredReplicas ?? 0],
      [
        'currentCPUUtilizationPercentage',
        cpuStatus && obj(obj(cpuStatus.resource).current).averageUtilization,
      ],
    ]),
  };
  return out;
}

/** An autoscaling/v1 HorizontalPodAutoscaler in the stored (autoscaling/v2) form. */
export function hpaFromV1(v1: JsonObject): JsonObject {
  const spec = obj(v1.spec);
  const status = obj(v1.status);
  const given = obj(obj(v1.metadata).annotations);
  const metrics: JsonObject[] = [];
  const otherMetrics = parseJson(given[METRICS]);
  if (Array.isArray(otherMetrics))
    metrics.push(...list(otherMetrics).map((m) => metricFromV1(m, 'target')));
  const cpu = spec.targetCPUUtilizationPercentage;
  const cpuMetric = (averageUtilization: Json): JsonObject => ({
    type: 'Resource',
    resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization } },
  });
  if (typeof cpu === 'number') metrics.push(cpuMetric(cpu));
  // v1's implicit target, made explicit here where the annotation's metrics are known.
  if (metrics.length === 0) metrics.push(cpuMetric(DEFAULT_CPU_UTILIZATION));
  const behavior = parseJson(given[BEHAVIOR]);
  const scaleUp = isObject(behavior) ? rulesFromInternal(field(behavior, 'ScaleUp')) : undefined;
  const scaleDown = isObject(behavior)
    ? rulesFromInternal(field(behavior, 'ScaleDown'))
    : undefined;
  const v2Status: JsonObject = pick([
    ['observedGeneration', status.observedGeneration],
    ['lastScaleTime', status.lastScaleTime],
    ['currentReplicas', status.currentReplicas],
    ['desiredReplicas', status.desiredReplicas ?? 0],
  ]);
  const currentCpu = status.currentCPUUtilizationPercentage;
  if (typeof currentCpu === 'number') {
    v2Status.currentMetrics = [
      {
        type: 'Resource',
        resource: { name: 'cpu', current: { averageUtilization: currentCpu } },
      },
    ];
  }
  const currentMetrics = parseJson(given[CURRENT_METRICS]);
  if (Array.isArray(currentMetrics))
    v2Status.currentMetrics = list(currentMetrics).map((m) => metricFromV1(m, 'current'));
  const conditions = parseJson(given[CONDITIONS]);
  if (Array.isArray(conditions)) v2Status.conditions = list(conditions);
  const annotations = withoutRoundTrip(given);
  const metadata = { ...obj(v1.metadata) };
  if (Object.keys(annotations).length) metadata.annotations = annotations;
  else delete metadata.annotations;
  const v2Spec: JsonObject = pick([
    ['scaleTargetRef', spec.scaleTargetRef],
    ['minReplicas', spec.minReplicas],
    ['maxReplicas', spec.maxReplicas],
    ['metrics', metrics],
  ]);
  if (scaleUp || scaleDown)
    v2Spec.behavior = pick([
      ['scaleUp', scaleUp],
      ['scaleDown', scaleDown],
    ]);
  return { ...v1, apiVersion: 'autoscaling/v2', metadata, spec: v2Spec, status: v2Status };
}

/** autoscaling/v1's view of the stored autoscaling/v2 HorizontalPodAutoscalers. */
export const hpaV1View: StoredView = {
  resource: 'horizontalpodautoscalers.autoscaling',
  toStored: hpaFromV1,
  fromStored: hpaToV1,
};
