import { selectorOf } from '../admission/matching.js';
import type { StatusCause } from '../errors.js';
import { deepEqual, isObject, type Json, type JsonObject } from '../json.js';
import { matchLabels } from '../selectors.js';
import {
  annotationsCauses,
  forbiddenValue,
  invalidValue,
  labelsCauses,
  notNegative,
  required,
} from '../validation.js';
import { FIELD_IMMUTABLE } from './kind-rules.js';
import { labelSelectorCauses, selectorAsGoJson } from './label-selector.js';
import { securityAnnotationCauses } from './pod-security-annotations.js';
import { defaultTemplate, podTemplateCauses } from './pod-spec.js';

/** The spec of a workload (a fresh object when absent). */
export function specOf(obj: JsonObject): JsonObject {
  if (!isObject(obj.spec)) obj.spec = {};
  return obj.spec as JsonObject;
}

/** True when a metav1.LabelSelector selects these labels (a missing selector selects nothing). */
export function selects(selector: Json | undefined, labels: Json | undefined): boolean {
  if (!isObject(selector)) return false;
  return matchLabels(selectorOf(selector), isObject(labels) ? labels : {});
}

/** How an apps/v1 kind checks its selector. */
export interface WorkloadRules {
  /** Whether the kind has `replicas` (checked `>= 0`). */
  replicas: boolean;
  /**
   * The detail of the extra cause for a selector that does not parse (Deployments and
   * ReplicaSets: `invalid label selector`, StatefulSets none); undefined for no such cause
   * (DaemonSets).
   */
  unparsable?: string;
  /** The word of the empty-selector cause (ReplicaSets say `deployment`, as kube-apiserver). */
  emptyAs: 'deployment' | 'statefulset' | 'daemonset';
  /** The kind's own spec checks kube-apiserver makes before `replicas` (StatefulSets). */
  beforeReplicas?(spec: JsonObject): StatusCause[];
  /** The kind's own spec checks kube-apiserver makes after `replicas`, before the selector. */
  afterReplicas?(spec: JsonObject): StatusCause[];
}

/** Whether a selector has neither `matchLabels` nor `matchExpressions`. */
function isEmptySelector(sel: JsonObject): boolean {
  const labels = isObject(sel.matchLabels) ? Object.keys(sel.matchLabels).length : 0;
  const exprs = Array.isArray(sel.matchExpressions) ? sel.matchExpressions.length : 0;
  return labels + exprs === 0;
}

function emptySelectorCause(sel: JsonObject, kind: string): StatusCause {
  return invalidValue(
    'spec.selector',
    selectorAsGoJson(sel),
    `empty selector is invalid for ${kind}`,
  );
}

/**
 * The checks shared by the apps/v1 workloads, in kube-apiserver's order: the kind's own
 * first checks, `replicas >= 0`, a selector (required but in a DaemonSet) of valid syntax
 * that is not empty (a DaemonSet reports an empty one after the template's labels) and
 * selects the template's labels (a missing selector selects nothing), and a template whose
 * pods restart `Always` with no `activeDeadlineSeconds`; see {@link WorkloadRules}. The
 * template is a struct in kube-apiserver, so a missing one is checked as an empty one.
 */
