import { dns1123SubdomainErrors } from '@kube-ts/schema/validation';
import type { StatusCause } from '../errors.js';
import { deepEqual, isObject, type JsonObject } from '../json.js';
import { invalidValue, notSupported, pathSegmentNameErrors, required } from '../validation.js';
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
  else {
    for (const why of pathSegmentNameErrors(r.name))
      causes.push(invalidValue('roleRef.name', r.name, why));
  }
  return causes;
}

const SUBJECT_KINDS = ['ServiceAccount', 'User', 'Group'];

/**
 * The checks of one subject at `at`: a name (a ServiceAccount's a DNS subdomain), and an
 * `apiGroup` that fits the kind: none for a ServiceAccount, which a ClusterRoleBinding
 * (`!namespaced`) must give a namespace, the RBAC group for a User or Group.
 */
function subjectCauses(subject: unknown, at: string, namespaced: boolean): StatusCause[] {
  const s = isObject(subject) ? subject : {};
  const name = typeof s.name === 'string' ? s.name : '';
  const apiGroup = typeof s.apiGroup === 'string' ? s.apiGroup : '';
  const causes: StatusCause[] = [];
  if (name === '') causes.push(required(`${at}.name`));
  switch (s.kind) {
    case 'ServiceAccount':
      if (name !== '') {
        for (const why of dns1123SubdomainErrors(name))
          causes.push(invalidValue(`${at}.name`, name, why));
      }
      if (apiGroup !== '') causes.push(notSupported(`${at}.apiGroup`, apiGroup, ['']));
      if (!namespaced && (typeof s.namespace !== 'string' || s.namespace === ''))
        causes.push(required(`${at}.namespace`));
      break;
    case 'User':
    case 'Group':
      if (apiGroup !== RBAC_GROUP)
        causes.push(notSupported(`${at}.apiGroup`, apiGroup, [RBAC_GROUP]));
      break;
    default:
      causes.push(notSupported(`${at}.kind`, s.kind ?? '', SUBJECT_KINDS));
  }
  return causes;
}

/** The causes of every subject of a binding. */
function subjectsCauses(subjects: unknown, namespaced: boolean): StatusCause[] {
  const list = Array.isArray(subjects) ? subjects : [];
  return list.flatMap((s, i) => subjectCauses(s, `subjects[${i}]`, namespaced));
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

function bindingRules(kinds: readonly string[], namespaced: boolean): KindRules {
  return {
    defaults: defaultBinding,
    validate: (obj) => [
      ...roleRefCauses(obj.roleRef, kinds),
      ...subjectsCauses(obj.subjects, namespaced),
    ],
    validateUpdate(next, prev) {
      if (deepEqual(next.roleRef, prev.roleRef)) return [];
      return [invalidValue('roleRef', goRoleRef(next.roleRef), 'cannot change roleRef')];
    },
  };
}

/**
 * rbac/v1 RoleBinding: a roleRef to a Role or ClusterRole that cannot change, and valid
 * subjects, defaulted as rbac/v1 does.
 */
export const roleBindingRules = bindingRules(['Role', 'ClusterRole'], true);

/**
 * rbac/v1 ClusterRoleBinding: a roleRef to a ClusterRole that cannot change, and valid
 * subjects (a ServiceAccount's with its namespace), defaulted as rbac/v1 does.
 */
export const clusterRoleBindingRules = bindingRules(['ClusterRole'], false);
