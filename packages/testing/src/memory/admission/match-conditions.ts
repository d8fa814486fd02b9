/**
 * A webhook's `matchConditions` (admissionregistration.k8s.io/v1), decided the way
 * kube-apiserver's webhook matcher does (own code because the order and the error
 * handling are kube-apiserver's, not a library's):
 * - they are checked after the rules and the namespace/object selectors, just before the
 *   webhook would be called, on the object at the version the webhook gets (for a mutating
 *   webhook: as the webhooks before it left it, again on a reinvocation);
 * - every condition is evaluated; if any is `false` the webhook is skipped, whatever the
 *   others gave (errors included);
 * - otherwise, if some failed to evaluate, `failurePolicy` decides: `Fail` (the default)
 *   refuses the request with 403 Forbidden naming the errors, `Ignore` skips the webhook;
 * - all `true`: the webhook is called.
 *
 * Expressions run in the CEL environment of admission policies (`@kube-ts/schema`'s, the
 * one ValidatingAdmissionPolicy uses) with `object`, `oldObject` (null on CREATE and on
 * DELETE respectively), `request` (the AdmissionRequest without the objects) and
 * `authorizer` (checks for the requesting user; `authorizer.requestResource` is the
 * request's resource).
 */
import {
  type AuthzCheck,
  celAuthorizer,
  evaluatePolicyExpression,
} from '@kube-ts/schema/validation';
import { forbidden } from '../errors.js';
import { isObject, type JsonObject } from '../json.js';
import type { AdmissionAttributes, WebhookEntry } from './matching.js';

/** The error text of one condition, as kube-apiserver's CEL filter words it. */
function evaluationError(expression: string, error: string): string {
  return `expression '${expression}' resulted in error: ${error}`;
}

/** The `request` variable: the AdmissionRequest of the review, without uid and objects. */
function requestVariable(review: JsonObject): JsonObject {
  const request = isObject(review.request) ? review.request : {};
  const { uid: _uid, object: _object, oldObject: _oldObject, ...rest } = request;
  return rest;
}

/**
 * Whether `entry`'s webhook is to be called for this request, given its `matchConditions`
 * and the review it would get (objects at the webhook's version), asking `authorize` for
 * the `authorizer` checks. Throws kube-apiserver's
 * 403 when a condition failed to evaluate, none was false, and the failurePolicy is `Fail`.
 */
export function conditionsMatch(
  entry: WebhookEntry,
  a: AdmissionAttributes,
  review: JsonObject,
  authorize: AuthzCheck,
): boolean {
  const conditions = Array.isArray(entry.webhook.matchConditions)
    ? entry.webhook.matchConditions.filter(isObject)
    : [];
  if (conditions.length === 0) return true;
  const request = isObject(review.request) ? review.request : {};
  const vars = {
    object: request.object ?? null,
    oldObject: request.oldObject ?? null,
    request: requestVariable(review),
    authorizer: celAuthorizer(authorize, a.user, {
      group: a.t.group,
      resource: a.t.plural,
      subresource: a.subresource,
      namespace: a.namespace,
      name: a.name,
    }),
  };
  const errors: string[] = [];
  for (const c of conditions) {
    const expression = String(c.expression ?? '');
    const r = evaluatePolicyExpression(expression, vars);
    if ('error' in r) errors.push(evaluationError(expression, r.error));
    else if (r.value === false) return false;
    else if (r.value !== true) errors.push(evaluationError(expression, 'must evaluate to bool'));
  }
  if (errors.length === 0) return true;
  if (entry.webhook.failurePolicy === 'Ignore') return false;
  // utilerrors.NewAggregate: one error as is, several as "[e1, e2]".
  const why = errors.length === 1 ? errors[0] : `[${errors.join(', ')}]`;
  const resource = a.t.group ? `${a.t.plural}.${a.t.group}` : a.t.plural;
  throw forbidden(`${resource} "${a.name}" is forbidden: ${why}`, {
    name: a.name,
    kind: a.t.plural,
    ...(a.t.group ? { group: a.t.group } : {}),
  });
}
