/**
 * kube-apiserver's RBAC authorizer over the Roles, ClusterRoles, RoleBindings and
 * ClusterRoleBindings in the store, plus the `system:masters` group it lets do
 * everything. Own code: decisions must be exactly RBAC's (rule matching with `*`
 * wildcards, `*\/subresource`, resourceNames, nonResourceURLs with a trailing `*`,
 * bindings to ServiceAccounts defaulting to the binding's namespace) and the reason of a
 * refusal carries RBAC's errors (a binding whose role does not exist).
 */
import { isObject, type JsonObject, strings } from '../json.js';
import { metaOf } from '../object-meta.js';
import type { Storage } from '../storage.js';
import { objectKey } from '../storage.js';
import type { RequestAttributes } from './request-attributes.js';
import { serviceAccountUsername, type UserInfo } from './user.js';

const RBAC = 'rbac.authorization.k8s.io';
const KEYS = {
  roles: `roles.${RBAC}`,
  clusterRoles: `clusterroles.${RBAC}`,
  roleBindings: `rolebindings.${RBAC}`,
  clusterRoleBindings: `clusterrolebindings.${RBAC}`,
} as const;

/** The group kube-apiserver authorizes for everything before RBAC is asked. */
export const MASTERS = 'system:masters';

/** An authorization decision and RBAC's reason (the granting binding, or errors met; may be empty). */
export interface Decision {
  readonly allowed: boolean;
  readonly reason: string;
}

function has(list: string[], value: string, wildcard = true): boolean {
  return list.includes(value) || (wildcard && list.includes('*'));
}

function resourceMatches(rule: JsonObject, resource: string, subresource: string): boolean {
  const combined = subresource ? `${resource}/${subresource}` : resource;
  for (const r of strings(rule.resources)) {
    if (r === '*' || r === combined) return true;
    if (subresource && r === `*/${subresource}`) return true;
  }
  return false;
}

function nonResourceUrlMatches(rule: JsonObject, path: string): boolean {
  for (const u of strings(rule.nonResourceURLs)) {
    if (u === '*' || u === path) return true;
    if (u.endsWith('*') && path.startsWith(u.slice(0, -1))) return true;
  }
  return false;
}

/** Whether one PolicyRule allows the request. */
export function ruleAllows(rule: JsonObject, a: RequestAttributes): boolean {
  if (!has(strings(rule.verbs), a.verb)) return false;
  if (!a.resourceRequest) return nonResourceUrlMatches(rule, a.path);
  if (!has(strings(rule.apiGroups), a.apiGroup)) return false;
  if (!resourceMatches(rule, a.resource, a.subresource)) return false;
  const names = strings(rule.resourceNames);
  return names.length === 0 || names.includes(a.name);
}

/** A subject as RBAC describes it in its reasons (`ServiceAccount "name/ns"`). */
function describeSubject(subject: JsonObject, bindingNamespace: string): string {
  const name = String(subject.name ?? '');
  if (subject.kind === 'ServiceAccount') {
    const ns =
      typeof subject.namespace === 'string' && subject.namespace
        ? subject.namespace
        : bindingNamespace;
    return `ServiceAccount "${name}/${ns}"`;
  }
  return `${String(subject.kind ?? '')} "${name}"`;
}

function subjectApplies(subject: JsonObject, user: UserInfo, bindingNamespace: string): boolean {
  const name = String(subject.name ?? '');
  switch (subject.kind) {
    case 'User':
      return user.username === name;
    case 'Group':
      return user.groups.includes(name);
    case 'ServiceAccount': {
      const ns =
        typeof subject.namespace === 'string' && subject.namespace
          ? subject.namespace
          : bindingNamespace;
      return ns !== '' && user.username === serviceAccountUsername(ns, name);
    }
    default:
      return false;
  }
}

/** The rules a binding's roleRef grants, or the error RBAC reports for a missing role. */
function rulesOf(
  storage: Storage,
  roleRef: JsonObject,
  bindingNamespace: string,
): JsonObject[] | string {
  const name = String(roleRef.name ?? '');
  if (roleRef.kind === 'ClusterRole') {
    const role = storage.get(KEYS.clusterRoles, objectKey('', name));
    if (!role) return `clusterrole.${RBAC} "${name}" not found`;
    return Array.isArray(role.rules) ? role.rules.filter(isObject) : [];
  }
  if (roleRef.kind === 'Role' && bindingNamespace) {
    const role = storage.get(KEYS.roles, objectKey(bindingNamespace, name));
    if (!role) return `role.${RBAC} "${name}" not found`;
    return Array.isArray(role.rules) ? role.rules.filter(isObject) : [];
  }
  return [];
}

