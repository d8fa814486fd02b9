/**
 * Service account tokens, as kube-apiserver issues and reviews them: `POST
 * serviceaccounts/{name}/token` (TokenRequest) answers a JWT signed by the server's
 * {@link ServiceAccountIssuer}, with kube-apiserver's claims (`iss`, `sub`, `aud`, `iat`,
 * `nbf`, `exp`, `jti` and the private `kubernetes.io` claim naming the ServiceAccount and
 * the Pod, Secret or Node the token is bound to); `POST tokenreviews` (TokenReview) and
 * every request's bearer token are authenticated against the same issuer.
 */
import { randomUUID } from 'node:crypto';
import { badRequest, conflict, HttpStatusError, invalid, notFound } from '../errors.js';
import { fieldsOf, toFieldsV1 } from '../field-set.js';
import { goQuotedList } from '../go-print.js';
import { isObject, type Json, type JsonObject, optNum, strings } from '../json.js';
import { metaOf } from '../object-meta.js';
import type { ApiState } from '../state.js';
import { timestamp } from '../state.js';
import { objectKey } from '../storage.js';
import { getStored, type Scope } from '../write-scope.js';
import { issuerOf } from './issuer.js';
import { TokenCache } from './token-cache.js';
import {
  AUTHENTICATED,
  serviceAccountGroups,
  serviceAccountUsername,
  type UserInfo,
} from './user.js';

const DEFAULT_EXPIRATION_S = 3600;
const MIN_EXPIRATION_S = 600;
const MAX_EXPIRATION_S = 2 ** 32;
/** The expiration the kubelet requests for projected tokens, which kube-apiserver extends. */
const KUBELET_EXPIRATION_S = 3607;
/** What it extends them to: a year. */
const EXTENDED_EXPIRATION_S = 365 * 24 * 3600;
/** kube-apiserver's clock leeway for `exp`, `nbf` and bound objects' deletion (go-jose's default). */
const LEEWAY_S = 60;

/** A stored core/v1 object, or undefined. */
function stored(s: ApiState, plural: string, namespace: string, name: string) {
  return s.storage.get(plural, objectKey(namespace, name));
}

/** What a token is bound to: its `kubernetes.io` claims beside the ServiceAccount. */
interface Binding {
  pod?: { name: string; uid: string };
  secret?: { name: string; uid: string };
  node?: { name: string; uid?: string };
}

/**
 * The object a TokenRequest's `boundObjectRef` names, as kube-apiserver resolves it: a
 * Pod of this ServiceAccount (with the Node it runs on), a Secret, or a Node; its uid
 * must match the reference's when one is given.
 */
function bind(s: ApiState, namespace: string, account: string, ref: JsonObject): Binding {
  const kind = String(ref.kind ?? '');
  const apiVersion = String(ref.apiVersion ?? '');
  const name = String(ref.name ?? '');
  const group = apiVersion.includes('/') ? apiVersion.slice(0, apiVersion.indexOf('/')) : '';
  const find = (plural: string, ns: string) => {
    const obj = stored(s, plural, ns, name);
    if (!obj) throw notFound({ group: '', plural, name });
    return obj;
  };
  let binding: Binding;
  let uid: string;
  if (group === '' && kind === 'Pod') {
    const pod = find('pods', namespace);
    const spec = isObject(pod.spec) ? pod.spec : {};
    if (spec.serviceAccountName !== account) {
      throw badRequest(
        `cannot bind token for serviceaccount "${account}" to pod running with different serviceaccount name.`,
      );
    }
    uid = String(metaOf(pod).uid ?? '');
    binding = { pod: { name, uid } };
    const nodeName = typeof spec.nodeName === 'string' ? spec.nodeName : '';
    if (nodeName) {
      const node = stored(s, 'nodes', '', nodeName);
      binding.node = node
        ? { name: nodeName, uid: String(metaOf(node).uid ?? '') }
        : { name: nodeName };
    }
  } else if (group === '' && kind === 'Secret') {
    uid = String(metaOf(find('secrets', namespace)).uid ?? '');
    binding = { secret: { name, uid } };
  } else if (group === '' && kind === 'Node') {
    uid = String(metaOf(find('nodes', '')).uid ?? '');
    binding = { node: { name, uid } };
  } else {
    const gvk = `${apiVersion.includes('/') ? apiVersion : `/${apiVersion}`}, Kind=${kind}`;
    throw badRequest(`cannot bind token to object of type ${gvk}`);
  }
  if (typeof ref.uid === 'string' && ref.uid !== '' && ref.uid !== uid) {
    throw conflict(
      { group, plural: kind, name },
      `the UID in the bound object reference (${ref.uid}) does not match the UID in record. The object might have been deleted and then recreated`,
    );
  }
  return binding;
}

