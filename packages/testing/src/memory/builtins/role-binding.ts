import type { StatusCause } from '../errors.js';
import { deepEqual, isObject, type JsonObject } from '../json.js';
import { invalidValue, notSupported, required } from '../validation.js';
import type { KindRules } from './kind-rules.js';

const RBAC_GROUP = 'rbac.authorization.k8s.io';

/** The checks of a binding's roleRef: the RBAC group, a kind the binding may name, a name. */
function roleRefCauses(ref: unknown, kinds: readonly string[]): StatusCause[] {
  const r = isObject(ref) ? ref : {};
  const causes: StatusCause[] = [];
  if (r.apiGroup !== RBAC_GROUP)
    causes.push(notSupported('roleRef.apiGroup', r.apiGroup ?? '', [RBAC_GROUP]));
  if (!kinds.includes(String(r.kind)))
    causes.push(notSupported('roleRef.kind', r.kind ?? '', kinds));
  if (typeof r.name !== 'string' || r.name === '') causes.push(required('roleRef.name'));
  return causes;
}

/** The roleRef as kube-apiserver prints it in the refusal (its internal Go struct). */
function goRoleRef(ref: unknown) {
  const r = isObject(ref) ? ref : {};
  return { APIGroup: r.apiGroup ?? '', Kind: r.kind ?? '', Name: r.name ?? '' };
}

/**
 * rbac/v1's defaults: an empty `roleRef.apiGroup` is the RBAC group, as is a User's or
 * Group's subject `apiGroup` (a ServiceAccount's stays empty).
 */
function defaultBinding(obj: JsonObject): void {
  if (isObject(obj.roleRef) && (obj.roleRef.apiGroup ?? '') === '')
    obj.roleRef.apiGroup = RBAC_GROUP;
  for (const subject of Array.isArray(obj.subjects) ? obj.subjects : []) {
    if (!isObject(subject) || (subject.apiGroup ?? '') !== '') continue;
    if (subject.kind === 'User' || subject.kind === 'Group') subject.apiGroup = RBAC_GROUP;
  }
}

function bindingRules(kinds: readonly string[]): KindRules {
  return {
    defaults: defaultBinding,
    validate: (obj) => roleRefCauses(obj.roleRef, kinds),
    validateUpdate(next, prev) {
      if (deepEqual(next.roleRef, prev.roleRef)) return [];
      return [invalidValue('roleRef', goRoleRef(next.roleRef), 'cannot change roleRef')];
    },
  };
}

/** rbac/v1 RoleBinding: a roleRef to a Role or ClusterRole that cannot change, defaulted as rbac/v1 does. */
export const roleBindingRules = bindingRules(['Role', 'ClusterRole']);

/** rbac/v1 ClusterRoleBinding: a roleRef to a ClusterRole that cannot change, defaulted as rbac/v1 does. */
export const clusterRoleBindingRules = bindingRules(['ClusterRole']);
