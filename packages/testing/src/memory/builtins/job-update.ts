/**
 * What an update may change in a Job's spec (kube-apiserver's `ValidateJobSpecUpdate`, in
 * its order): `completions` only on an Indexed Job and together with `parallelism`; the
 * selector, completion mode, pod failure policy, per-index backoff limit, `managedBy` and
 * success policy never; the pod template only while the Job is suspended and has not run
 * (MutableSchedulingDirectivesForSuspendedJobs and MutablePodResourcesForSuspendedJobs are
 * on in v1.36): then its metadata, scheduling directives and container resources.
 */
import type { StatusCause } from '../errors.js';
import { deepEqual, isObject, type Json, type JsonObject } from '../json.js';
import { invalidValue } from '../validation.js';
import { internalJson } from './go-internal-json.js';
import { goPodFailurePolicy, goSuccessPolicy } from './job-policies.js';
import { FIELD_IMMUTABLE } from './kind-rules.js';
import { selectorAsGoJson } from './label-selector.js';

const specOf = (job: JsonObject): JsonObject => (isObject(job.spec) ? job.spec : {});

function immutable(field: string, next: Json | undefined, prev: Json | undefined, quoted: Json) {
  return deepEqual(next ?? null, prev ?? null)
    ? []
    : [invalidValue(field, quoted, FIELD_IMMUTABLE)];
}

/** `validateCompletions`: immutable unless Indexed, where it moves with `parallelism`. */
function completionsCauses(next: JsonObject, prev: JsonObject): StatusCause[] {
  const value = next.completions ?? null;
  if (next.completionMode !== 'Indexed') {
    return immutable('spec.completions', value, prev.completions, value);
  }
  if (deepEqual(value, prev.completions ?? null) || value === null) return [];
  return value === next.parallelism
    ? []
    : [
        invalidValue(
          'spec.completions',
          value,
          'can only be modified in tandem with spec.parallelism',
        ),
      ];
}

/** Whether the stored Job's template may change: suspended, never started (or suspended since) and no active pods. */
function templateMutable(prev: JsonObject): boolean {
  const spec = specOf(prev);
  const status = isObject(prev.status) ? prev.status : {};
  const conditions = Array.isArray(status.conditions) ? status.conditions : [];
  const suspendedCondition = conditions.some(
    (c) => isObject(c) && c.type === 'Suspended' && c.status === 'True',
  );
  const notStarted = status.startTime === undefined || status.startTime === null;
  return (
    spec.suspend === true && (notStarted || suspendedCondition) && Number(status.active ?? 0) === 0
  );
}

/** The stored pod spec with what a suspended Job may change taken from the new one. */
function withMutableFields(next: JsonObject, prev: JsonObject): JsonObject {
  const out = structuredClone(prev);
  const setOrDelete = (key: string, v: Json | undefined) => {
    if (v === undefined) delete out[key];
    else out[key] = v;
  };
  const na = isObject(next.affinity) ? next.affinity : undefined;
  const pa = isObject(out.affinity) ? out.affinity : undefined;
  if (!na && pa) {
    delete pa.nodeAffinity;
    if (Object.keys(pa).every((k) => pa[k] === null || pa[k] === undefined)) delete out.affinity;
  } else if (na && !pa) {
    out.affinity = na.nodeAffinity === undefined ? {} : { nodeAffinity: na.nodeAffinity };
  } else if (na && pa) {
    if (na.nodeAffinity === undefined) delete pa.nodeAffinity;
    else pa.nodeAffinity = na.nodeAffinity;
  }
  for (const key of ['nodeSelector', 'tolerations', 'schedulingGates']) setOrDelete(key, next[key]);
  for (const key of ['containers', 'initContainers']) {
    const a = Array.isArray(next[key]) ? next[key] : [];
    const b = Array.isArray(out[key]) ? out[key] : [];
    if (a.length !== b.length) continue;
    a.forEach((c, i) => {
      const o = b[i];
      if (isObject(c) && isObject(o) && c.name === o.name) {
        if (c.resources === undefined) delete o.resources;
        else o.resources = c.resources;
      }
    });
  }
  return out;
}

/**
 * `validatePodTemplateUpdate`: the refusal quotes the internal struct (`core.PodTemplateSpec`,
 * `core.PodSpec`) as encoding/json writes it.
 */
function templateCauses(next: JsonObject, prev: JsonObject, prevJob: JsonObject): StatusCause[] {
  if (!templateMutable(prevJob)) {
    const quoted = internalJson(next.template, 'core.PodTemplateSpec');
    return immutable('spec.template', next.template, prev.template, quoted);
  }
  const a = isObject(next.template) && isObject(next.template.spec) ? next.template.spec : {};
  const b = isObject(prev.template) && isObject(prev.template.spec) ? prev.template.spec : {};
  return deepEqual(a, withMutableFields(a, b))
    ? []
    : [invalidValue('spec.template.spec', internalJson(a, 'core.PodSpec'), FIELD_IMMUTABLE)];
}

/** The causes of what an update changed in a Job's spec that it may not. */
export function jobSpecUpdateCauses(nextJob: JsonObject, prevJob: JsonObject): StatusCause[] {
  const next = specOf(nextJob);
  const prev = specOf(prevJob);
  const selector = isObject(next.selector) ? selectorAsGoJson(next.selector) : null;
  return [
    ...completionsCauses(next, prev),
    ...immutable('spec.selector', next.selector, prev.selector, selector),
    ...templateCauses(next, prev, prevJob),
    ...immutable(
      'spec.completionMode',
      next.completionMode,
      prev.completionMode,
      next.completionMode ?? null,
    ),
    ...immutable(
      'spec.podFailurePolicy',
      next.podFailurePolicy,
      prev.podFailurePolicy,
      goPodFailurePolicy(next.podFailurePolicy),
    ),
    ...immutable(
      'spec.backoffLimitPerIndex',
      next.backoffLimitPerIndex,
      prev.backoffLimitPerIndex,
      next.backoffLimitPerIndex ?? null,
    ),
    ...immutable('spec.managedBy', next.managedBy, prev.managedBy, next.managedBy ?? null),
    ...immutable(
      'spec.successPolicy',
      next.successPolicy,
      prev.successPolicy,
      goSuccessPolicy(next.successPolicy),
    ),
  ];
}
