/**
 * The authentication and authorization filters every request passes before it is served,
 * in kube-apiserver's order: authenticate (401), impersonate (403), API Priority and
 * Fairness classification (its response headers), authorize with RBAC (403). The user is
 * recorded for the handlers that answer with it (reviews).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { flowControlHeaders } from '../flowcontrol/classify.js';
import type { ApiState } from '../state.js';
import { type Authentication, authenticate, setUserOf } from './authenticate.js';
import { forbidden } from './forbidden.js';
import { impersonate } from './impersonate.js';
import { authorize } from './rbac.js';
import { requestAttributes } from './request-attributes.js';

/**
 * Lets the request through or throws its 401/403; with `res`, sets the API Priority and
 * Fairness headers of a request that got that far.
 */
export function guard(
  s: ApiState,
  auth: Authentication,
  req: IncomingMessage,
  res?: ServerResponse,
): void {
  const attrs = requestAttributes(req.method ?? 'GET', new URL(req.url ?? '/', 'http://localhost'));
  const user = impersonate(s.storage, authenticate(s, auth, req), req, attrs);
  setUserOf(req, user);
  if (res) {
    for (const [k, v] of Object.entries(flowControlHeaders(s.storage, user, attrs))) {
      res.setHeader(k, v);
    }
  }
  const d = authorize(s.storage, user, attrs);
  if (!d.allowed) throw forbidden(user.username, attrs, d.reason);
}
