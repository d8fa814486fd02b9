import type { StatusCause } from '../errors.js';
import { deepEqual, isObject, type Json, type JsonObject } from '../json.js';
import { metaOf } from '../object-meta.js';
import {
  forbiddenValue,
  invalidValue,
  notNegative,
  notSupported,
  required,
  rfc1123LabelCauses,
} from '../validation.js';
import type { KindRules, RuleContext } from './kind-rules.js';
import { claimSpecWarnings } from './persistent-volume-claim.js';
import { podTemplateWarnings } from './pod-warnings.js';
import { claimTemplateCauses, templateToValidate } from './stateful-set-claims.js';
import {
  defaultRollingUpdate,
  defaultWorkloadTemplate,
  specOf,
  workloadCauses,
} from './workload.js';
import { statefulSetStrategyCauses } from './workload-strategies.js';

/** The spec fields an update may change; any other change is refused as a whole. */
const UPDATABLE = [
  'replicas',
  'ordinals',
  'template',
  'updateStrategy',
  'revisionHistoryLimit',
  'persistentVolumeClaimRetentionPolicy',
  'minReadySeconds',
];

const FORBIDDEN_UPDATE =
  "updates to statefulset spec for fields other than 'replicas', 'ordinals', 'template', 'updateStrategy', 'revisionHistoryLimit', 'persistentVolumeClaimRetentionPolicy' and 'minReadySeconds' are forbidden";

function withoutUpdatable(spec: unknown): Record<string, unknown> {
  const out: Record<string, unknown> = { ...(isObject(spec) ? spec : {}) };
  for (const k of UPDATABLE) delete out[k];
  return out;
}

const RETENTION_POLICIES = ['Retain', 'Delete'];

/** The rolling update's `maxUnavailable`, when the StatefulSet has one. */
function maxUnavailableOf(obj: JsonObject | undefined): Json | undefined {
  const spec = isObject(obj?.spec) ? obj.spec : {};
  const strategy = isObject(spec.updateStrategy) ? spec.updateStrategy : {};
  return isObject(strategy.rollingUpdate) ? strategy.rollingUpdate.maxUnavailable : undefined;
}

/**
 * `dropStatefulSetDisabledFields`: the `MaxUnavailableStatefulSet` gate is off in v1.36, so
 * `maxUnavailable` is dropped unless the stored StatefulSet already has one.
 */
function dropMaxUnavailable(obj: JsonObject, old: JsonObject | undefined): void {
  if (maxUnavailableOf(old) !== undefined && maxUnavailableOf(old) !== null) return;
  const spec = isObject(obj.spec) ? obj.spec : {};
  const strategy = isObject(spec.updateStrategy) ? spec.updateStrategy : {};
  if (isObject(strategy.rollingUpdate)) delete strategy.rollingUpdate.maxUnavailable;
}

/**
 * `ValidateStatefulSetSpec`'s checks before `replicas`: the pod management policy, the
 * update strategy, the claim retention policy.
 */
function statefulSetPolicyCauses(spec: JsonObject): StatusCause[] {
  const causes: StatusCause[] = [];
  const policy = spec.podManagementPolicy;
  if (!policy) causes.push(required('spec.podManagementPolicy'));
  else if (policy !== 'OrderedReady' && policy !== 'Parallel') {
    causes.push(
      invalidValue('spec.podManagementPolicy', policy, "must be 'OrderedReady' or 'Parallel'"),
    );
  }
  causes.push(...statefulSetStrategyCauses(spec.updateStrategy));
  const retention = spec.persistentVolumeClaimRetentionPolicy;
  if (isObject(retention)) {
    for (const key of ['whenDeleted', 'whenScaled']) {
      const v = retention[key] ?? '';
      if (!RETENTION_POLICIES.includes(String(v))) {
        const at = `spec.persistentVolumeClaimRetentionPolicy.${key}`;
        causes.push(notSupported(at, v, RETENTION_POLICIES));
      }
    }
  }
  return causes;
}

/**
 * `ValidateStatefulSetSpec`'s checks after `replicas`: `minReadySeconds` and
 * `ordinals.start` not negative, and on create a `serviceName` that is an RFC 1123 label
 * (an update tolerates a stored invalid one: the field is immutable).
 */
