/**
 * The authentication and authorization filters every request passes before it is served,
 * in kube-apiserver's order: authenticate (401), impersonate (403), API Priority and
 * Fairness (its response headers, then its seats: flowcontrol/seats.ts), authorize with
 * RBAC (403). The user is
 * recorded for the handlers that answer with it (reviews).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { type Classification, classify } from '../flowcontrol/classify.js';
import type { ApiState } from '../state.js';
import { type Authentication, authenticate, setUserOf } from './authenticate.js';
import { forbidden } from './forbidden.js';
import { impersonate } from './impersonate.js';
import { authorize } from './rbac.js';
import { type RequestAttributes, requestAttributes } from './request-attributes.js';
import type { UserInfo } from './user.js';

/** Who asks for what, once authenticated and impersonated, and its APF classification. */
export interface Identified {
  readonly user: UserInfo;
  readonly attrs: RequestAttributes;
  readonly classification: Classification | undefined;
}

/**
 * Authenticates (401) and impersonates (403) the request and classifies it; with `res`,
 * sets the API Priority and Fairness headers.
 */
export function identify(
  s: ApiState,
  auth: Authentication,
  req: IncomingMessage,
  res?: ServerResponse,
): Identified {
  const attrs = requestAttributes(req.method ?? 'GET', new URL(req.url ?? '/', 'http://localhost'));
  const user = impersonate(s.storage, authenticate(s, auth, req), req, attrs);
  setUserOf(req, user);
  const classification = classify(s.storage, user, attrs);
  if (res && classification) {
    for (const [k, v] of Object.entries(classification.headers)) res.setHeader(k, v);
  }
  return { user, attrs, classification };
}

/** Throws RBAC's 403 unless the identified request is allowed. */
export function authorizeIdentified(s: ApiState, { user, attrs }: Identified): void {
  const d = authorize(s.storage, user, attrs);
  if (!d.allowed) throw forbidden(user.username, attrs, d.reason);
}

/** Lets the request through (who asks for what) or throws its 401/403 (no API Priority and Fairness). */
export function guard(s: ApiState, auth: Authentication, req: IncomingMessage): Identified {
  const who = identify(s, auth, req);
  authorizeIdentified(s, who);
  return who;
}