/** The `boundObjectRef` as kube-apiserver echoes it (its known fields, empty ones left out). */
function echoedRef(ref: JsonObject): JsonObject {
  const out: JsonObject = {};
  for (const k of ['kind', 'apiVersion', 'name', 'uid']) {
    if (typeof ref[k] === 'string' && ref[k] !== '') out[k] = ref[k];
  }
  return out;
}

/** The labels and annotations a TokenRequest's body gives, which kube-apiserver echoes. */
function givenMaps(metadata: JsonObject): JsonObject {
  const out: JsonObject = {};
  for (const k of ['labels', 'annotations']) {
    if (isObject(metadata[k]) && Object.keys(metadata[k]).length)
      out[k] = structuredClone(metadata[k]);
  }
  return out;
}

/**
 * The managedFields kube-apiserver's create handler gives the answer: an `Update` of the
 * `token` subresource by `manager`, owning the labels and annotations and the spec fields
 * the request set (with the defaulted `expirationSeconds`).
 */
function managedFields(
  maps: JsonObject,
  spec: JsonObject,
  seconds: number,
  manager: string,
  time: string,
): Json[] {
  const noRules = () => undefined;
  const owned = new Set([
    ...(Object.keys(maps).length ? fieldsOf({ metadata: maps }, noRules, true) : []),
    ...fieldsOf({ spec: { ...structuredClone(spec), expirationSeconds: seconds } }, noRules),
  ]);
  return [
    {
      manager,
      operation: 'Update',
      apiVersion: 'authentication.k8s.io/v1',
      time,
      fieldsType: 'FieldsV1',
      fieldsV1: toFieldsV1(owned),
      subresource: 'token',
    },
  ];
}

/**
 * `POST serviceaccounts/{name}/token`: the answered TokenRequest (HTTP 201); `manager` is
 * the request's default field manager.
 */
export function requestToken(
  s: ApiState,
  sc: Scope,
  name: string,
  body: Json,
  manager: string,
): JsonObject {
  if (!isObject(body) || body.kind !== 'TokenRequest') {
    throw badRequest('the body of the request must be an authentication.k8s.io/v1 TokenRequest');
  }
  const given = isObject(body.metadata) ? body.metadata : {};
  const mismatch = (field: 'name' | 'namespace', value: Json | undefined) =>
    invalid('TokenRequest', 'authentication.k8s.io', name, [
      {
        reason: 'FieldValueInvalid',
        field: `metadata.${field}`,
        message: `Invalid value: "${String(value)}": must match the service account ${field} if specified`,
      },
    ]);
  if (typeof given.name === 'string' && given.name !== '' && given.name !== name) {
    throw mismatch('name', given.name);
  }
  if (
    typeof given.namespace === 'string' &&
    given.namespace !== '' &&
    given.namespace !== sc.namespace
  ) {
    throw mismatch('namespace', given.namespace);
  }
  const sa = getStored(s, sc, name);
  const uid = String(metaOf(sa).uid ?? '');
  if (typeof given.uid === 'string' && given.uid !== '' && given.uid !== uid) {
    throw conflict(
      { group: 'authentication.k8s.io', plural: 'TokenRequest', name },
      `the UID in the token request (${given.uid}) does not match the UID of the service account (${uid})`,
    );
  }
  const spec = isObject(body.spec) ? body.spec : {};
  const seconds =
    typeof spec.expirationSeconds === 'number' ? spec.expirationSeconds : DEFAULT_EXPIRATION_S;
  const causes = [];
  if (seconds < MIN_EXPIRATION_S) {
    causes.push('may not specify a duration less than 10 minutes');
  }
  if (seconds > MAX_EXPIRATION_S) {
    causes.push('may not specify a duration larger than 2^32 seconds');
  }
  if (causes.length > 0) {
    // kube-apiserver names no object in this error (its TokenRequest has no name yet).
    throw invalid(
      'TokenRequest',
      'authentication.k8s.io',
      '',
      causes.map((why) => ({
        reason: 'FieldValueInvalid',
        field: 'spec.expirationSeconds',
        message: `Invalid value: ${seconds}: ${why}`,
      })),
    );
  }
  const issuer = issuerOf(s);
  const requested = strings(spec.audiences);
  const aud = requested.length > 0 ? requested : issuer.audiences;
  const ref = isObject(spec.boundObjectRef) ? spec.boundObjectRef : undefined;
  const binding = ref ? bind(s, sc.namespace, name, ref) : {};
  const created = new Date();
  const now = Math.floor(created.getTime() / 1000);
  // Claims as kube-apiserver's JWT library writes them: every object's keys sorted.
  const k8s: JsonObject = { namespace: sc.namespace };
  if (binding.node) k8s.node = { ...binding.node };
  if (binding.pod) k8s.pod = { ...binding.pod };
  if (binding.secret) k8s.secret = { ...binding.secret };
  k8s.serviceaccount = { name, uid };
  // kube-apiserver's `--service-account-extend-token-expiration` (on by default): a
  // Pod-bound token for its own audiences requested for the kubelet's 3607 s lives a
  // year, with `warnafter` at the requested time.
  const extended =
    binding.pod !== undefined &&
    seconds === KUBELET_EXPIRATION_S &&
    aud.every((a) => issuer.audiences.includes(a));
  if (extended) k8s.warnafter = now + seconds;
  const token = issuer.sign({
    aud,
    exp: now + (extended ? EXTENDED_EXPIRATION_S : seconds),
    iat: now,
    iss: issuer.url,
    jti: randomUUID(),
    'kubernetes.io': k8s,
    nbf: now,
    sub: serviceAccountUsername(sc.namespace, name),
  });
  return {
    kind: 'TokenRequest',
    apiVersion: 'authentication.k8s.io/v1',
    metadata: {
      name,
      namespace: sc.namespace,
      uid,
      creationTimestamp: timestamp(created),
      ...givenMaps(given),
      managedFields: managedFields(givenMaps(given), spec, seconds, manager, timestamp(created)),
    },
    spec: {
      audiences: aud,
      expirationSeconds: seconds,
      boundObjectRef: ref ? echoedRef(ref) : null,
    },
    status: {
      token,
      expirationTimestamp: timestamp(new Date(created.getTime() + seconds * 1000)),
    },
  };
}

