/**
 * Differential: v1.36's constrained impersonation (KEP 5284, the `ConstrainedImpersonation`
 * feature gate, on by default): a requester with `impersonate-on:<mode>:<verb>` on what
 * it does and `impersonate:<mode>` on the ServiceAccount or user may act as them for
 * exactly those verbs, the modes' refusals and their order, and the 400 for groups
 * without a user.
 */
import type { KubeConfig } from '@kubernetes/client-node/dist/config.js';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { asNewServiceAccount } from './credentials.js';
import { raw } from './raw-http.js';
import { grantInNamespace } from './rbac-grant.js';
import { type E2eContext, EVENTUALLY, startE2e } from './support.js';

let e2e: E2eContext;
let ns: string;
let impersonator: KubeConfig;
let me: string;
const RBAC = 'rbac.authorization.k8s.io';
const admin = () => e2e.backend.kubeConfig;
const configMaps = () => `/api/v1/namespaces/${ns}/configmaps`;

async function create(path: string, body: object): Promise<void> {
  const res = await raw(admin(), 'POST', path, { body });
  expect(res.status, res.text).toBe(201);
}

beforeAll(async () => {
  e2e = await startE2e({ tls: true });
  ns = await e2e.namespace('e2e-impersonate');
  impersonator = await asNewServiceAccount(admin(), ns, 'impersonator');
  // Its own ConfigMap (kube-root-ca.crt appears only when kube-controller-manager gets to it).
  await create(configMaps(), { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'data' } });
  for (const name of ['reader', 'other']) {
    await create(`/api/v1/namespaces/${ns}/serviceaccounts`, {
      apiVersion: 'v1',
      kind: 'ServiceAccount',
      metadata: { name },
    });
  }
  me = `system:serviceaccount:${ns}:impersonator`;
  await grantInNamespace(admin(), ns, 'impersonator', me, [
    {
      apiGroups: [''],
      resources: ['configmaps'],
      verbs: ['impersonate-on:serviceaccount:list', 'impersonate-on:user-info:get'],
    },
    {
      apiGroups: ['authentication.k8s.io'],
      resources: ['serviceaccounts'],
      resourceNames: ['reader'],
      verbs: ['impersonate:serviceaccount'],
    },
  ]);
  const reader = `system:serviceaccount:${ns}:reader`;
  const read = [{ apiGroups: [''], resources: ['configmaps'], verbs: ['get', 'list'] }];
  await grantInNamespace(admin(), ns, 'reader', reader, read);
  await grantInNamespace(admin(), ns, 'alice', 'alice', read);
  const name = `${ns}-impersonate-alice`;
  await create(`/apis/${RBAC}/v1/clusterroles`, {
    apiVersion: `${RBAC}/v1`,
    kind: 'ClusterRole',
    metadata: { name },
    rules: [
      {
        apiGroups: ['authentication.k8s.io'],
        resources: ['users'],
        resourceNames: ['alice'],
        verbs: ['impersonate:user-info'],
      },
    ],
  });
  e2e.onStop(() => raw(admin(), 'DELETE', `/apis/${RBAC}/v1/clusterroles/${name}`));
  await create(`/apis/${RBAC}/v1/clusterrolebindings`, {
    apiVersion: `${RBAC}/v1`,
    kind: 'ClusterRoleBinding',
    metadata: { name },
    roleRef: { apiGroup: RBAC, kind: 'ClusterRole', name },
    subjects: [{ kind: 'ServiceAccount', name: 'impersonator', namespace: ns }],
  });
  e2e.onStop(() => raw(admin(), 'DELETE', `/apis/${RBAC}/v1/clusterrolebindings/${name}`));
});

afterAll(async () => {
  await e2e?.stop();
});

const as = (user: string, more: Record<string, string> = {}) => ({
  headers: { 'Impersonate-User': user, ...more },
});