function statefulSetCountCauses(spec: JsonObject, create: boolean): StatusCause[] {
  const ordinals = isObject(spec.ordinals) ? spec.ordinals : undefined;
  const service = typeof spec.serviceName === 'string' ? spec.serviceName : '';
  return [
    ...notNegative('spec.minReadySeconds', spec.minReadySeconds),
    ...(ordinals ? notNegative('spec.ordinals.start', ordinals.start) : []),
    ...(create && service ? rfc1123LabelCauses('spec.serviceName', service) : []),
  ];
}

/**
 * apps/v1 StatefulSet: kube-apiserver's defaults (one replica, OrderedReady, a rolling
 * update from partition 0, 10 kept revisions, claims retained, typed claim templates),
 * `maxUnavailable` dropped (its gate is off), the workload checks with its own (policies,
 * strategy, claim templates, counts, service name) over the pod template the controller
 * will make (`stateful-set-claims.ts`), and only the updatable spec fields may change.
 */
export const statefulSetRules: KindRules = {
  defaults(obj, create) {
    const spec = specOf(obj);
    spec.replicas ??= 1;
    spec.podManagementPolicy ||= 'OrderedReady';
    const ru = defaultRollingUpdate(spec, true);
    if (ru) {
      ru.partition ??= 0;
    }
    spec.revisionHistoryLimit ??= 10;
    const retention = isObject(spec.persistentVolumeClaimRetentionPolicy)
      ? spec.persistentVolumeClaimRetentionPolicy
      : {};
    retention.whenDeleted ||= 'Retain';
    retention.whenScaled ||= 'Retain';
    spec.persistentVolumeClaimRetentionPolicy = retention;
    if (Array.isArray(spec.volumeClaimTemplates)) {
      for (const claim of spec.volumeClaimTemplates) {
        if (!isObject(claim)) continue;
        claim.kind ??= 'PersistentVolumeClaim';
        claim.apiVersion ??= 'v1';
        if (isObject(claim.spec)) claim.spec.volumeMode ??= 'Filesystem';
        claim.status = { phase: 'Pending', ...(isObject(claim.status) ? claim.status : {}) };
      }
    }
    defaultWorkloadTemplate(obj);
    if (create) obj.status = { replicas: 0, availableReplicas: 0 };
  },
  prepareCreate: (obj) => dropMaxUnavailable(obj, undefined),
  prepareUpdate: dropMaxUnavailable,
  validate(obj, ctx) {
    const spec = specOf(obj);
    // The template as the controller will make it (claim volumes, no hostname/subdomain).
    const checked = { ...obj, spec: { ...spec, template: templateToValidate(spec) ?? null } };
    return workloadCauses(checked, {
      replicas: true,
      unparsable: '',
      emptyAs: 'statefulset',
      // Claim templates are immutable: an update tolerates stored invalid ones.
      beforeReplicas: (s) => [
        ...statefulSetPolicyCauses(s),
        ...(ctx.create ? claimTemplateCauses(s) : []),
      ],
      afterReplicas: (s) => statefulSetCountCauses(s, ctx.create),
    });
  },
  validateUpdate(next, prev) {
    const causes: StatusCause[] = [];
    if (!deepEqual(withoutUpdatable(next.spec), withoutUpdatable(prev.spec))) {
      causes.push(forbiddenValue('spec', FORBIDDEN_UPDATE));
    }
    return causes;
  },
  warnings: statefulSetWarnings,
};

/**
 * The StatefulSet strategy's warnings: the template's (on update only when the generation
 * moved), fractional storage in claim templates (named `….Spec.resources…` on update, as
 * kube-apiserver names them), a negative `revisionHistoryLimit`.
 */
function statefulSetWarnings(obj: JsonObject, ctx: RuleContext): string[] {
  if (ctx.subresource || (!ctx.create && !ctx.old)) return [];
  const spec = isObject(obj.spec) ? obj.spec : {};
  const moved = ctx.create || metaOf(obj).generation !== metaOf(ctx.old ?? {}).generation;
  const out = moved ? podTemplateWarnings(spec.template, 'spec.template') : [];
  const claims = Array.isArray(spec.volumeClaimTemplates) ? spec.volumeClaimTemplates : [];
  claims.forEach((c, i) => {
    const at = `spec.volumeClaimTemplates[${i}]${ctx.create ? '' : '.Spec'}`;
    out.push(...claimSpecWarnings(isObject(c) ? c.spec : undefined, at));
  });
  if (typeof spec.revisionHistoryLimit === 'number' && spec.revisionHistoryLimit < 0) {
    out.push(
      'spec.revisionHistoryLimit: a negative value retains all historical revisions; a value >= 0 is recommended',
    );
  }
  return out;
}
