/**
 * The RBAC decisions behind the `authorizer` variable of admission expressions (webhook
 * matchConditions, ValidatingAdmissionPolicies): the CEL library builds the attributes,
 * this server's authorizer answers as it answers requests.
 */
import type { AuthzAttributes, AuthzCheck } from '@kube-ts/schema/validation';
import type { Storage } from '../storage.js';
import { authorize } from './rbac.js';
import type { RequestAttributes } from './request-attributes.js';

function requestAttributesOf(a: AuthzAttributes): RequestAttributes {
  if (!a.resourceRequest) return { resourceRequest: false, verb: a.verb, path: a.path };
  return {
    resourceRequest: true,
    verb: a.verb,
    apiGroup: a.apiGroup,
    apiVersion: a.apiVersion,
    resource: a.resource,
    subresource: a.subresource,
    namespace: a.namespace,
    name: a.name,
  };
}

/** The authorizer CEL checks call: RBAC (and `system:masters`), `NoOpinion` when it does not allow. */
export function celAuthorizerCheck(storage: Storage): AuthzCheck {
  return (a) => {
    const d = authorize(storage, a.user, requestAttributesOf(a));
    return { decision: d.allowed ? 'Allow' : 'NoOpinion', reason: d.reason };
  };
}