/** One binding that names the user, with the rules its role grants. */
interface BoundRules {
  readonly binding: JsonObject;
  /** The binding's namespace (`''` for a ClusterRoleBinding). */
  readonly namespace: string;
  readonly subject: JsonObject;
  readonly rules: JsonObject[];
}

/**
 * Walks the bindings that apply to `user` as RBAC's rule resolver does: every
 * ClusterRoleBinding, then the RoleBindings of `namespace` (none when it is `''`). A
 * binding whose role is missing adds RBAC's error to `errors`; `visit` returning true stops.
 */
function visitBindings(
  storage: Storage,
  user: UserInfo,
  namespace: string,
  errors: string[],
  visit: (bound: BoundRules) => boolean,
): void {
  const walk = (binding: JsonObject, ns: string): boolean => {
    const subjects = Array.isArray(binding.subjects) ? binding.subjects.filter(isObject) : [];
    const subject = subjects.find((s) => subjectApplies(s, user, ns));
    if (!subject) return false;
    const rules = rulesOf(storage, isObject(binding.roleRef) ? binding.roleRef : {}, ns);
    if (typeof rules === 'string') {
      errors.push(rules);
      return false;
    }
    return visit({ binding, namespace: ns, subject, rules });
  };
  for (const [, b] of storage.scan(KEYS.clusterRoleBindings)) if (walk(b, '')) return;
  if (!namespace) return;
  for (const [, b] of storage.scan(KEYS.roleBindings, namespace)) {
    if (walk(b, String(metaOf(b).namespace ?? namespace))) return;
  }
}

/** RBAC's reason for allowing: the binding, its role and the subject that matched. */
function allowedBy({ binding, namespace, subject }: BoundRules): string {
  const roleRef = isObject(binding.roleRef) ? binding.roleRef : {};
  const name = String(metaOf(binding).name ?? '');
  const what = namespace ? `RoleBinding "${name}/${namespace}"` : `ClusterRoleBinding "${name}"`;
  const role = `${String(roleRef.kind ?? '')} "${String(roleRef.name ?? '')}"`;
  return `RBAC: allowed by ${what} of ${role} to ${describeSubject(subject, namespace)}`;
}

/**
 * Authorizes a request as kube-apiserver with `--authorization-mode=RBAC` does: members of
 * `system:masters` may do everything; others need a rule in a role bound to them by a
 * ClusterRoleBinding, or by a RoleBinding in the request's namespace.
 */
export function authorize(storage: Storage, user: UserInfo, a: RequestAttributes): Decision {
  if (user.groups.includes(MASTERS)) return { allowed: true, reason: '' };
  const errors: string[] = [];
  let reason = '';
  visitBindings(storage, user, a.resourceRequest ? a.namespace : '', errors, (bound) => {
    if (!bound.rules.some((r) => ruleAllows(r, a))) return false;
    reason = allowedBy(bound);
    return true;
  });
  if (reason) return { allowed: true, reason };
  return { allowed: false, reason: errors.length ? `RBAC: ${aggregate(errors)}` : '' };
}

/** Every rule granted to a user in a namespace, and the errors met finding them. */
export interface GrantedRules {
  readonly rules: JsonObject[];
  /** RBAC's errors (bindings to missing roles), aggregated as Go prints them; `''` if none. */
  readonly error: string;
}

/**
 * The rules `user` holds in `namespace` (cluster-wide ones included), as RBAC's rule
 * resolver lists them for SelfSubjectRulesReview. `system:masters` is allowed everything by
 * an authorizer of its own that lists no rules, so only its bindings' rules are listed (the
 * bootstrap `cluster-admin` binding's), as there.
 */
export function rulesFor(storage: Storage, user: UserInfo, namespace: string): GrantedRules {
  const rules: JsonObject[] = [];
  const errors: string[] = [];
  visitBindings(storage, user, namespace, errors, (bound) => {
    rules.push(...bound.rules);
    return false;
  });
  return { rules, error: errors.length ? aggregate(errors) : '' };
}

/** An error list as Go's utilerrors.NewAggregate prints it. */
function aggregate(errors: string[]): string {
  if (errors.length === 1) return errors[0]!;
  return `[${errors.join(', ')}]`;
}
