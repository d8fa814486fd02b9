/**
 * Who made a request, as kube-apiserver's authenticators describe a user: a name, an
 * optional uid, groups and extra values.
 */
import { dns1123LabelErrors, dns1123SubdomainErrors } from '@kube-ts/schema/validation';

/** An authenticated user (the `userInfo` of reviews and admission requests). */
export interface UserInfo {
  readonly username: string;
  readonly uid?: string;
  readonly groups: readonly string[];
  readonly extra?: Readonly<Record<string, readonly string[]>>;
}

/** The group every authenticated user is in. */
export const AUTHENTICATED = 'system:authenticated';

/**
 * The identity of MemoryApiServer's own kubeconfig token: in `system:masters`, which
 * kube-apiserver lets do everything.
 */
export const ADMIN_USER: UserInfo = {
  username: 'kube-ts-memory-admin',
  groups: ['system:masters', AUTHENTICATED],
};

/**
 * Who a request without credentials is, as kube-apiserver's anonymous authenticator says
 * (`--anonymous-auth`, on by default): RBAC then lets it read only the public info paths.
 */
export const ANONYMOUS_USER: UserInfo = {
  username: 'system:anonymous',
  groups: ['system:unauthenticated'],
};

const SA_PREFIX = 'system:serviceaccount:';

/** The user name of a ServiceAccount, `system:serviceaccount:<ns>:<name>`. */
export function serviceAccountUsername(namespace: string, name: string): string {
  return `${SA_PREFIX}${namespace}:${name}`;
}

/**
 * The namespace and name of a ServiceAccount user name, or undefined for another user: as
 * `serviceaccount.SplitUsername`, the namespace must be a valid namespace name (a DNS-1123
 * label) and the name a valid ServiceAccount name (a DNS-1123 subdomain).
 */
export function parseServiceAccountUsername(
  username: string,
): { namespace: string; name: string } | undefined {
  if (!username.startsWith(SA_PREFIX)) return undefined;
  const parts = username.slice(SA_PREFIX.length).split(':');
  if (parts.length !== 2) return undefined;
  const [namespace = '', name = ''] = parts;
  if (dns1123LabelErrors(namespace).length || dns1123SubdomainErrors(name).length) return undefined;
  return { namespace, name };
}

/** The groups kube-apiserver gives a ServiceAccount (without `system:authenticated`). */
export function serviceAccountGroups(namespace: string): string[] {
  return ['system:serviceaccounts', `system:serviceaccounts:${namespace}`];
}
