import { validateLimitRanger } from './admission/limit-ranger.js';
import type { RequestOrigin } from './admission/matching.js';
import { validateNamespacePodSecurity } from './admission/pod-security/admit-namespace.js';
import { validatePodSecurity } from './admission/pod-security/admit-pods.js';
import { admitPolicies } from './admission/policies.js';
import { validatePriorityClass } from './admission/priority.js';
import { validateRuntimeClass } from './admission/runtime-class.js';
import { forbidden } from './auth/forbidden.js';
import { authorize } from './auth/rbac.js';
import { ADMIN_USER, type UserInfo } from './auth/user.js';
import type { RequestAccess, RuleContext } from './builtins/kind-rules.js';
import { rulesFor } from './builtins/rules.js';
import { validateCrd } from './crd.js';
import { invalid, type StatusCause } from './errors.js';
import { exactCauses } from './exact-causes.js';
import { type JsonObject, str } from './json.js';
import { metaOf } from './object-meta.js';
import { admitQuota } from './quota/quota-admission.js';
import { scaleOf } from './scale.js';
import type { ApiState } from './state.js';
import {
  checksGenerateName,
  objectMetaRule,
  required,
  validateMetadata,
  validateName,
} from './validation.js';
import type { Scope, WriteSubresource } from './write-scope.js';

/** The requesting user of a write through the API and what the authorizer lets them do. */
function requestAccess(
  s: ApiState,
  sc: Scope,
  name: string,
  subresource: string,
  user: UserInfo,
  verb: string,
): RequestAccess {
  return {
    user,
    attrs: {
      resourceRequest: true,
      verb,
      apiGroup: sc.t.group,
      apiVersion: sc.version,
      resource: sc.t.plural,
      subresource,
      namespace: sc.t.namespaced ? sc.namespace : '',
      name,
    },
    forbidden(attrs) {
      const d = authorize(s.storage, user, attrs);
      return d.allowed ? undefined : forbidden(user.username, attrs, d.reason).message;
    },
  };
}

/**
 * Validation shared by create and update (`old`: the stored object, for the checks of an
 * update); throws 422 with every cause; `warnings` collects the response's warnings.
 * After validation, validating admission in kube-apiserver's order: its plugins, the
 * ValidatingAdmissionPolicies, the validating admission webhooks (when the write runs
 * through them) and ResourceQuota last (mutating admission ran before, in `createObject`
 * and `commitUpdate`); the policies see `origin`: who made the request, its dry run and
 * options (internal writes: the server's admin's create).
 */
export function validateWrite(
  s: ApiState,
  sc: Scope,
  obj: JsonObject,
  name: string,
  old?: JsonObject,
  subresource?: WriteSubresource,
  warnings: string[] = [],
  origin: RequestOrigin = { user: ADMIN_USER, dryRun: false, options: null },
  verb?: string,
): void {
  const { user } = origin;
  const meta = metaOf(obj);
  const rules = rulesFor(sc.t);
  const metaRule = objectMetaRule(sc.t);
  // The kind's name function, for the name and (on create) the generateName it came from.
  const nameCauses = (value: string, field: string, prefix: boolean): StatusCause[] => {
    const own = rules?.nameCauses?.(value);
    return own ? own.map((c) => ({ ...c, field })) : validateName(sc.t, value, field, prefix);
  };
  const generateName = old === undefined && checksGenerateName(sc.t) ? str(meta.generateName) : '';
  const metaCauses: StatusCause[] = [
    ...(generateName ? nameCauses(generateName, 'metadata.generateName', true) : []),
    ...(name === ''
      ? [required('metadata.name', 'name or generateName is required')]
      : nameCauses(name, 'metadata.name', false)),
    ...validateMetadata(meta, metaRule === 'core'),
  ];
  // A kind whose strategy checks no metadata has it checked by the registry afterwards,
  // only once the strategy's own checks passed.
  const causes: StatusCause[] = metaRule === 'registry' ? [] : metaCauses;
  const namespace = sc.t.namespaced ? s.storage.get('namespaces', sc.namespace) : undefined;
  // The scale storage validates (and warns) through the workload's own strategy, as an
  // update of the workload.
  const strategySubresource = subresource === 'scale' ? undefined : subresource;
  const ctx: RuleContext = {
    group: sc.t.group,
    create: old === undefined,
    ...(strategySubresource ? { subresource: strategySubresource } : {}),
    ...(old ? { old } : {}),
    ...(namespace ? { namespace } : {}),
    ...(verb ? { request: requestAccess(s, sc, name, subresource ?? '', user, verb) } : {}),
  };
  if (old && rules?.validateUpdate) causes.push(...rules.validateUpdate(obj, old, ctx));
  if (rules?.validate) causes.push(...rules.validate(obj, ctx));
  if (sc.t.group === 'apiextensions.k8s.io' && sc.t.plural === 'customresourcedefinitions')
    causes.push(...validateCrd(obj, old));
  const ratcheted: string[] = [];
  if (!sc.t.builtin) causes.push(...s.validateCustom(sc.t, sc.version, obj, old, ratcheted));
  if (metaRule === 'registry' && causes.length === 0) causes.push(...metaCauses);
  // The CEL rule failures ratcheted away are warnings given during validation: a refusal
  // for other causes sends them too.
  warnings.push(...ratcheted);
  // A view is validated by the viewed resource's strategy, which names its own group.
  if (causes.length) {
    throw invalid(sc.t.kind, sc.t.view ? '' : sc.t.group, name, exactCauses(obj, causes));
  }
  if (rules?.warnings) warnings.push(...rules.warnings(obj, ctx));
  // kube-apiserver's validating admission plugins, in its order: LimitRanger, PodSecurity,
  // Priority, RuntimeClass, then the policies.
  if (!subresource || subresource === 'resize')
    validateLimitRanger(s, sc, name, obj, old, subresource ?? '');
  validatePodSecurity(s, sc, name, obj, old, subresource ?? '', warnings);
  validateNamespacePodSecurity(s, sc, name, obj, old, subresource ?? '', warnings);
  if (!subresource) validatePriorityClass(s, sc, name, obj, old);
  if (!old) validateRuntimeClass(s, sc, name, obj);
  // A write through `scale` is admitted with the Scales of the objects.
  const spec = subresource === 'scale' ? sc.t.scale : undefined;
  const admitted = spec ? scaleOf(obj, spec, sc.t.builtin) : obj;
  const admittedOld = spec && old ? scaleOf(old, spec, sc.t.builtin) : old;
  admitPolicies(s, sc, name, admitted, admittedOld, subresource ?? '', warnings, origin);
  const point = {
    ...sc,
    name,
    object: admitted,
    old: admittedOld,
    subresource: subresource ?? '',
    warnings,
  };
  s.admission?.afterValidation(point);
  admitQuota(s, sc, name, obj, old, subresource ?? '');
}