export function workloadCauses(obj: JsonObject, rules: WorkloadRules): StatusCause[] {
  const spec = isObject(obj.spec) ? obj.spec : {};
  const causes: StatusCause[] = [...(rules.beforeReplicas?.(spec) ?? [])];
  if (rules.replicas) causes.push(...notNegative('spec.replicas', spec.replicas));
  causes.push(...(rules.afterReplicas?.(spec) ?? []));
  const sel = spec.selector;
  const daemonSet = rules.emptyAs === 'daemonset';
  if (!isObject(sel) && !daemonSet) causes.push(required('spec.selector'));
  const selectorErrors = isObject(sel) ? labelSelectorCauses(sel, 'spec.selector') : [];
  causes.push(...selectorErrors);
  const empty = isObject(sel) && isEmptySelector(sel);
  if (isObject(sel) && empty && !daemonSet) causes.push(emptySelectorCause(sel, rules.emptyAs));
  if (isObject(sel) && selectorErrors.length && rules.unparsable !== undefined) {
    const value = JSON.stringify(selectorAsGoJson(sel));
    const message = `Invalid value: ${value}${rules.unparsable ? `: ${rules.unparsable}` : ''}`;
    causes.push({ reason: 'FieldValueInvalid', message, field: 'spec.selector' });
  }
  const tpl: JsonObject = isObject(spec.template) ? spec.template : { spec: {} };
  const labels = isObject(tpl.metadata) ? tpl.metadata.labels : undefined;
  if (selectorErrors.length === 0 && !selects(spec.selector, labels)) {
    causes.push(
      // Go quotes the template's nil label map as null, an empty one as {}.
      invalidValue(
        'spec.template.metadata.labels',
        labels ?? null,
        '`selector` does not match template `labels`',
      ),
    );
  }
  if (isObject(sel) && empty && daemonSet) causes.push(emptySelectorCause(sel, rules.emptyAs));
  causes.push(...podTemplateCauses(tpl, 'spec.template', { restartPolicies: ['Always'] }));
  // A StatefulSet's template labels and annotations are checked a second time
  // (`ValidatePodTemplateSpecForStatefulSet`), so their causes come twice.
  if (rules.emptyAs === 'statefulset') {
    const meta = isObject(tpl.metadata) ? tpl.metadata : {};
    const tplSpec = isObject(tpl.spec) ? tpl.spec : {};
    causes.push(
      ...labelsCauses(meta.labels, 'spec.template.labels'),
      ...annotationsCauses(meta.annotations, 'spec.template.annotations'),
      ...securityAnnotationCauses(meta.annotations, tplSpec, 'spec.template.annotations'),
    );
  }
  causes.push(...templateDeadlineCauses(tpl, DEADLINE_WORDS[rules.emptyAs]));
  return causes;
}

/** The kind each apps/v1 workload's deadline cause names (Deployments say ReplicaSet). */
const DEADLINE_WORDS: Record<WorkloadRules['emptyAs'], string> = {
  deployment: 'ReplicaSet',
  statefulset: 'StatefulSet',
  daemonset: 'DaemonSet',
};

/**
 * The cause of a workload's Pod template that sets `activeDeadlineSeconds` (its Pods run
 * for ever), naming the `kind` as kube-apiserver does.
 */
export function templateDeadlineCauses(tpl: JsonObject, kind: string): StatusCause[] {
  const podSpec = isObject(tpl.spec) ? tpl.spec : {};
  if (podSpec.activeDeadlineSeconds === undefined || podSpec.activeDeadlineSeconds === null) {
    return [];
  }
  return [
    forbiddenValue(
      'spec.template.spec.activeDeadlineSeconds',
      `activeDeadlineSeconds in ${kind} is not Supported`,
    ),
  ];
}

/** `spec.selector` may not change once set (Deployments, ReplicaSets, DaemonSets). */
export function selectorImmutable(next: JsonObject, prev: JsonObject): StatusCause[] {
  const a = isObject(next.spec) ? next.spec.selector : undefined;
  const b = isObject(prev.spec) ? prev.spec.selector : undefined;
  return deepEqual(a ?? null, b ?? null) ? [] : [invalidValue('spec.selector', a, FIELD_IMMUTABLE)];
}

/** Defaults every workload's pod template gets (kube-apiserver's is a struct, never missing). */
export function defaultWorkloadTemplate(obj: JsonObject): void {
  const spec = specOf(obj);
  if (!isObject(spec.template)) spec.template = {};
  defaultTemplate(spec.template);
}

/**
 * Defaults an empty `spec.updateStrategy` type to `RollingUpdate` (DaemonSets, StatefulSets)
 * and, when it is one, returns its `rollingUpdate` for the kind's own defaults: created when
 * absent, unless `onlyWhenTypeDefaulted` (a StatefulSet's defaults create it only along with
 * the type, so an explicit `RollingUpdate` without one keeps none).
 */
export function defaultRollingUpdate(
  spec: JsonObject,
  onlyWhenTypeDefaulted = false,
): JsonObject | undefined {
  if (!isObject(spec.updateStrategy)) spec.updateStrategy = {};
  const strategy = spec.updateStrategy as JsonObject;
  const typeDefaulted = !strategy.type;
  if (typeDefaulted) strategy.type = 'RollingUpdate';
  if (strategy.type !== 'RollingUpdate') return undefined;
  if (!isObject(strategy.rollingUpdate) && (typeDefaulted || !onlyWhenTypeDefaulted)) {
    strategy.rollingUpdate = {};
  }
  return isObject(strategy.rollingUpdate) ? strategy.rollingUpdate : undefined;
}
