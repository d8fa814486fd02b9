/**
 * The impersonation headers (`Impersonate-User`, `Impersonate-Group`, `Impersonate-Uid`,
 * `Impersonate-Extra-<key>`, what `kubectl --as/--as-group` sends), as kube-apiserver
 * v1.36 handles them with its default `ConstrainedImpersonation` feature gate (KEP 5284):
 * the modes are tried in its order — associated-node, arbitrary-node, serviceaccount,
 * user-info (constrained: the requester needs `impersonate-on:<mode>:<verb>` on what the
 * request does, then `impersonate:<mode>` on the user, node or ServiceAccount, uid, groups
 * and extras in the `authentication.k8s.io` group) and last the legacy `impersonate` verb
 * on users/groups/serviceaccounts (core group), uids and userextras. The first mode that
 * allows it gives the user; when none does, the first refusal is the 403.
 */
import type { IncomingMessage } from 'node:http';
import { dns1123SubdomainErrors } from '@kube-ts/schema/validation';
import { badRequest } from '../errors.js';
import { goQuotedList } from '../go-print.js';
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
const AUTHENTICATION = 'authentication.k8s.io';
const UNAUTHENTICATED = 'system:unauthenticated';
const NODE_PREFIX = 'system:node:';
/** From this many groups or extra values on, a constrained mode first tries a `*` grant. */
const MANY = 4;

/** Whom a request asks to act as. */
interface Wanted {
  readonly username: string;
  readonly uid: string | undefined;
  readonly groups: string[];
  readonly extra: Record<string, string[]>;
}

function values(v: string | string[] | undefined): string[] {
  if (v === undefined) return [];
  return (Array.isArray(v) ? v : [v]).flatMap((x) => x.split(',')).map((x) => x.trim());
}

/** Go's `%#v` of the wanted user, as kube-apiserver prints it in its 400. */
function goUser(w: Wanted): string {
  const list = (l: string[]) =>
    l.length ? `[]string{${l.map((x) => JSON.stringify(x)).join(', ')}}` : '[]string(nil)';
  const keys = Object.keys(w.extra).sort();
  const extra = keys.length
    ? `map[string][]string{${keys.map((k) => `${JSON.stringify(k)}:${list(w.extra[k]!)}`).join(', ')}}`
    : 'map[string][]string(nil)';
  return `&user.DefaultInfo{Name:${JSON.stringify(w.username)}, UID:${JSON.stringify(w.uid ?? '')}, Groups:${list(w.groups)}, Extra:${extra}}`;
}

/** The node name of a `system:node:<name>` user whose name is a valid Node name. */
function nodeName(username: string): string | undefined {
  if (!username.startsWith(NODE_PREFIX)) return undefined;
  const name = username.slice(NODE_PREFIX.length);
  return dns1123SubdomainErrors(name).length === 0 ? name : undefined;
}

