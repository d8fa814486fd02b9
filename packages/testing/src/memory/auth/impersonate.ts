/**
 * The impersonation headers (`Impersonate-User`, `Impersonate-Group`, `Impersonate-Uid`,
 * `Impersonate-Extra-<key>`, what `kubectl --as/--as-group` sends), as kube-apiserver's
 * impersonation filter handles them: the requester needs the `impersonate` verb on each
 * (users, groups, serviceaccounts, uids, userextras/<key>; the finer-grained
 * `impersonate-on:*` verbs of v1.36's constrained impersonation are not granted, only named
 * in the refusal as the real server does); the request then acts as the
 * impersonated user, with a ServiceAccount's groups when none are given and
 * `system:authenticated` added.
 */
import type { IncomingMessage } from 'node:http';
import { HttpStatusError } from '../errors.js';
import type { Storage } from '../storage.js';
import { forbidden } from './forbidden.js';
import { authorize } from './rbac.js';
import type { RequestAttributes, ResourceAttributes } from './request-attributes.js';
import {
  AUTHENTICATED,
  parseServiceAccountUsername,
  serviceAccountGroups,
  type UserInfo,
} from './user.js';

const EXTRA_PREFIX = 'impersonate-extra-';

function values(v: string | string[] | undefined): string[] {
  if (v === undefined) return [];
  return (Array.isArray(v) ? v : [v]).flatMap((x) => x.split(',')).map((x) => x.trim());
}

function impersonating(
  resource: string,
  name: string,
  opts: { group?: string; namespace?: string; subresource?: string } = {},
): ResourceAttributes {
  return {
    resourceRequest: true,
    verb: 'impersonate',
    apiGroup: opts.group ?? '',
    apiVersion: '',
    resource,
    subresource: opts.subresource ?? '',
    namespace: opts.namespace ?? '',
    name,
  };
}

/** The user a request acts as: `requester`, or whom it impersonates (throws 403 if not allowed). */
export function impersonate(
  storage: Storage,
  requester: UserInfo,
  req: IncomingMessage,
  request: RequestAttributes,
): UserInfo {
  const h = req.headers;
  const username = values(h['impersonate-user'])[0];
  const groups = values(h['impersonate-group']);
  const uid = values(h['impersonate-uid'])[0];
  const extraKeys = Object.keys(h).filter((k) => k.startsWith(EXTRA_PREFIX));
  if (username === undefined) {
    if (groups.length || uid !== undefined || extraKeys.length) {
      throw new HttpStatusError(
        500,
        'InternalError',
        'Internal error occurred: requested impersonation without impersonating a user',
      );
    }
    return requester;
  }
  const checks: ResourceAttributes[] = [];
  const sa = parseServiceAccountUsername(username);
  checks.push(
    sa
      ? impersonating('serviceaccounts', sa.name, { namespace: sa.namespace })
      : impersonating('users', username),
  );
  for (const g of groups) checks.push(impersonating('groups', g));
  if (uid !== undefined)
    checks.push(impersonating('uids', uid, { group: 'authentication.k8s.io' }));
  const extra: Record<string, string[]> = {};
  for (const k of extraKeys) {
    const key = decodeURIComponent(k.slice(EXTRA_PREFIX.length));
    extra[key] = values(h[k]);
    for (const v of extra[key]!) {
      checks.push(
        impersonating('userextras', v, { group: 'authentication.k8s.io', subresource: key }),
      );
    }
  }
  for (const a of checks) {
    const d = authorize(storage, requester, a);
    if (d.allowed) continue;
    // kube-apiserver v1.36 then tries constrained impersonation (KEP 5284) and, when that
    // is refused too, reports its check: `impersonate-on:<mode>:<verb>` on the request.
    const mode = sa ? 'serviceaccount' : 'user-info';
    const constrained = { ...request, verb: `impersonate-on:${mode}:${request.verb}` };
    throw forbidden(requester.username, constrained, d.reason);
  }
  const all = groups.length === 0 && sa ? serviceAccountGroups(sa.namespace) : [...groups];
  if (username !== 'system:anonymous' && !all.includes(AUTHENTICATED)) all.push(AUTHENTICATED);
  const user: UserInfo = { username, groups: all };
  return {
    ...user,
    ...(uid !== undefined ? { uid } : {}),
    ...(extraKeys.length ? { extra } : {}),
  };
}
