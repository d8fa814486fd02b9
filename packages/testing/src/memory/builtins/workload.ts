import { selectorOf } from '../admission/matching.js';
import type { StatusCause } from '../errors.js';
import { deepEqual, isObject, type Json, type JsonObject } from '../json.js';
import { matchLabels } from '../selectors.js';
import { invalidValue, notNegative, required } from '../validation.js';
import { FIELD_IMMUTABLE } from './kind-rules.js';
import { labelSelectorCauses, selectorAsGoJson } from './label-selector.js';
import { defaultTemplate, podSpecCauses } from './pod-spec.js';

/** The spec of a workload (a fresh object when absent). */
export function specOf(obj: JsonObject): JsonObject {
  if (!isObject(obj.spec)) obj.spec = {};
  return obj.spec as JsonObject;
}

/** True when a metav1.LabelSelector selects these labels (a missing selector selects nothing). */
function selects(selector: Json | undefined, labels: Json | undefined): boolean {
  if (!isObject(selector)) return false;
  return matchLabels(selectorOf(selector), isObject(labels) ? labels : {});
}

/**
 * The checks shared by the apps/v1 workloads, in kube-apiserver's order: `replicas >= 0`
 * (`replicas`: whether the kind has replicas), a selector of valid syntax that selects the
 * template's labels, and a template whose pods restart `Always`. A selector that does not
 * parse is also reported whole by Deployments and ReplicaSets (`invalid label selector`)
 * and StatefulSets (no detail), not by DaemonSets: `unparsable` is that detail, or
 * undefined for none.
 */
export function workloadCauses(
  obj: JsonObject,
  replicas: boolean,
  unparsable?: string,
): StatusCause[] {
  const spec = isObject(obj.spec) ? obj.spec : {};
  const causes: StatusCause[] = [];
  if (replicas) causes.push(...notNegative('spec.replicas', spec.replicas));
  const sel = spec.selector;
  if (!isObject(sel)) causes.push(required('spec.selector'));
  const selectorErrors = isObject(sel) ? labelSelectorCauses(sel, 'spec.selector') : [];
  causes.push(...selectorErrors);
  if (isObject(sel) && selectorErrors.length && unparsable !== undefined) {
    const value = JSON.stringify(selectorAsGoJson(sel));
    const message = `Invalid value: ${value}${unparsable ? `: ${unparsable}` : ''}`;
    causes.push({ reason: 'FieldValueInvalid', message, field: 'spec.selector' });
  }
  const tpl = spec.template;
  if (!isObject(tpl)) {
    causes.push(required('spec.template'));
    return causes;
  }
  const labels = isObject(tpl.metadata) ? tpl.metadata.labels : undefined;
  if (selectorErrors.length === 0 && !selects(spec.selector, labels)) {
    causes.push(
      invalidValue(
        'spec.template.metadata.labels',
        labels ?? {},
        '`selector` does not match template `labels`',
      ),
    );
  }
  causes.push(...podSpecCauses(tpl.spec, 'spec.template.spec', { restartPolicies: ['Always'] }));
  return causes;
}

/** `spec.selector` may not change once set (Deployments, ReplicaSets, DaemonSets). */
export function selectorImmutable(next: JsonObject, prev: JsonObject): StatusCause[] {
  const a = isObject(next.spec) ? next.spec.selector : undefined;
  const b = isObject(prev.spec) ? prev.spec.selector : undefined;
  return deepEqual(a ?? null, b ?? null) ? [] : [invalidValue('spec.selector', a, FIELD_IMMUTABLE)];
}

/** Defaults every workload's pod template gets. */
export function defaultWorkloadTemplate(obj: JsonObject): void {
  defaultTemplate(specOf(obj).template);
}

/**
 * Defaults `spec.updateStrategy` to `RollingUpdate` (DaemonSets, StatefulSets) and, when it
 * is one, returns its `rollingUpdate` (created when absent) for the kind's own defaults.
 */
export function defaultRollingUpdate(spec: JsonObject): JsonObject | undefined {
  spec.updateStrategy ??= { type: 'RollingUpdate' };
  const strategy = spec.updateStrategy;
  if (!isObject(strategy) || (strategy.type ?? 'RollingUpdate') !== 'RollingUpdate') {
    return undefined;
  }
  strategy.type = 'RollingUpdate';
  if (!isObject(strategy.rollingUpdate)) strategy.rollingUpdate = {};
  return strategy.rollingUpdate as JsonObject;
}
