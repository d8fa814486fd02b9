/**
 * Differential: service-account tokens as kube-apiserver issues them: ES256 JWTs signed
 * with the server's key and verifiable with its published key set, the issuer's OpenID
 * discovery documents, TokenRequest's answer, default audience (the issuer) and
 * expiration bounds (422s), the claims (`kubernetes.io` with the bound Secret or Pod),
 * and TokenReview of audiences and of a token whose bound object is gone.
 */
import { createPublicKey, verify } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { anonymous, withToken } from './credentials.js';
import { raw } from './raw-http.js';
import { type E2eContext, EVENTUALLY, startE2e } from './support.js';

let e2e: E2eContext;
let ns: string;
let saUid: string;
const admin = () => e2e.backend.kubeConfig;
const tokenPath = () => `/api/v1/namespaces/${ns}/serviceaccounts/operator/token`;

const segment = (token: string, i: number) =>
  JSON.parse(Buffer.from(token.split('.')[i]!, 'base64url').toString('utf8'));

async function tokenRequest(spec: object, metadata: object = {}) {
  return raw(admin(), 'POST', tokenPath(), {
    body: { apiVersion: 'authentication.k8s.io/v1', kind: 'TokenRequest', metadata, spec },
  });
}

async function review(token: string, audiences?: string[]) {
  const res = await raw(admin(), 'POST', '/apis/authentication.k8s.io/v1/tokenreviews', {
    body: {
      apiVersion: 'authentication.k8s.io/v1',
      kind: 'TokenReview',
      spec: { token, ...(audiences ? { audiences } : {}) },
    },
  });
  expect(res.status).toBe(201);
  return res.json().status;
}

beforeAll(async () => {
  e2e = await startE2e({ tls: true });
  ns = await e2e.namespace('e2e-tokens');
  const sa = await raw(admin(), 'POST', `/api/v1/namespaces/${ns}/serviceaccounts`, {
    body: { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'operator' } },
  });
  expect(sa.status).toBe(201);
  saUid = sa.json().metadata.uid;
});

afterAll(async () => {
  await e2e?.stop();
});

