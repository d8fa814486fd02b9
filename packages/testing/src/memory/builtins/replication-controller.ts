/**
 * core/v1 ReplicationController, as kube-apiserver's defaults and strategy treat it (own
 * code): the selector and the object's labels defaulted from the template's labels, one
 * replica; the checks of `ValidateReplicationControllerSpec` (a non-negative
 * `minReadySeconds` and `replicas`, a selector that is not empty and selects the template,
 * the template checked as a PodTemplate's, pods that restart `Always` and no
 * `activeDeadlineSeconds`) on create and update, and those of the status on `status`
 * writes; the pod template's warnings.
 */
import type { StatusCause } from '../errors.js';
import { isObject, type Json, type JsonObject } from '../json.js';
import { metaOf } from '../object-meta.js';
import { invalidValue, notNegative, notSupported, required } from '../validation.js';
import type { KindRules } from './kind-rules.js';
import { defaultTemplate, podTemplateCauses } from './pod-spec.js';
import { hostnameWarnings, podTemplateWarnings } from './pod-warnings.js';
import { selects, specOf, templateDeadlineCauses } from './workload.js';

const obj = (v: Json | undefined): JsonObject => (isObject(v) ? v : {});
const empty = (v: Json | undefined) => !isObject(v) || Object.keys(v).length === 0;

/** The template's labels, when it has a labels map (`SetDefaults_ReplicationController`). */
function templateLabels(spec: JsonObject): JsonObject | undefined {
  const labels = obj(obj(spec.template).metadata).labels;
  return isObject(labels) ? labels : undefined;
}

/** The template's causes (`ValidatePodTemplateSpecForRC`), at `spec.template`. */
function templateCauses(spec: JsonObject): StatusCause[] {
  const tpl = spec.template;
  if (!isObject(tpl)) return [required('spec.template')];
  const causes: StatusCause[] = [];
  const meta = obj(tpl.metadata);
  const selector = obj(spec.selector);
  if (!empty(selector) && !selects({ matchLabels: selector }, meta.labels)) {
    causes.push(
      invalidValue(
        'spec.template.metadata.labels',
        meta.labels ?? null,
        '`selector` does not match template `labels`',
      ),
    );
  }
  causes.push(...podTemplateCauses(tpl, 'spec.template'));
  const podSpec = obj(tpl.spec);
  if (podSpec.restartPolicy !== 'Always') {
    causes.push(
      notSupported('spec.template.spec.restartPolicy', podSpec.restartPolicy ?? '', ['Always']),
    );
  }
  causes.push(...templateDeadlineCauses(tpl, 'ReplicationController'));
  return causes;
}

/** `ValidateReplicationControllerSpec`. */
function specCauses(spec: JsonObject): StatusCause[] {
  return [
    ...notNegative('spec.minReadySeconds', spec.minReadySeconds),
    ...(empty(spec.selector) ? [required('spec.selector')] : []),
    ...notNegative('spec.replicas', spec.replicas),
    ...templateCauses(spec),
  ];
}

/** `ValidateReplicationControllerStatus`: counts not negative nor above those they count. */
function statusCauses(status: JsonObject): StatusCause[] {
  const n = (key: string) => (typeof status[key] === 'number' ? (status[key] as number) : 0);
  const causes = [
    'replicas',
    'fullyLabeledReplicas',
    'readyReplicas',
    'availableReplicas',
    'observedGeneration',
  ].flatMap((key) => notNegative(`status.${key}`, status[key]));
  for (const key of ['fullyLabeledReplicas', 'readyReplicas', 'availableReplicas']) {
    if (n(key) > n('replicas')) {
      causes.push(invalidValue(`status.${key}`, n(key), 'cannot be greater than status.replicas'));
    }
  }
  if (n('availableReplicas') > n('readyReplicas')) {
    causes.push(
      invalidValue(
        'status.availableReplicas',
        n('availableReplicas'),
        'cannot be greater than readyReplicas',
      ),
    );
  }
  return causes;
}

/** core/v1 ReplicationController's defaults, validation and warnings. */
export const replicationControllerRules: KindRules = {
  defaults(o, create) {
    const spec = specOf(o);
    const labels = templateLabels(spec);
    if (labels) {
      if (empty(spec.selector)) spec.selector = { ...labels };
      const meta = metaOf(o);
      if (empty(meta.labels)) meta.labels = { ...labels };
    }
    spec.replicas ??= 1;
    // The template is a pointer here (not a struct, as in the apps kinds): none stays none.
    defaultTemplate(spec.template);
    if (create) o.status = { replicas: 0 };
  },
  validate(o, ctx) {
    if (ctx.subresource === 'status') return statusCauses(obj(o.status));
    return specCauses(obj(o.spec));
  },
  warnings(o, ctx) {
    if (ctx.create) {
      return [
        ...hostnameWarnings(String(metaOf(o).name ?? '')),
        ...podTemplateWarnings(obj(o.spec).template, 'spec.template'),
      ];
    }
    if (ctx.subresource || !ctx.old) return [];
    if (metaOf(o).generation === metaOf(ctx.old).generation) return [];
    // kube-apiserver's WarningsOnUpdate passes the templates swapped: it warns about the
    // stored template, not the new one.
    return podTemplateWarnings(obj(ctx.old.spec).template, 'spec.template');
  },
};
