/**
 * The review APIs answered from this server's authentication and RBAC:
 * SubjectAccessReview, LocalSubjectAccessReview, SelfSubjectAccessReview,
 * SelfSubjectRulesReview (authorization.k8s.io/v1) and SelfSubjectReview
 * (authentication.k8s.io/v1). Each is answered with a status, never stored.
 */
import { badRequest, invalid, type StatusCause } from '../errors.js';
import { isObject, type Json, type JsonObject, str } from '../json.js';
import { timestamp } from '../state.js';
import type { Storage } from '../storage.js';
import { invalidValue } from '../validation.js';
import { authorize, rulesFor } from './rbac.js';
import type { RequestAttributes } from './request-attributes.js';
import { reviewMetadataCauses } from './review-metadata.js';
import { selectorAttributeCauses, selectorEvaluationErrors } from './review-selectors.js';
import type { UserInfo } from './user.js';

const AUTHORIZATION = 'authorization.k8s.io';

/** The internal NonResourceAttributes as Go's encoding/json writes it (no JSON tags). */
function internalNonResource(non: JsonObject): JsonObject {
  return { Path: str(non.path), Verb: str(non.verb) };
}

/**
 * ValidateSubjectAccessReviewSpec and its self and local variants (own code, Go's order
 * and words): exactly one kind of attributes, a user or a group (not asked of a
 * SelfSubjectAccessReview), the metadata empty, and for a LocalSubjectAccessReview the
 * namespace of the attributes that of the review and no non-resource attributes, and the
 * field and label selector attributes (see review-selectors.ts) checked with the spec.
 */
function reviewCauses(kind: string, body: JsonObject): StatusCause[] {
  const spec = isObject(body.spec) ? body.spec : {};
  const res = isObject(spec.resourceAttributes) ? spec.resourceAttributes : undefined;
  const non = isObject(spec.nonResourceAttributes) ? spec.nonResourceAttributes : undefined;
  const causes: StatusCause[] = [];
  if (res && non)
    causes.push(
      invalidValue(
        'spec.nonResourceAttributes',
        internalNonResource(non),
        'cannot be specified in combination with resourceAttributes',
      ),
    );
  if (!res && !non)
    causes.push(
      invalidValue(
        'spec.resourceAttributes',
        null,
        'exactly one of nonResourceAttributes or resourceAttributes must be specified',
      ),
    );
  const groups = Array.isArray(spec.groups) ? spec.groups : [];
  if (kind !== 'SelfSubjectAccessReview' && !str(spec.user) && groups.length === 0)
    causes.push(
      invalidValue('spec.user', str(spec.user), 'at least one of user or group must be specified'),
    );
  if (res) causes.push(...selectorAttributeCauses(res));
  const local = kind === 'LocalSubjectAccessReview';
  causes.push(...reviewMetadataCauses(body.metadata, local));
  if (!local) return causes;
  const namespace = isObject(body.metadata) ? str(body.metadata.namespace) : '';
  if (res && str(res.namespace) !== namespace)
    causes.push(
      invalidValue(
        'spec.resourceAttributes.namespace',
        str(res.namespace),
        'must match metadata.namespace',
      ),
    );
  if (non)
    causes.push(
      invalidValue(
        'spec.nonResourceAttributes',
        internalNonResource(non),
        'disallowed on this kind of request',
      ),
    );
  return causes;
}

/**
 * The attributes a valid review's spec asks about. A refusal names no kind: the review's
 * storage quotes the internal object's kind, which decoding leaves empty.
 */
function attributesOf(kind: string, body: JsonObject): RequestAttributes {
  const causes = reviewCauses(kind, body);
  if (causes.length) throw invalid('', AUTHORIZATION, '', causes);
  const spec = isObject(body.spec) ? body.spec : {};
  const non = isObject(spec.nonResourceAttributes) ? spec.nonResourceAttributes : undefined;
  if (non) return { resourceRequest: false, verb: str(non.verb), path: str(non.path) };
  const r = isObject(spec.resourceAttributes) ? spec.resourceAttributes : {};
  return {
    resourceRequest: true,
    verb: str(r.verb),
    apiGroup: str(r.group),
    apiVersion: str(r.version),
    resource: str(r.resource),
    subresource: str(r.subresource),
    namespace: str(r.namespace),
    name: str(r.name),
  };
}

function bodyOf(raw: Json, kind: string, apiVersion: string): JsonObject {
  if (!isObject(raw) || raw.kind !== kind) {
    throw badRequest(`the body of the request must be an ${apiVersion} ${kind}`);
  }
  return raw;
}

