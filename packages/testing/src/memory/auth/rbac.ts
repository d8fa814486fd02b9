/**
 * kube-apiserver's RBAC authorizer over the Roles, ClusterRoles, RoleBindings and
 * ClusterRoleBindings in the store, plus the `system:masters` group it lets do
 * everything. Own code: decisions must be exactly RBAC's (rule matching with `*`
 * wildcards, `*\/subresource`, resourceNames, nonResourceURLs with a trailing `*`,
 * bindings to ServiceAccounts defaulting to the binding's namespace) and the reason of a
 * refusal carries RBAC's errors (a binding whose role does not exist).
 */
import { isObject, type JsonObject } from '../json.js';
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

const strings = (v: unknown): string[] =>
  Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];

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

/**
 * Authorizes a request as kube-apiserver with `--authorization-mode=RBAC` does: members of
 * `system:masters` may do everything; others need a rule in a role bound to them by a
 * ClusterRoleBinding, or by a RoleBinding in the request's namespace.
 */
export function authorize(storage: Storage, user: UserInfo, a: RequestAttributes): Decision {
  if (user.groups.includes(MASTERS)) return { allowed: true, reason: '' };
  const errors: string[] = [];
  const visit = (binding: JsonObject, namespace: string): string | undefined => {
    const subjects = Array.isArray(binding.subjects) ? binding.subjects.filter(isObject) : [];
    const subject = subjects.find((s) => subjectApplies(s, user, namespace));
    if (!subject) return undefined;
    const roleRef = isObject(binding.roleRef) ? binding.roleRef : {};
    const rules = rulesOf(storage, roleRef, namespace);
    if (typeof rules === 'string') {
      errors.push(rules);
      return undefined;
    }
    if (!rules.some((r) => ruleAllows(r, a))) return undefined;
    const name = String(metaOf(binding).name ?? '');
    const what = namespace ? `RoleBinding "${name}/${namespace}"` : `ClusterRoleBinding "${name}"`;
    const role = `${String(roleRef.kind ?? '')} "${String(roleRef.name ?? '')}"`;
    return `RBAC: allowed by ${what} of ${role} to ${describeSubject(subject, namespace)}`;
  };
  for (const [, b] of storage.scan(KEYS.clusterRoleBindings)) {
    const reason = visit(b, '');
    if (reason) return { allowed: true, reason };
  }
  const namespace = a.resourceRequest ? a.namespace : '';
  if (namespace) {
    for (const [, b] of storage.scan(KEYS.roleBindings, namespace)) {
      const reason = visit(b, String(metaOf(b).namespace ?? namespace));
      if (reason) return { allowed: true, reason };
    }
  }
  return { allowed: false, reason: errors.length ? `RBAC: ${aggregate(errors)}` : '' };
}

/** An error list as Go's utilerrors.NewAggregate prints it. */
function aggregate(errors: string[]): string {
  if (errors.length === 1) return errors[0]!;
  return `[${errors.join(', ')}]`;
}
