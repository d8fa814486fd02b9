import type { StatusCause } from '../errors.js';
import { deepEqual, isObject } from '../json.js';
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

function bindingRules(kinds: readonly string[]): KindRules {
  return {
    validate: (obj) => roleRefCauses(obj.roleRef, kinds),
    validateUpdate(next, prev) {
      if (deepEqual(next.roleRef, prev.roleRef)) return [];
      return [invalidValue('roleRef', goRoleRef(next.roleRef), 'cannot change roleRef')];
    },
  };
}

/** rbac/v1 RoleBinding: a roleRef to a Role or ClusterRole that cannot change. */
export const roleBindingRules = bindingRules(['Role', 'ClusterRole']);

/** rbac/v1 ClusterRoleBinding: a roleRef to a ClusterRole that cannot change. */
export const clusterRoleBindingRules = bindingRules(['ClusterRole']);