/** A service account token's user and the audiences it was accepted for. */
export interface AuthenticatedToken {
  readonly user: UserInfo;
  readonly audiences: string[];
}

/** True unless an object was marked for deletion longer ago than the leeway. */
function notDeleted(obj: JsonObject, now: number): boolean {
  const since = metaOf(obj).deletionTimestamp;
  return typeof since !== 'string' || Date.parse(since) / 1000 >= now - LEEWAY_S;
}

const INVALIDATED = 'service account token has been invalidated';

/**
 * Why a token's bound object no longer vouches for it, in kube-apiserver's words, or
 * undefined while it exists with the uid the token names (not deleted beyond the leeway)
 * or when the token names none.
 */
function boundObjectProblem(
  s: ApiState,
  kind: 'secret' | 'pod' | 'node',
  namespace: string,
  ref: Json | undefined,
  now: number,
): string | undefined {
  if (!isObject(ref)) return undefined;
  const obj = stored(s, `${kind}s`, namespace, String(ref.name ?? ''));
  if (!obj) return INVALIDATED;
  const uid = String(metaOf(obj).uid ?? '');
  if (uid !== ref.uid) {
    return `${kind} UID (${uid}) does not match service account ${kind} ref claim (${String(ref.uid ?? '')})`;
  }
  return notDeleted(obj, now) ? undefined : INVALIDATED;
}

/** A token's verdict: its user, or why it was refused (undefined: not a token of this server's). */
export type TokenVerdict =
  | { readonly accepted: AuthenticatedToken }
  | { readonly rejected: string | undefined };

const caches = new WeakMap<ApiState, TokenCache<TokenVerdict>>();

/**
 * Authenticates a service account token as kube-apiserver's authenticator does, in its
 * order: this server's issuer and signature, an audience shared with `wanted` (the
 * server's own audiences when empty), the `nbf`..`exp` window (with the leeway), its
 * ServiceAccount and bound object still existing with the uids it names. A refusal says
 * why in kube-apiserver's words, which never include the token. A success is cached for
 * 10 seconds, as kube-apiserver caches it (token-cache.ts).
 */
export function authenticateToken(
  s: ApiState,
  saScope: Omit<Scope, 'namespace'>,
  token: string,
  wanted: string[] = [],
): TokenVerdict {
  let cache = caches.get(s);
  if (!cache) {
    cache = new TokenCache();
    caches.set(s, cache);
  }
  const cached = cache.get(token, wanted);
  if (cached) return cached;
  const verdict = verifyToken(s, saScope, token, wanted);
  if ('accepted' in verdict) cache.set(token, wanted, verdict);
  return verdict;
}