describe('constrained impersonation', () => {
  test('impersonate-on:serviceaccount:list lets it list as that ServiceAccount, and nothing else', async () => {
    const reader = `system:serviceaccount:${ns}:reader`;
    // kube-apiserver's authorizer sees new bindings through its informer: poll.
    await expect
      .poll(
        async () => (await raw(impersonator, 'GET', configMaps(), as(reader))).status,
        EVENTUALLY,
      )
      .toBe(200);
    const listed = await raw(impersonator, 'GET', configMaps(), as(reader));
    expect(
      listed.json().items.map((c: { metadata: { name: string } }) => c.metadata.name),
    ).toContain('data');
    const get = await raw(impersonator, 'GET', `${configMaps()}/data`, as(reader));
    expect(get.status).toBe(403);
    expect(get.json().message).toBe(
      `configmaps "data" is forbidden: User "${me}" cannot impersonate-on:serviceaccount:get resource "configmaps" in API group "" in the namespace "${ns}"`,
    );
    const other = await raw(
      impersonator,
      'GET',
      configMaps(),
      as(`system:serviceaccount:${ns}:other`),
    );
    expect(other.status).toBe(403);
    expect(other.json()).toMatchObject({
      message: `serviceaccounts.authentication.k8s.io "other" is forbidden: User "${me}" cannot impersonate:serviceaccount resource "serviceaccounts" in API group "authentication.k8s.io" in the namespace "${ns}"`,
      details: { name: 'other', group: 'authentication.k8s.io', kind: 'serviceaccounts' },
    });
    // With a group, only the legacy `impersonate` verb applies.
    const grouped = await raw(
      impersonator,
      'GET',
      configMaps(),
      as(reader, { 'Impersonate-Group': 'g' }),
    );
    expect(grouped.status).toBe(403);
    expect(grouped.json().message).toBe(
      `serviceaccounts "reader" is forbidden: User "${me}" cannot impersonate resource "serviceaccounts" in API group "" in the namespace "${ns}"`,
    );
  });

  test('impersonate-on:user-info:get lets it get as alice; system:masters is never allowed', async () => {
    const path = `${configMaps()}/data`;
    await expect
      .poll(async () => (await raw(impersonator, 'GET', path, as('alice'))).status, EVENTUALLY)
      .toBe(200);
    const list = await raw(impersonator, 'GET', configMaps(), as('alice'));
    expect(list.json().message).toBe(
      `configmaps is forbidden: User "${me}" cannot impersonate-on:user-info:list resource "configmaps" in API group "" in the namespace "${ns}"`,
    );
    const masters = await raw(
      impersonator,
      'GET',
      path,
      as('alice', { 'Impersonate-Group': 'system:masters' }),
    );
    expect(masters.status).toBe(403);
    expect(masters.json().message).toBe(
      `groups.authentication.k8s.io "system:masters" is forbidden: User "${me}" cannot impersonate:user-info resource "groups" in API group "authentication.k8s.io" at the cluster scope: impersonating the system:masters group is not allowed`,
    );
    const bob = await raw(impersonator, 'GET', path, as('bob'));
    expect(bob.json().message).toBe(
      `users.authentication.k8s.io "bob" is forbidden: User "${me}" cannot impersonate:user-info resource "users" in API group "authentication.k8s.io" at the cluster scope`,
    );
  });

  test('a ServiceAccount user name whose namespace or name does not validate is a plain user', async () => {
    // An invalid name: the user-info mode, not the serviceaccount mode (granted for list).
    const upper = `system:serviceaccount:${ns}:Reader`;
    const res = await raw(impersonator, 'GET', configMaps(), as(upper));
    expect(res.status).toBe(403);
    expect(res.json().message).toBe(
      `configmaps is forbidden: User "${me}" cannot impersonate-on:user-info:list resource "configmaps" in API group "" in the namespace "${ns}"`,
    );
    // An invalid namespace: impersonated without the ServiceAccount groups.
    const user = 'system:serviceaccount:Bad_NS:reader';
    const review = await raw(admin(), 'POST', '/apis/authentication.k8s.io/v1/selfsubjectreviews', {
      body: { apiVersion: 'authentication.k8s.io/v1', kind: 'SelfSubjectReview' },
      ...as(user),
    });
    expect(review.status, review.text).toBe(201);
    expect(review.json().status.userInfo).toEqual({
      username: user,
      groups: ['system:authenticated'],
    });
  });

  test('groups without a user are a 400', async () => {
    const res = await raw(impersonator, 'GET', configMaps(), {
      headers: { 'Impersonate-Group': 'g' },
    });
    expect(res.status).toBe(400);
    expect(res.json().message).toBe(
      'requested &user.DefaultInfo{Name:"", UID:"", Groups:[]string{"g"}, Extra:map[string][]string(nil)} without impersonating a user name',
    );
  });
});
