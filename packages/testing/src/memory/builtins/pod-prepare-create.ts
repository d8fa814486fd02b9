/**
 * What kube-apiserver's pod strategy does to a new Pod in `PrepareForCreate` beyond its
 * status (own code): a Pod with scheduling gates gets the `PodScheduled=False`
 * `SchedulingGated` condition, and the `matchLabelKeys`/`mismatchLabelKeys` of its pod
 * (anti-)affinity terms and the `matchLabelKeys` of its topology spread constraints
 * (MatchLabelKeysInPodAffinity GA, MatchLabelKeysInPodTopologySpreadSelectorMerge on) are
 * merged into their label selectors as `In` / `NotIn` expressions of the Pod's own label
 * values (keys the Pod has no label for are skipped; a term without a selector is left
 * alone). Templates are not merged: only Pods.
 */
import { isObject, type Json, type JsonObject } from '../json.js';
import { timestamp } from '../state.js';

const list = (v: Json | undefined) => (Array.isArray(v) ? v.filter(isObject) : []);

/** Appends `key <operator> (label value)` to `selector` for each key the Pod has a label for. */
function mergeKeys(
  selector: JsonObject,
  keys: Json | undefined,
  operator: string,
  labels: JsonObject,
): void {
  for (const key of Array.isArray(keys) ? keys : []) {
    if (typeof key !== 'string' || typeof labels[key] !== 'string') continue;
    const expressions = Array.isArray(selector.matchExpressions) ? selector.matchExpressions : [];
    expressions.push({ key, operator, values: [labels[key]] });
    selector.matchExpressions = expressions;
  }
}

function mergeTerm(term: Json | undefined, labels: JsonObject): void {
  if (!isObject(term) || !isObject(term.labelSelector)) return;
  mergeKeys(term.labelSelector, term.matchLabelKeys, 'In', labels);
  mergeKeys(term.labelSelector, term.mismatchLabelKeys, 'NotIn', labels);
}

function mergeAffinity(affinity: Json | undefined, labels: JsonObject): void {
  if (!isObject(affinity)) return;
  for (const kind of ['podAffinity', 'podAntiAffinity']) {
    const pa = affinity[kind];
    if (!isObject(pa)) continue;
    for (const w of list(pa.preferredDuringSchedulingIgnoredDuringExecution)) {
      mergeTerm(w.podAffinityTerm, labels);
    }
    for (const t of list(pa.requiredDuringSchedulingIgnoredDuringExecution)) mergeTerm(t, labels);
  }
}

/** Applies the strategy's create-time changes to a new, defaulted Pod. */
export function prepareNewPod(pod: JsonObject): void {
  const spec = isObject(pod.spec) ? pod.spec : {};
  const meta = isObject(pod.metadata) ? pod.metadata : {};
  const labels = isObject(meta.labels) ? meta.labels : {};
  const status = isObject(pod.status) ? pod.status : {};
  const gates = spec.schedulingGates;
  const conditions = list(status.conditions);
  if (Array.isArray(gates) && gates.length && !conditions.some((c) => c.type === 'PodScheduled')) {
    status.conditions = [
      ...conditions,
      {
        type: 'PodScheduled',
        status: 'False',
        lastProbeTime: null,
        lastTransitionTime: timestamp(),
        reason: 'SchedulingGated',
        message: 'Scheduling is blocked due to non-empty scheduling gates',
      },
    ];
  }
  mergeAffinity(spec.affinity, labels);
  for (const c of list(spec.topologySpreadConstraints)) {
    if (isObject(c.labelSelector)) mergeKeys(c.labelSelector, c.matchLabelKeys, 'In', labels);
  }
}