describe('service-account tokens', () => {
  test('TokenRequest answers an ES256 token for the issuer, with the real claims', async () => {
    const res = await tokenRequest({});
    expect(res.status).toBe(201);
    const body = res.json();
    const issuer = admin().getCurrentCluster()!.server.replace(/\/$/, '');
    expect(body.metadata).toEqual({
      name: 'operator',
      namespace: ns,
      uid: saUid,
      creationTimestamp: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/),
      managedFields: [
        {
          manager: 'unknown',
          operation: 'Update',
          apiVersion: 'authentication.k8s.io/v1',
          time: body.metadata.creationTimestamp,
          fieldsType: 'FieldsV1',
          fieldsV1: { 'f:spec': { 'f:expirationSeconds': {} } },
          subresource: 'token',
        },
      ],
    });
    expect(body.spec).toEqual({
      audiences: [issuer],
      expirationSeconds: 3600,
      boundObjectRef: null,
    });
    const token: string = body.status.token;
    expect(segment(token, 0)).toEqual({ alg: 'ES256', kid: expect.stringMatching(/^[\w-]{43}$/) });
    const claims = segment(token, 1);
    expect(Object.keys(claims)).toEqual([
      'aud',
      'exp',
      'iat',
      'iss',
      'jti',
      'kubernetes.io',
      'nbf',
      'sub',
    ]);
    expect(claims).toMatchObject({
      aud: [issuer],
      iss: issuer,
      sub: `system:serviceaccount:${ns}:operator`,
      'kubernetes.io': { namespace: ns, serviceaccount: { name: 'operator', uid: saUid } },
    });
    expect(Object.keys(claims['kubernetes.io'])).toEqual(['namespace', 'serviceaccount']);
    expect(claims.jti).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    expect(claims.nbf).toBe(claims.iat);
    expect(claims.exp - claims.iat).toBe(3600);
    expect(Date.parse(body.status.expirationTimestamp) / 1000).toBe(claims.exp);
  });

  test('labels and annotations of the request are echoed and owned by the requester', async () => {
    const res = await tokenRequest(
      { audiences: ['https://vault.example'] },
      {
        labels: { app: 'x' },
        annotations: { note: 'y' },
      },
    );
    expect(res.status).toBe(201);
    const { labels, annotations, managedFields } = res.json().metadata;
    expect({ labels, annotations }).toEqual({ labels: { app: 'x' }, annotations: { note: 'y' } });
    expect(managedFields[0].fieldsV1).toEqual({
      'f:metadata': {
        'f:annotations': { '.': {}, 'f:note': {} },
        'f:labels': { '.': {}, 'f:app': {} },
      },
      'f:spec': { 'f:audiences': {}, 'f:expirationSeconds': {} },
    });
  });

  test('the issuer discovery documents name the issuer and publish the key that signs', async () => {
    const config = await raw(admin(), 'GET', '/.well-known/openid-configuration');
    expect(config.status).toBe(200);
    expect(config.headers['content-type']).toBe('application/json');
    expect(config.headers['cache-control']).toBe('public, max-age=3600');
    const issuer = admin().getCurrentCluster()!.server.replace(/\/$/, '');
    expect(config.json()).toEqual({
      issuer,
      jwks_uri: `${issuer}/openid/v1/jwks`,
      response_types_supported: ['id_token'],
      subject_types_supported: ['public'],
      id_token_signing_alg_values_supported: ['ES256'],
    });
    const jwks = await raw(admin(), 'GET', '/openid/v1/jwks', { accept: '*/*' });
    expect(jwks.status).toBe(200);
    expect(jwks.headers['content-type']).toBe('application/jwk-set+json');
    expect(jwks.headers['cache-control']).toBe('public, max-age=3600');
    const { keys } = jwks.json();
    expect(keys).toHaveLength(1);
    expect(keys[0]).toEqual({
      use: 'sig',
      kty: 'EC',
      kid: expect.any(String),
      crv: 'P-256',
      alg: 'ES256',
      x: expect.any(String),
      y: expect.any(String),
    });
    const token: string = (await tokenRequest({})).json().status.token;
    expect(keys[0].kid).toBe(segment(token, 0).kid);
    const [head, payload, signature] = token.split('.');
    const key = createPublicKey({ key: keys[0], format: 'jwk' });
    const signed = Buffer.from(`${head}.${payload}`);
    const sig = Buffer.from(signature!, 'base64url');
    expect(verify('sha256', signed, { key, dsaEncoding: 'ieee-p1363' }, sig)).toBe(true);
    // Service accounts may read them (system:service-account-issuer-discovery); anonymous may not.
    const asOperator = withToken(admin(), token);
    expect((await raw(asOperator, 'GET', '/openid/v1/jwks', { accept: '*/*' })).status).toBe(200);
    expect((await raw(anonymous(admin()), 'GET', '/.well-known/openid-configuration')).status).toBe(
      403,
    );
  });

  test('requested audiences and expiration; a token for another audience is not for the API', async () => {
    const res = await tokenRequest({
      audiences: ['https://vault.example'],
      expirationSeconds: 7200,
    });
    expect(res.status).toBe(201);
    expect(res.json().spec).toMatchObject({
      audiences: ['https://vault.example'],
      expirationSeconds: 7200,
    });
    const token: string = res.json().status.token;
    const claims = segment(token, 1);
    expect(claims.aud).toEqual(['https://vault.example']);
    expect(claims.exp - claims.iat).toBe(7200);
    const accepted = await review(token, ['https://vault.example', 'https://other.example']);
    expect(accepted).toMatchObject({
      authenticated: true,
      audiences: ['https://vault.example'],
      user: { username: `system:serviceaccount:${ns}:operator`, uid: saUid },
    });
    expect(Object.keys(accepted.user.extra)).toEqual([
      'authentication.kubernetes.io/credential-id',
    ]);
    const issuer = admin().getCurrentCluster()!.server.replace(/\/$/, '');
    expect(await review(token)).toEqual({
      user: {},
      error: `[invalid bearer token, token audiences ["https://vault.example"] is invalid for the target audiences ["${issuer}"]]`,
    });
    expect((await raw(withToken(admin(), token), 'GET', `/api/v1/namespaces/${ns}`)).status).toBe(
      401,
    );
  });

  test('expirationSeconds out of bounds, or a body naming another object, is refused', async () => {
    for (const [seconds, why] of [
      [599, 'may not specify a duration less than 10 minutes'],
      [2 ** 32 + 1, 'may not specify a duration larger than 2^32 seconds'],
    ] as const) {
      const res = await tokenRequest({ expirationSeconds: seconds });
      expect(res.status).toBe(422);
      const message = `spec.expirationSeconds: Invalid value: ${seconds}: ${why}`;
      expect(res.json()).toMatchObject({
        reason: 'Invalid',
        message: `TokenRequest.authentication.k8s.io "" is invalid: ${message}`,
        details: {
          group: 'authentication.k8s.io',
          kind: 'TokenRequest',
          causes: [
            {
              reason: 'FieldValueInvalid',
              field: 'spec.expirationSeconds',
              message: `Invalid value: ${seconds}: ${why}`,
            },
          ],
        },
      });
      expect(res.json().details.name).toBeUndefined();
    }
    const named = await tokenRequest({}, { name: 'someone-else' });
    expect(named.status).toBe(422);
    expect(named.json().message).toBe(
      'TokenRequest.authentication.k8s.io "operator" is invalid: metadata.name: Invalid value: "someone-else": must match the service account name if specified',
    );
    const uid = await tokenRequest({}, { uid: '00000000-0000-0000-0000-000000000000' });
    expect(uid.status).toBe(409);
    expect(uid.json().message).toBe(
      `Operation cannot be fulfilled on TokenRequest.authentication.k8s.io "operator": the UID in the token request (00000000-0000-0000-0000-000000000000) does not match the UID of the service account (${saUid})`,
    );
  });

  test('a token bound to a Secret names it, and dies with it', async () => {
    const secret = await raw(admin(), 'POST', `/api/v1/namespaces/${ns}/secrets`, {
      body: { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'bound' } },
    });
    expect(secret.status).toBe(201);
    const secretUid = secret.json().metadata.uid;
    const res = await tokenRequest({
      boundObjectRef: { kind: 'Secret', apiVersion: 'v1', name: 'bound' },
    });
    expect(res.status).toBe(201);
    expect(res.json().metadata.managedFields[0].fieldsV1).toEqual({
      'f:spec': {
        'f:boundObjectRef': { 'f:apiVersion': {}, 'f:kind': {}, 'f:name': {} },
        'f:expirationSeconds': {},
      },
    });
    expect(res.json().spec.boundObjectRef).toEqual({
      kind: 'Secret',
      apiVersion: 'v1',
      name: 'bound',
    });
    const token: string = res.json().status.token;
    expect(segment(token, 1)['kubernetes.io']).toEqual({
      namespace: ns,
      secret: { name: 'bound', uid: secretUid },
      serviceaccount: { name: 'operator', uid: saUid },
    });
    expect((await review(token)).authenticated).toBe(true);
    const wrongUid = await tokenRequest({
      boundObjectRef: { kind: 'Secret', apiVersion: 'v1', name: 'bound', uid: 'not-its-uid' },
    });
    expect(wrongUid.status).toBe(409);
    expect(wrongUid.json().message).toBe(
      'Operation cannot be fulfilled on Secret "bound": the UID in the bound object reference (not-its-uid) does not match the UID in record. The object might have been deleted and then recreated',
    );
    const unseen: string = (
      await tokenRequest({ boundObjectRef: { kind: 'Secret', apiVersion: 'v1', name: 'bound' } })
    ).json().status.token;
    expect((await raw(admin(), 'DELETE', `/api/v1/namespaces/${ns}/secrets/bound`)).status).toBe(
      200,
    );
    // kube-apiserver remembers a successful authentication for 10 seconds: the token
    // reviewed above still passes for now, one never authenticated fails at once.
    expect((await review(token)).authenticated).toBe(true);
    expect((await review(unseen)).error).toBe(
      '[invalid bearer token, service account token has been invalidated]',
    );
    await expect
      .poll(async () => (await review(token)).error, EVENTUALLY)
      .toBe('[invalid bearer token, service account token has been invalidated]');
  });

  test('TokenReview says why a token is refused, in the real words and without the token', async () => {
    expect(await review('not-a-token')).toEqual({ user: {}, error: 'invalid bearer token' });
    const [head, payload] = (await tokenRequest({})).json().status.token.split('.');
    const otherSignature = (await tokenRequest({})).json().status.token.split('.')[2];
    expect((await review(`${head}.${payload}.${otherSignature}`)).error).toBe(
      '[invalid bearer token, go-jose/go-jose: error in cryptographic primitive]',
    );
    const sa = await raw(admin(), 'POST', `/api/v1/namespaces/${ns}/serviceaccounts`, {
      body: { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'short-lived' } },
    });
    expect(sa.status).toBe(201);
    const issued = await raw(
      admin(),
      'POST',
      `/api/v1/namespaces/${ns}/serviceaccounts/short-lived/token`,
      { body: { apiVersion: 'authentication.k8s.io/v1', kind: 'TokenRequest', spec: {} } },
    );
    const token: string = issued.json().status.token;
    expect((await review(token)).authenticated).toBe(true);
    const gone = await raw(
      admin(),
      'DELETE',
      `/api/v1/namespaces/${ns}/serviceaccounts/short-lived`,
    );
    expect(gone.status).toBe(200);
    await expect
      .poll(async () => (await review(token)).error, EVENTUALLY)
      .toBe('[invalid bearer token, serviceaccounts "short-lived" not found]');
  });

  test('a token bound to a Pod names it in its claims and its user; other bindings are refused', async () => {
    const pod = (name: string, serviceAccountName: string) =>
      raw(admin(), 'POST', `/api/v1/namespaces/${ns}/pods`, {
        body: {
          apiVersion: 'v1',
          kind: 'Pod',
          metadata: { name },
          spec: { serviceAccountName, containers: [{ name: 'c', image: 'busybox' }] },
        },
      });
    const mine = await pod('mine', 'operator');
    expect(mine.status).toBe(201);
    const podUid = mine.json().metadata.uid;
    expect((await pod('theirs', 'default')).status).toBe(201);
    const res = await tokenRequest({
      boundObjectRef: { kind: 'Pod', apiVersion: 'v1', name: 'mine' },
    });
    expect(res.status).toBe(201);
    const token: string = res.json().status.token;
    expect(segment(token, 1)['kubernetes.io']).toEqual({
      namespace: ns,
      pod: { name: 'mine', uid: podUid },
      serviceaccount: { name: 'operator', uid: saUid },
    });
    const reviewed = await review(token);
    expect(reviewed.user.extra).toEqual({
      'authentication.kubernetes.io/credential-id': [`JTI=${segment(token, 1).jti}`],
      'authentication.kubernetes.io/pod-name': ['mine'],
      'authentication.kubernetes.io/pod-uid': [podUid],
    });
    // A Pod-bound token for the kubelet's 3607 s lives a year, warning after 3607 s.
    const kubelet = await tokenRequest({
      expirationSeconds: 3607,
      boundObjectRef: { kind: 'Pod', apiVersion: 'v1', name: 'mine' },
    });
    const long = segment(kubelet.json().status.token, 1);
    expect(long.exp - long.iat).toBe(365 * 24 * 3600);
    expect(long['kubernetes.io'].warnafter).toBe(long.iat + 3607);
    expect(Date.parse(kubelet.json().status.expirationTimestamp) / 1000).toBe(long.iat + 3607);
    const unbound = segment(
      (await tokenRequest({ expirationSeconds: 3607 })).json().status.token,
      1,
    );
    expect(unbound.exp - unbound.iat).toBe(3607);
    expect(unbound['kubernetes.io'].warnafter).toBeUndefined();
    const theirs = await tokenRequest({
      boundObjectRef: { kind: 'Pod', apiVersion: 'v1', name: 'theirs' },
    });
    expect(theirs.status).toBe(400);
    expect(theirs.json().message).toBe(
      'cannot bind token for serviceaccount "operator" to pod running with different serviceaccount name.',
    );
    const missing = await tokenRequest({
      boundObjectRef: { kind: 'Pod', apiVersion: 'v1', name: 'nope' },
    });
    expect(missing.status).toBe(404);
    expect(missing.json().message).toBe('pods "nope" not found');
    const other = await tokenRequest({
      boundObjectRef: { kind: 'ConfigMap', apiVersion: 'v1', name: 'kube-root-ca.crt' },
    });
    expect(other.status).toBe(400);
    expect(other.json().message).toBe('cannot bind token to object of type /v1, Kind=ConfigMap');
  });
});