/**
 * The review's status: RBAC's decision and reason, and as `evaluationError` the selector
 * attributes the authorizer could not read (RBAC itself reports no evaluation error).
 */
function accessStatus(
  storage: Storage,
  user: UserInfo,
  a: RequestAttributes,
  body: JsonObject,
): JsonObject {
  const d = authorize(storage, user, a);
  const status: JsonObject = { allowed: d.allowed };
  if (d.reason) status.reason = d.reason;
  const res = isObject(body.spec) ? body.spec.resourceAttributes : undefined;
  const errors = isObject(res) ? selectorEvaluationErrors(res) : [];
  if (errors.length) status.evaluationError = errors.join('; ');
  return status;
}

function answered(body: JsonObject, kind: string, status: JsonObject): JsonObject {
  const meta = isObject(body.metadata) ? { ...body.metadata } : {};
  return {
    kind,
    apiVersion: `${AUTHORIZATION}/v1`,
    metadata: meta,
    spec: isObject(body.spec) ? body.spec : {},
    status,
  };
}

/** `POST subjectaccessreviews` and `localsubjectaccessreviews`: may that user do that? */
export function subjectAccessReview(
  storage: Storage,
  raw: Json,
  kind: 'SubjectAccessReview' | 'LocalSubjectAccessReview',
): JsonObject {
  const body = bodyOf(raw, kind, `${AUTHORIZATION}/v1`);
  const a = attributesOf(kind, body);
  const spec = isObject(body.spec) ? body.spec : {};
  const groups = Array.isArray(spec.groups)
    ? spec.groups.filter((g): g is string => typeof g === 'string')
    : [];
  const user: UserInfo = { username: str(spec.user), groups };
  return answered(body, kind, accessStatus(storage, user, a, body));
}

/** `POST selfsubjectaccessreviews`: may I do that? */
export function selfSubjectAccessReview(storage: Storage, user: UserInfo, raw: Json): JsonObject {
  const kind = 'SelfSubjectAccessReview';
  const body = bodyOf(raw, kind, `${AUTHORIZATION}/v1`);
  const a = attributesOf(kind, body);
  return answered(body, kind, accessStatus(storage, user, a, body));
}

/** A PolicyRule's members of one kind, as the review's status words them (empty ones left out). */
function pick(rule: JsonObject, fields: readonly string[]): JsonObject {
  const out: JsonObject = {};
  for (const f of fields) {
    const v = rule[f];
    if (Array.isArray(v) && v.length > 0) out[f] = v;
  }
  return out;
}

/**
 * `POST selfsubjectrulesreviews`: what may I do in `spec.namespace`? kube-apiserver
 * answers with an empty metadata and spec, every rule bound to the user (a rule with
 * resources is a resource rule, one with nonResourceURLs a non-resource rule) and RBAC's
 * errors as `evaluationError`; the rules come in no particular order there.
 */
export function selfSubjectRulesReview(storage: Storage, user: UserInfo, raw: Json): JsonObject {
  const kind = 'SelfSubjectRulesReview';
  const body = bodyOf(raw, kind, `${AUTHORIZATION}/v1`);
  const namespace = isObject(body.spec) ? str(body.spec.namespace) : '';
  if (!namespace) throw badRequest('no namespace on request');
  const granted = rulesFor(storage, user, namespace);
  const has = (r: JsonObject, f: string) => Array.isArray(r[f]) && r[f].length > 0;
  const status: JsonObject = {
    resourceRules: granted.rules
      .filter((r) => has(r, 'resources'))
      .map((r) => pick(r, ['verbs', 'apiGroups', 'resources', 'resourceNames'])),
    nonResourceRules: granted.rules
      .filter((r) => has(r, 'nonResourceURLs'))
      .map((r) => pick(r, ['verbs', 'nonResourceURLs'])),
    incomplete: false,
  };
  if (granted.error) status.evaluationError = granted.error;
  return { kind, apiVersion: `${AUTHORIZATION}/v1`, metadata: {}, spec: {}, status };
}

/** `POST selfsubjectreviews`: who am I? */
export function selfSubjectReview(user: UserInfo, raw: Json): JsonObject {
  bodyOf(raw, 'SelfSubjectReview', 'authentication.k8s.io/v1');
  return {
    kind: 'SelfSubjectReview',
    apiVersion: 'authentication.k8s.io/v1',
    metadata: { creationTimestamp: timestamp() },
    status: { userInfo: user as unknown as JsonObject },
  };
}