/** Why an extra key or value may not be impersonated in constrained mode, if it may not. */
function extraProblem(extra: Record<string, string[]>): string | undefined {
  for (const [key, vals] of Object.entries(extra)) {
    if (key === '') return 'impersonating the empty string key in extra is not allowed';
    const slash = key.indexOf('/');
    const host = key.slice(0, slash);
    const path = key.slice(slash + 1);
    let errors: string[] = [];
    if (slash <= 0 || path === '') {
      errors = [
        `extra.key: Invalid value: ${JSON.stringify(key)}: must be a domain-prefixed path (such as "acme.io/foo")`,
      ];
    } else {
      errors = dns1123SubdomainErrors(host).map(
        (e) => `extra.key: Invalid value: ${JSON.stringify(host)}: ${e}`,
      );
      if (errors.length === 0 && !/^[A-Za-z0-9/\-._~%!$&'()*+,;=:]+$/.test(path)) {
        errors = [
          `extra.key: Invalid value: ${JSON.stringify(path)}: Invalid path (regex used for validation is '[A-Za-z0-9/\\-._~%!$&'()*+,;=:]+')`,
        ];
      }
    }
    if (errors.length) {
      const all = errors.length === 1 ? errors[0] : `[${errors.join(', ')}]`;
      return `impersonating an invalid key in extra is not allowed: ${all}`;
    }
    if (key !== key.toLowerCase()) {
      return `impersonating a non-lowercase key in extra is not allowed: ${JSON.stringify(key)}`;
    }
    if (vals.length === 0) return 'impersonating empty values in extra is not allowed';
    if (vals.includes('')) return 'impersonating the empty string value in extra is not allowed';
  }
  return undefined;
}

/** One impersonation mode's checks for one request. */
class ModeCheck {
  constructor(
    private readonly storage: Storage,
    private readonly requester: UserInfo,
    /** The verb on the impersonated parts: `impersonate` or `impersonate:<mode>`. */
    private readonly verb: string,
    /** The group of users, groups and ServiceAccounts: core (legacy) or authentication. */
    private readonly identityGroup: string,
  ) {}

  /** The attributes of one impersonated part. */
  on(resource: string, name: string, group = this.identityGroup): ResourceAttributes {
    return {
      resourceRequest: true,
      verb: this.verb,
      apiGroup: group,
      apiVersion: '',
      resource,
      subresource: '',
      namespace: '',
      name,
    };
  }

  /** Throws RBAC's 403 unless the requester may do `a`. */
  require(a: RequestAttributes): void {
    const d = authorize(this.storage, this.requester, a);
    if (!d.allowed) throw forbidden(this.requester.username, a, d.reason);
  }

  /** True when the requester may do `a`. */
  allows(a: RequestAttributes): boolean {
    return authorize(this.storage, this.requester, a).allowed;
  }
}

/** The groups an impersonated user ends with (kube-apiserver's ensureGroup rules). */
function finalGroups(username: string, groups: string[]): string[] {
  const all = [...groups];
  if (username === 'system:anonymous') {
    if (!all.includes(UNAUTHENTICATED)) all.push(UNAUTHENTICATED);
  } else if (!all.includes(UNAUTHENTICATED) && !all.includes(AUTHENTICATED)) {
    all.push(AUTHENTICATED);
  }
  return all;
}

/**
 * Checks one mode's grants on the wanted user and gives the user it acts as (throws the
 * mode's 403). `constrained` is the mode name, or undefined for the legacy verb.
 */
function checkUser(
  storage: Storage,
  requester: UserInfo,
  w: Wanted,
  constrained: string | undefined,
): UserInfo {
  const c = new ModeCheck(
    storage,
    requester,
    constrained ? `impersonate:${constrained}` : 'impersonate',
    constrained ? AUTHENTICATION : '',
  );
  let groups = [...w.groups];
  const userCheck = c.on('users', w.username);
  const node = constrained ? nodeName(w.username) : undefined;
  const sa = parseServiceAccountUsername(w.username);
  let check: ResourceAttributes = userCheck;
  if (node !== undefined) {
    check = {
      ...userCheck,
      resource: 'nodes',
      name: constrained === 'associated-node' ? '*' : node,
    };
    if (w.groups.length) {
      throw forbidden(
        requester.username,
        check,
        `when impersonating a node, cannot impersonate groups ${goQuotedList(w.groups)}`,
      );
    }
    groups = ['system:nodes'];
  }
  if (sa) {
    check = { ...userCheck, resource: 'serviceaccounts', namespace: sa.namespace, name: sa.name };
    if (constrained && w.groups.length) {
      throw forbidden(
        requester.username,
        check,
        `when impersonating a service account, cannot impersonate groups ${goQuotedList(w.groups)}`,
      );
    }
    if (!w.groups.length) groups = serviceAccountGroups(sa.namespace);
  }
  c.require(check);
  if (w.uid) c.require(c.on('uids', w.uid, AUTHENTICATION));
  if (w.groups.length) {
    const g = c.on('groups', '');
    if (constrained && w.groups.includes('')) {
      throw forbidden(requester.username, g, 'impersonating the empty string group is not allowed');
    }
    if (constrained && w.groups.includes('system:masters')) {
      const masters = { ...g, name: 'system:masters' };
      throw forbidden(
        requester.username,
        masters,
        'impersonating the system:masters group is not allowed',
      );
    }
    const any = constrained && w.groups.length >= MANY && c.allows({ ...g, name: '*' });
    if (!any) for (const group of w.groups) c.require({ ...g, name: group });
  }
  const keys = Object.keys(w.extra);
  if (keys.length) {
    const e = c.on('userextras', '', AUTHENTICATION);
    if (constrained) {
      const problem = extraProblem(w.extra);
      if (problem) throw forbidden(requester.username, e, problem);
    }
    const count = keys.reduce((n, k) => n + w.extra[k]!.length, 0);
    const large = constrained && (keys.length >= MANY || count >= MANY);
    if (!(large && c.allows({ ...e, subresource: '*', name: '*' }))) {
      for (const key of keys) {
        for (const v of w.extra[key]!) c.require({ ...e, subresource: key, name: v });
      }
    }
  }
  return {
    username: w.username,
    ...(w.uid ? { uid: w.uid } : {}),
    groups: finalGroups(w.username, groups),
    ...(keys.length ? { extra: w.extra } : {}),
  };
}

/** A constrained mode: which wanted users it applies to. */
interface Mode {
  readonly name: string;
  applies(w: Wanted, requester: UserInfo): boolean;
}

const onlyUsername = (w: Wanted) =>
  !w.uid && w.groups.length === 0 && Object.keys(w.extra).length === 0;

const MODES: readonly Mode[] = [
  {
    name: 'associated-node',
    applies: (w, requester) => {
      const node = nodeName(w.username);
      const own = requester.extra?.['authentication.kubernetes.io/node-name'];
      return (
        onlyUsername(w) &&
        node !== undefined &&
        parseServiceAccountUsername(requester.username) !== undefined &&
        own?.length === 1 &&
        own[0] === node
      );
    },
  },
  { name: 'arbitrary-node', applies: (w) => onlyUsername(w) && nodeName(w.username) !== undefined },
  {
    name: 'serviceaccount',
    applies: (w) => onlyUsername(w) && parseServiceAccountUsername(w.username) !== undefined,
  },
  {
    name: 'user-info',
    applies: (w) =>
      nodeName(w.username) === undefined && parseServiceAccountUsername(w.username) === undefined,
  },
];

/** The user a request acts as: `requester`, or whom it impersonates (throws 403 if not allowed). */
export function impersonate(
  storage: Storage,
  requester: UserInfo,
  req: IncomingMessage,
  request: RequestAttributes,
): UserInfo {
  const h = req.headers;
  const extra: Record<string, string[]> = {};
  for (const k of Object.keys(h).filter((k) => k.startsWith(EXTRA_PREFIX))) {
    extra[decodeURIComponent(k.slice(EXTRA_PREFIX.length))] = values(h[k]);
  }
  const wanted: Wanted = {
    username: values(h['impersonate-user'])[0] ?? '',
    uid: values(h['impersonate-uid'])[0] || undefined,
    groups: values(h['impersonate-group']),
    extra,
  };
  if (!wanted.username) {
    if (wanted.uid || wanted.groups.length || Object.keys(extra).length) {
      throw badRequest(`requested ${goUser(wanted)} without impersonating a user name`);
    }
    return requester;
  }
  let first: unknown;
  for (const mode of MODES) {
    if (!mode.applies(wanted, requester)) continue;
    try {
      const on = new ModeCheck(storage, requester, '', '');
      on.require({ ...request, verb: `impersonate-on:${mode.name}:${request.verb}` });
      return checkUser(storage, requester, wanted, mode.name);
    } catch (e) {
      first ??= e;
    }
  }
  try {
    return checkUser(storage, requester, wanted, undefined);
  } catch (e) {
    throw first ?? e;
  }
}
