/**
 * The 401 and 403 answers of kube-apiserver's authentication and authorization filters,
 * with their exact messages (clients and tests match on them).
 */
import { HttpStatusError } from '../errors.js';
import type { RequestAttributes } from './request-attributes.js';

/** 401: the request carried credentials the server does not accept. */
export function unauthorized(): HttpStatusError {
  return new HttpStatusError(401, 'Unauthorized', 'Unauthorized');
}

/** What RBAC refused, in kube-apiserver's words (`User "u" cannot list resource …`). */
export function forbiddenMessage(username: string, a: RequestAttributes): string {
  if (!a.resourceRequest) return `User "${username}" cannot ${a.verb} path "${a.path}"`;
  const resource = a.subresource ? `${a.resource}/${a.subresource}` : a.resource;
  const head = `User "${username}" cannot ${a.verb} resource "${resource}" in API group "${a.apiGroup}"`;
  return a.namespace ? `${head} in the namespace "${a.namespace}"` : `${head} at the cluster scope`;
}

/** 403 for a refused request, as kube-apiserver's `Forbidden` response writes it. */
export function forbidden(username: string, a: RequestAttributes, reason: string): HttpStatusError {
  const msg = forbiddenMessage(username, a);
  const why = reason ? `${msg}: ${reason}` : msg;
  if (!a.resourceRequest) return new HttpStatusError(403, 'Forbidden', `forbidden: ${why}`, {});
  const qualified = a.apiGroup ? `${a.resource}.${a.apiGroup}` : a.resource;
  const subject = a.name ? `${qualified} "${a.name}"` : qualified;
  const details: { name?: string; group?: string; kind: string } = { kind: a.resource };
  if (a.name) details.name = a.name;
  if (a.apiGroup) details.group = a.apiGroup;
  return new HttpStatusError(403, 'Forbidden', `${subject} is forbidden: ${why}`, details);
}
