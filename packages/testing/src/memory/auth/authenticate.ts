/**
 * Authentication of requests: MemoryApiServer's own kubeconfig token is the admin, a
 * service account token (TokenRequest) is its ServiceAccount, any other bearer token is
 * refused with 401 as kube-apiserver refuses it. A request without credentials is
 * {@link Authentication.anonymous}.
 */
import { timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { ApiState } from '../state.js';
import { unauthorized } from './forbidden.js';
import { authenticateToken } from './tokens.js';
import { ADMIN_USER, ANONYMOUS_USER, type UserInfo } from './user.js';

const users = new WeakMap<object, UserInfo>();

/** How a server authenticates: its admin token, and who a request without credentials is. */
export interface Authentication {
  readonly adminToken: string;
  /**
   * Over HTTPS `system:anonymous` in `system:unauthenticated`, as kube-apiserver's secure
   * port with its default `--anonymous-auth`: RBAC then answers 403 except on the public
   * info paths (`/version`, `/healthz`, `/livez`, `/readyz`). Over plain HTTP the admin, as
   * kube-apiserver's former insecure port did: kubectl and client-go send no credentials
   * to an `http:` server (clientcmd reads them only for TLS), so they could not work.
   */
  readonly anonymous: UserInfo;
}

/** The authentication of a server with this admin token, serving HTTPS or plain HTTP. */
export function authenticationFor(adminToken: string, tls: boolean): Authentication {
  return { adminToken, anonymous: tls ? ANONYMOUS_USER : ADMIN_USER };
}

function sameToken(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/** The bearer token of a request, if it sends one. */
function bearerToken(req: IncomingMessage): string | undefined {
  const header = req.headers.authorization;
  if (typeof header !== 'string') return undefined;
  const m = /^Bearer\s+(.+)$/i.exec(header.trim());
  return m ? m[1]!.trim() : undefined;
}

/** Who sent a request (throws the 401 for an unknown token). */
export function authenticate(s: ApiState, auth: Authentication, req: IncomingMessage): UserInfo {
  const token = bearerToken(req);
  if (token === undefined) return auth.anonymous;
  if (sameToken(token, auth.adminToken)) return ADMIN_USER;
  const serviceAccounts = s.registry.find('', 'v1', 'serviceaccounts');
  const verdict = serviceAccounts
    ? authenticateToken(s, { t: serviceAccounts, version: 'v1' }, token)
    : undefined;
  if (!verdict || !('accepted' in verdict)) throw unauthorized();
  return verdict.accepted.user;
}

/** Records the user a request acts as (after authentication and impersonation). */
export function setUserOf(req: IncomingMessage, user: UserInfo): void {
  users.set(req, user);
}

/**
 * The user a request acts as; requests the server derives from another (admission's
 * rewritten copies) inherit it. The admin for a request that never went through
 * {@link setUserOf}.
 */
export function userOf(req: IncomingMessage): UserInfo {
  for (let o: object | null = req; o; o = Object.getPrototypeOf(o) as object | null) {
    const u = users.get(o);
    if (u) return u;
  }
  return ADMIN_USER;
}
