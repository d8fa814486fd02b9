/**
 * Authentication of requests: MemoryApiServer's own kubeconfig token is the admin, a
 * service account token (TokenRequest) is its ServiceAccount, any other bearer token is
 * refused with 401 as kube-apiserver refuses it. A request without credentials is the
 * admin too (kube-apiserver would make it `system:anonymous`): the server's own tests
 * and plain `fetch` calls keep working.
 */
import { timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { ApiState } from '../state.js';
import { unauthorized } from './forbidden.js';
import { authenticateToken } from './tokens.js';
import { ADMIN_USER, type UserInfo } from './user.js';

const users = new WeakMap<object, UserInfo>();

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
export function authenticate(s: ApiState, adminToken: string, req: IncomingMessage): UserInfo {
  const token = bearerToken(req);
  if (token === undefined || sameToken(token, adminToken)) return ADMIN_USER;
  const serviceAccounts = s.registry.find('', 'v1', 'serviceaccounts');
  const ok = serviceAccounts
    ? authenticateToken(s, { t: serviceAccounts, version: 'v1' }, token)
    : undefined;
  if (!ok) throw unauthorized();
  return ok.user;
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
