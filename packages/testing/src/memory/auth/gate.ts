/**
 * The authentication and authorization filters every request passes before it is served,
 * in kube-apiserver's order: authenticate (401), impersonate (403), authorize with RBAC
 * (403). The user is recorded for the handlers that answer with it (reviews).
 */
import type { IncomingMessage } from 'node:http';
import type { ApiState } from '../state.js';
import { type Authentication, authenticate, setUserOf } from './authenticate.js';
import { forbidden } from './forbidden.js';
import { impersonate } from './impersonate.js';
import { authorize } from './rbac.js';
import { requestAttributes } from './request-attributes.js';

/** Lets the request through or throws its 401/403. */
export function guard(s: ApiState, auth: Authentication, req: IncomingMessage): void {
  const attrs = requestAttributes(req.method ?? 'GET', new URL(req.url ?? '/', 'http://localhost'));
  const user = impersonate(s.storage, authenticate(s, auth, req), req, attrs);
  setUserOf(req, user);
  const d = authorize(s.storage, user, attrs);
  if (!d.allowed) throw forbidden(user.username, attrs, d.reason);
}