/** {@link authenticateToken} without the cache. */
function verifyToken(
  s: ApiState,
  saScope: Omit<Scope, 'namespace'>,
  token: string,
  wanted: string[],
): TokenVerdict {
  const issuer = issuerOf(s);
  const verified = issuer.verify(token);
  if (!('claims' in verified)) return verified;
  const { claims } = verified;
  const tokenAudiences = strings(claims.aud).length ? strings(claims.aud) : issuer.audiences;
  const requested = wanted.length > 0 ? wanted : issuer.audiences;
  const audiences = requested.filter((a) => tokenAudiences.includes(a));
  if (audiences.length === 0) {
    return {
      rejected: `token audiences ${goQuotedList(tokenAudiences)} is invalid for the target audiences ${goQuotedList(requested)}`,
    };
  }
  const now = Date.now() / 1000;
  if ((optNum(claims.nbf) ?? -Infinity) - LEEWAY_S > now) {
    return { rejected: 'service account token is not valid yet' };
  }
  if ((optNum(claims.exp) ?? Infinity) + LEEWAY_S < now) {
    return { rejected: 'service account token has expired' };
  }
  if ((optNum(claims.iat) ?? -Infinity) - LEEWAY_S > now) {
    return { rejected: 'service account token is issued in the future' };
  }
  const k8s = isObject(claims['kubernetes.io']) ? claims['kubernetes.io'] : {};
  const namespace = String(k8s.namespace ?? '');
  const account = isObject(k8s.serviceaccount) ? k8s.serviceaccount : {};
  const name = String(account.name ?? '');
  let sa: JsonObject;
  try {
    sa = getStored(s, { ...saScope, namespace }, name);
  } catch (e) {
    if (e instanceof HttpStatusError) return { rejected: e.message };
    throw e;
  }
  const uid = String(metaOf(sa).uid ?? '');
  if (uid !== account.uid) {
    return {
      rejected: `service account UID (${uid}) does not match claim (${String(account.uid ?? '')})`,
    };
  }
  if (!notDeleted(sa, now)) {
    return { rejected: `service account ${namespace}/${name} has been deleted` };
  }
  const problem =
    boundObjectProblem(s, 'secret', namespace, k8s.secret, now) ??
    boundObjectProblem(s, 'pod', namespace, k8s.pod, now) ??
    (isObject(k8s.pod) ? undefined : boundObjectProblem(s, 'node', '', k8s.node, now));
  if (problem) return { rejected: problem };
  // The user's extra as kube-apiserver lists it (keys sorted).
  const extra: Record<string, string[]> = {
    'authentication.kubernetes.io/credential-id': [`JTI=${String(claims.jti ?? '')}`],
  };
  const node = isObject(k8s.node) ? k8s.node : undefined;
  if (node) {
    extra['authentication.kubernetes.io/node-name'] = [String(node.name ?? '')];
    if (typeof node.uid === 'string') extra['authentication.kubernetes.io/node-uid'] = [node.uid];
  }
  const pod = isObject(k8s.pod) ? k8s.pod : undefined;
  if (pod) {
    extra['authentication.kubernetes.io/pod-name'] = [String(pod.name ?? '')];
    extra['authentication.kubernetes.io/pod-uid'] = [String(pod.uid ?? '')];
  }
  return {
    accepted: {
      user: {
        username: serviceAccountUsername(namespace, name),
        uid,
        groups: [...serviceAccountGroups(namespace), AUTHENTICATED],
        extra,
      },
      audiences,
    },
  };
}

/**
 * `POST tokenreviews`: the TokenReview with its status (see {@link authenticateToken});
 * a rejected token's status says so as kube-apiserver's does, without the token.
 */
export function reviewToken(
  s: ApiState,
  saScope: Omit<Scope, 'namespace'>,
  body: Json,
): JsonObject {
  if (!isObject(body) || body.kind !== 'TokenReview') {
    throw badRequest('the body of the request must be an authentication.k8s.io/v1 TokenReview');
  }
  const spec = isObject(body.spec) ? body.spec : {};
  const answer = (status: JsonObject): JsonObject => ({
    kind: 'TokenReview',
    apiVersion: 'authentication.k8s.io/v1',
    metadata: isObject(body.metadata) ? body.metadata : {},
    spec,
    status,
  });
  const token = typeof spec.token === 'string' ? spec.token : '';
  const verdict = authenticateToken(s, saScope, token, strings(spec.audiences));
  if (!('accepted' in verdict)) {
    const why = verdict.rejected;
    return answer({
      user: {},
      error: why === undefined ? 'invalid bearer token' : `[invalid bearer token, ${why}]`,
    });
  }
  const ok = verdict.accepted;
  return answer({
    authenticated: true,
    user: ok.user as unknown as JsonObject,
    audiences: ok.audiences,
  });
}
