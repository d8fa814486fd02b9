/**
 * Service account tokens, as kube-apiserver issues and reviews them: `POST
 * serviceaccounts/{name}/token` (TokenRequest) answers a signed JWT bound to the
 * ServiceAccount's uid and the requested audiences; `POST tokenreviews` (TokenReview)
 * authenticates one. Tokens are HS256-signed with a key of this server (kube-apiserver
 * uses RS256 with its service-account key; clients must treat tokens as opaque either way).
 */
import { createHmac, randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';
import { badRequest, invalid } from '../errors.js';
import { isObject, type Json, type JsonObject } from '../json.js';
import { metaOf } from '../object-meta.js';
import type { ApiState } from '../state.js';
import { timestamp } from '../state.js';
import { getStored, type Scope } from '../write-scope.js';
import {
  AUTHENTICATED,
  serviceAccountGroups,
  serviceAccountUsername,
  type UserInfo,
} from './user.js';

/** The audience of tokens requested without one (the API server's own). */
export const API_AUDIENCE = 'https://kubernetes.default.svc.cluster.local';
const ISSUER = API_AUDIENCE;
const DEFAULT_EXPIRATION_S = 3600;
const MIN_EXPIRATION_S = 600;

const keys = new WeakMap<ApiState, Buffer>();

function keyOf(s: ApiState): Buffer {
  let key = keys.get(s);
  if (!key) {
    key = randomBytes(32);
    keys.set(s, key);
  }
  return key;
}

const b64 = (v: Buffer | string) => Buffer.from(v).toString('base64url');

function sign(s: ApiState, claims: JsonObject): string {
  const head = `${b64(JSON.stringify({ alg: 'HS256', typ: 'JWT' }))}.${b64(JSON.stringify(claims))}`;
  return `${head}.${b64(createHmac('sha256', keyOf(s)).update(head).digest())}`;
}

function verify(s: ApiState, token: string): JsonObject | undefined {
  const parts = token.split('.');
  if (parts.length !== 3) return undefined;
  const want = createHmac('sha256', keyOf(s)).update(`${parts[0]}.${parts[1]}`).digest();
  const got = Buffer.from(parts[2]!, 'base64url');
  if (got.length !== want.length || !timingSafeEqual(got, want)) return undefined;
  try {
    const claims: unknown = JSON.parse(Buffer.from(parts[1]!, 'base64url').toString('utf8'));
    return isObject(claims) ? claims : undefined;
  } catch {
    return undefined;
  }
}

function strings(v: Json | undefined): string[] {
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
}

/** `POST serviceaccounts/{name}/token`: the answered TokenRequest (HTTP 201). */
export function requestToken(s: ApiState, sc: Scope, name: string, body: Json): JsonObject {
  if (!isObject(body) || body.kind !== 'TokenRequest') {
    throw badRequest('the body of the request must be an authentication.k8s.io/v1 TokenRequest');
  }
  const sa = getStored(s, sc, name);
  const spec = isObject(body.spec) ? body.spec : {};
  const requested = spec.expirationSeconds;
  const seconds = typeof requested === 'number' ? requested : DEFAULT_EXPIRATION_S;
  if (seconds < MIN_EXPIRATION_S) {
    throw invalid('TokenRequest', 'authentication.k8s.io', name, [
      {
        reason: 'FieldValueInvalid',
        field: 'spec.expirationSeconds',
        message: `Invalid value: ${seconds}: may not specify a duration less than 10 minutes`,
      },
    ]);
  }
  const audiences = strings(spec.audiences);
  const aud = audiences.length > 0 ? audiences : [API_AUDIENCE];
  const now = Math.floor(Date.now() / 1000);
  const meta = metaOf(sa);
  const token = sign(s, {
    aud,
    exp: now + seconds,
    iat: now,
    iss: ISSUER,
    jti: randomUUID(),
    'kubernetes.io': {
      namespace: sc.namespace,
      serviceaccount: { name, uid: String(meta.uid ?? '') },
    },
    nbf: now,
    sub: `system:serviceaccount:${sc.namespace}:${name}`,
  });
  return {
    kind: 'TokenRequest',
    apiVersion: 'authentication.k8s.io/v1',
    metadata: { name, namespace: sc.namespace, creationTimestamp: null },
    spec: {
      audiences: aud,
      expirationSeconds: seconds,
      boundObjectRef: isObject(spec.boundObjectRef) ? spec.boundObjectRef : null,
    },
    status: { token, expirationTimestamp: timestamp(new Date((now + seconds) * 1000)) },
  };
}

/** A service account token's user and the audiences it was accepted for. */
export interface AuthenticatedToken {
  readonly user: UserInfo;
  readonly audiences: string[];
}

/**
 * Authenticates a service account token: its signature is this server's, it has not
 * expired, its ServiceAccount still exists with the same uid, and it shares an audience
 * with `wanted` (the API server's own when empty). Undefined otherwise (never says why:
 * the token must not reach a message).
 */
export function authenticateToken(
  s: ApiState,
  saScope: Omit<Scope, 'namespace'>,
  token: string,
  wanted: string[] = [],
): AuthenticatedToken | undefined {
  const claims = verify(s, token);
  if (!claims || typeof claims.exp !== 'number' || claims.exp <= Date.now() / 1000) {
    return undefined;
  }
  const audiences = (wanted.length > 0 ? wanted : [API_AUDIENCE]).filter((a) =>
    strings(claims.aud).includes(a),
  );
  if (audiences.length === 0) return undefined;
  const k8s = isObject(claims['kubernetes.io']) ? claims['kubernetes.io'] : {};
  const namespace = String(k8s.namespace ?? '');
  const account = isObject(k8s.serviceaccount) ? k8s.serviceaccount : {};
  const name = String(account.name ?? '');
  let uid: string;
  try {
    uid = String(metaOf(getStored(s, { ...saScope, namespace }, name)).uid ?? '');
  } catch {
    return undefined;
  }
  if (uid !== account.uid) return undefined;
  return {
    user: {
      username: serviceAccountUsername(namespace, name),
      uid,
      groups: [...serviceAccountGroups(namespace), AUTHENTICATED],
      extra: { 'authentication.kubernetes.io/credential-id': [`JTI=${String(claims.jti ?? '')}`] },
    },
    audiences,
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
    metadata: { creationTimestamp: null },
    spec,
    status,
  });
  const token = typeof spec.token === 'string' ? spec.token : '';
  const ok = authenticateToken(s, saScope, token, strings(spec.audiences));
  if (!ok) return answer({ user: {}, error: '[invalid bearer token, token lookup failed]' });
  return answer({
    authenticated: true,
    user: ok.user as unknown as JsonObject,
    audiences: ok.audiences,
  });
}
