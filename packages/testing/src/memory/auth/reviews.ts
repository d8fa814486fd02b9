/**
 * The review APIs answered from this server's authentication and RBAC:
 * SubjectAccessReview, LocalSubjectAccessReview, SelfSubjectAccessReview,
 * SelfSubjectRulesReview (authorization.k8s.io/v1) and SelfSubjectReview
 * (authentication.k8s.io/v1). Each is answered with a status, never stored.
 */
import { badRequest, invalid } from '../errors.js';
import { isObject, type Json, type JsonObject, str } from '../json.js';
import { timestamp } from '../state.js';
import type { Storage } from '../storage.js';
import { authorize, rulesFor } from './rbac.js';
import type { RequestAttributes } from './request-attributes.js';
import type { UserInfo } from './user.js';

const AUTHORIZATION = 'authorization.k8s.io';

/** The attributes a review's spec asks about (exactly one of the two kinds). */
function attributesOf(kind: string, spec: JsonObject, namespace?: string): RequestAttributes {
  const res = isObject(spec.resourceAttributes) ? spec.resourceAttributes : undefined;
  const non = isObject(spec.nonResourceAttributes) ? spec.nonResourceAttributes : undefined;
  if ((res === undefined) === (non === undefined)) {
    throw invalid(kind, AUTHORIZATION, '', [
      {
        reason: 'FieldValueRequired',
        field: 'spec.resourceAttributes',
        message: `Required value: exactly one of nonResourceAttributes or resourceAttributes must be specified`,
      },
    ]);
  }
  if (non) return { resourceRequest: false, verb: str(non.verb), path: str(non.path) };
  const r = res!;
  if (namespace !== undefined && str(r.namespace) !== namespace) {
    throw invalid(kind, AUTHORIZATION, '', [
      {
        reason: 'FieldValueInvalid',
        field: 'spec.resourceAttributes.namespace',
        message: `Invalid value: "${str(r.namespace)}": must match metadata.namespace`,
      },
    ]);
  }
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

function accessStatus(storage: Storage, user: UserInfo, a: RequestAttributes): JsonObject {
  const d = authorize(storage, user, a);
  const status: JsonObject = { allowed: d.allowed };
  if (d.reason) status.reason = d.reason;
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
  namespace?: string,
): JsonObject {
  const body = bodyOf(raw, kind, `${AUTHORIZATION}/v1`);
  const spec = isObject(body.spec) ? body.spec : {};
  const a = attributesOf(kind, spec, namespace);
  const groups = Array.isArray(spec.groups)
    ? spec.groups.filter((g): g is string => typeof g === 'string')
    : [];
  const username = str(spec.user);
  if (!username && groups.length === 0) {
    throw invalid(kind, AUTHORIZATION, '', [
      {
        reason: 'FieldValueRequired',
        field: 'spec.user',
        message: 'Required value: at least one of user or group must be specified',
      },
    ]);
  }
  const user: UserInfo = { username, groups };
  return answered(body, kind, accessStatus(storage, user, a));
}

/** `POST selfsubjectaccessreviews`: may I do that? */
export function selfSubjectAccessReview(storage: Storage, user: UserInfo, raw: Json): JsonObject {
  const kind = 'SelfSubjectAccessReview';
  const body = bodyOf(raw, kind, `${AUTHORIZATION}/v1`);
  const a = attributesOf(kind, isObject(body.spec) ? body.spec : {});
  return answered(body, kind, accessStatus(storage, user, a));
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
