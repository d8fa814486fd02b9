/**
 * Differential: authentication and authorization as kube-apiserver does them with RBAC
 * and kube-controller-manager's service-account controllers: the `default`
 * ServiceAccount and `kube-root-ca.crt` in every namespace, 401 for an unknown token,
 * `system:anonymous` for a request without credentials,
 * TokenRequest tokens authenticated as their ServiceAccount (TokenReview,
 * SelfSubjectReview), RBAC decisions and their exact 403 messages, the access reviews,
 * and impersonation.
 */
import type { KubeConfig } from '@kubernetes/client-node/dist/config.js';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { anonymous as anonymousOf, withToken as withTokenOf } from './credentials.js';
import { raw } from './raw-http.js';
import { type E2eContext, EVENTUALLY, startE2e } from './support.js';

let e2e: E2eContext;
let ns: string;
let token: string;
let asOperator: KubeConfig;
let user: string;
const RBAC = 'rbac.authorization.k8s.io';

const admin = () => e2e.backend.kubeConfig;

/** The backend's kubeconfig with a bearer token instead of the admin's credentials. */
const withToken = (bearer: string) => withTokenOf(admin(), bearer);

/** The backend's kubeconfig with no credentials at all (an anonymous client). */
const anonymous = () => anonymousOf(admin());

async function requestToken(namespace: string, name: string): Promise<string> {
  const res = await raw(
    admin(),
    'POST',
    `/api/v1/namespaces/${namespace}/serviceaccounts/${name}/token`,
    {
      body: { apiVersion: 'authentication.k8s.io/v1', kind: 'TokenRequest', spec: {} },
    },
  );
  expect(res.status).toBe(201);
  return res.json().status.token;
}

beforeAll(async () => {
  e2e = await startE2e({ tls: true });
  ns = await e2e.namespace('e2e-auth');
  const sa = await raw(admin(), 'POST', `/api/v1/namespaces/${ns}/serviceaccounts`, {
    body: { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'operator' } },
  });
  expect(sa.status).toBe(201);
  token = await requestToken(ns, 'operator');
  asOperator = withToken(token);
  user = `system:serviceaccount:${ns}:operator`;
});

afterAll(async () => {
  await e2e?.stop();
});

describe('service accounts', () => {
  test('every namespace, including one created now, gets the default ServiceAccount and kube-root-ca.crt', async () => {
    for (const namespace of ['default', ns]) {
      await expect
        .poll(
          async () =>
            (await raw(admin(), 'GET', `/api/v1/namespaces/${namespace}/serviceaccounts/default`))
              .status,
          EVENTUALLY,
        )
        .toBe(200);
      await expect
        .poll(
          async () =>
            (
              await raw(
                admin(),
                'GET',
                `/api/v1/namespaces/${namespace}/configmaps/kube-root-ca.crt`,
              )
            ).status,
          EVENTUALLY,
        )
        .toBe(200);
    }
    const cm = (
      await raw(admin(), 'GET', `/api/v1/namespaces/${ns}/configmaps/kube-root-ca.crt`)
    ).json();
    expect(Object.keys(cm.data)).toEqual(['ca.crt']);
    expect(cm.data['ca.crt']).toMatch(
      /^-----BEGIN CERTIFICATE-----\n[\s\S]+-----END CERTIFICATE-----\n?$/,
    );
    expect(cm.metadata.annotations['kubernetes.io/description']).toBe(
      'Contains a CA bundle that can be used to verify the kube-apiserver when using internal endpoints such as the internal service IP or kubernetes.default.svc. No other usage is guaranteed across distributions of Kubernetes clusters.',
    );
    expect(cm.metadata.managedFields.map((m: { manager: string }) => m.manager)).toEqual([
      'kube-controller-manager',
    ]);
    const sa = (
      await raw(admin(), 'GET', `/api/v1/namespaces/${ns}/serviceaccounts/default`)
    ).json();
    expect(Object.keys(sa)).toEqual(['kind', 'apiVersion', 'metadata']);
  });

  test('a deleted default ServiceAccount comes back with a new uid', async () => {
    const path = `/api/v1/namespaces/${ns}/serviceaccounts/default`;
    await expect.poll(async () => (await raw(admin(), 'GET', path)).status, EVENTUALLY).toBe(200);
    const before = (await raw(admin(), 'GET', path)).json().metadata.uid;
    expect((await raw(admin(), 'DELETE', path)).status).toBe(200);
    await expect
      .poll(async () => {
        const res = await raw(admin(), 'GET', path);
        return res.status === 200 && res.json().metadata.uid !== before;
      }, EVENTUALLY)
      .toBe(true);
  });
});

describe('authentication', () => {
  test('an unknown bearer token is 401 Unauthorized (and the token is not echoed)', async () => {
    for (const path of ['/api/v1/namespaces', '/version']) {
      const res = await raw(withToken('not-a-real-token'), 'GET', path);
      expect(res.status).toBe(401);
      expect(res.json()).toEqual({
        kind: 'Status',
        apiVersion: 'v1',
        metadata: {},
        status: 'Failure',
        message: 'Unauthorized',
        reason: 'Unauthorized',
        code: 401,
      });
      expect(res.text).not.toContain('not-a-real-token');
    }
  });

  test('a TokenRequest token is its ServiceAccount: SelfSubjectReview and TokenReview say so', async () => {
    const groups = [
      'system:serviceaccounts',
      `system:serviceaccounts:${ns}`,
      'system:authenticated',
    ];
    const self = await raw(
      asOperator,
      'POST',
      '/apis/authentication.k8s.io/v1/selfsubjectreviews',
      {
        body: { apiVersion: 'authentication.k8s.io/v1', kind: 'SelfSubjectReview' },
      },
    );
    expect(self.status).toBe(201);
    expect(self.json().status.userInfo).toMatchObject({ username: user, groups });
    const reviewed = await raw(admin(), 'POST', '/apis/authentication.k8s.io/v1/tokenreviews', {
      body: { apiVersion: 'authentication.k8s.io/v1', kind: 'TokenReview', spec: { token } },
    });
    expect(reviewed.status).toBe(201);
    expect(reviewed.json().status).toMatchObject({
      authenticated: true,
      user: { username: user, groups },
    });
    const bad = await raw(admin(), 'POST', '/apis/authentication.k8s.io/v1/tokenreviews', {
      body: {
        apiVersion: 'authentication.k8s.io/v1',
        kind: 'TokenReview',
        spec: { token: `${token}x` },
      },
    });
    expect(bad.json().status.authenticated).toBeUndefined();
    expect(JSON.stringify(bad.json().status)).not.toContain(token.slice(-20));
  });

  test('no credentials is system:anonymous: the public info paths answer, the rest is 403', async () => {
    for (const path of ['/version', '/healthz', '/livez', '/readyz']) {
      expect((await raw(anonymous(), 'GET', path)).status, path).toBe(200);
    }
    const api = await raw(anonymous(), 'GET', '/api');
    expect(api.status).toBe(403);
    expect(api.json()).toEqual({
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message: 'forbidden: User "system:anonymous" cannot get path "/api"',
      reason: 'Forbidden',
      details: {},
      code: 403,
    });
    const list = await raw(anonymous(), 'GET', '/api/v1/namespaces');
    expect(list.status).toBe(403);
    expect(list.json().message).toBe(
      'namespaces is forbidden: User "system:anonymous" cannot list resource "namespaces" in API group "" at the cluster scope',
    );
    const self = await raw(
      anonymous(),
      'POST',
      '/apis/authentication.k8s.io/v1/selfsubjectreviews',
      {
        body: { apiVersion: 'authentication.k8s.io/v1', kind: 'SelfSubjectReview' },
      },
    );
    expect(self.status).toBe(403);
    expect(self.json().details).toEqual({
      group: 'authentication.k8s.io',
      kind: 'selfsubjectreviews',
    });

    // RBAC grants to system:unauthenticated apply to it.
    const binding = await raw(admin(), 'POST', `/apis/${RBAC}/v1/namespaces/${ns}/rolebindings`, {
      body: {
        apiVersion: `${RBAC}/v1`,
        kind: 'RoleBinding',
        metadata: { name: 'anonymous-view' },
        roleRef: { apiGroup: RBAC, kind: 'ClusterRole', name: 'view' },
        subjects: [{ kind: 'Group', name: 'system:unauthenticated', apiGroup: RBAC }],
      },
    });
    expect(binding.status).toBe(201);
    await expect
      .poll(
        async () => (await raw(anonymous(), 'GET', `/api/v1/namespaces/${ns}/configmaps`)).status,
        EVENTUALLY,
      )
      .toBe(200);
    expect((await raw(anonymous(), 'GET', '/api/v1/namespaces/default/configmaps')).status).toBe(
      403,
    );
  });

  test('the admin identity keeps working', async () => {
    const self = await raw(admin(), 'POST', '/apis/authentication.k8s.io/v1/selfsubjectreviews', {
      body: { apiVersion: 'authentication.k8s.io/v1', kind: 'SelfSubjectReview' },
    });
    expect(self.json().status.userInfo.groups).toEqual(['system:masters', 'system:authenticated']);
  });
});

describe('RBAC', () => {
  const forbiddenBody = (message: string, details: Record<string, string>) => ({
    kind: 'Status',
    apiVersion: 'v1',
    metadata: {},
    status: 'Failure',
    message,
    reason: 'Forbidden',
    details,
    code: 403,
  });

  test('without bindings: discovery works, the rest is 403 with the real message', async () => {
    expect((await raw(asOperator, 'GET', '/api')).status).toBe(200);
    expect((await raw(asOperator, 'GET', '/apis')).status).toBe(200);
    expect((await raw(asOperator, 'GET', '/version')).status).toBe(200);
    const cases: [
      string,
      string,
      Record<string, string | string[]>,
      string,
      Record<string, string>,
    ][] = [
      [
        'GET',
        `/api/v1/namespaces/${ns}/configmaps`,
        {},
        `configmaps is forbidden: User "${user}" cannot list resource "configmaps" in API group "" in the namespace "${ns}"`,
        { kind: 'configmaps' },
      ],
      [
        'GET',
        `/api/v1/namespaces/${ns}/configmaps`,
        { watch: '1' },
        `configmaps is forbidden: User "${user}" cannot watch resource "configmaps" in API group "" in the namespace "${ns}"`,
        { kind: 'configmaps' },
      ],
      [
        'GET',
        `/api/v1/namespaces/${ns}/configmaps/x`,
        {},
        `configmaps "x" is forbidden: User "${user}" cannot get resource "configmaps" in API group "" in the namespace "${ns}"`,
        { name: 'x', kind: 'configmaps' },
      ],
      [
        'GET',
        `/api/v1/namespaces/${ns}/configmaps`,
        { fieldSelector: 'metadata.name=abc' },
        `configmaps "abc" is forbidden: User "${user}" cannot list resource "configmaps" in API group "" in the namespace "${ns}"`,
        { name: 'abc', kind: 'configmaps' },
      ],
      [
        'DELETE',
        `/api/v1/namespaces/${ns}/configmaps`,
        {},
        `configmaps is forbidden: User "${user}" cannot deletecollection resource "configmaps" in API group "" in the namespace "${ns}"`,
        { kind: 'configmaps' },
      ],
      [
        'GET',
        `/api/v1/namespaces/${ns}/pods/p/log`,
        {},
        `pods "p" is forbidden: User "${user}" cannot get resource "pods/log" in API group "" in the namespace "${ns}"`,
        { name: 'p', kind: 'pods' },
      ],
      [
        'GET',
        '/api/v1/nodes',
        {},
        `nodes is forbidden: User "${user}" cannot list resource "nodes" in API group "" at the cluster scope`,
        { kind: 'nodes' },
      ],
      [
        'GET',
        `/api/v1/namespaces/${ns}`,
        {},
        `namespaces "${ns}" is forbidden: User "${user}" cannot get resource "namespaces" in API group "" in the namespace "${ns}"`,
        { name: ns, kind: 'namespaces' },
      ],
      ['GET', '/metrics', {}, `forbidden: User "${user}" cannot get path "/metrics"`, {}],
    ];
    for (const [method, path, query, message, details] of cases) {
      const res = await raw(asOperator, method, path, { query });
      expect({ path, status: res.status, body: res.json() }).toEqual({
        path,
        status: 403,
        body: forbiddenBody(message, details),
      });
    }
    const create = await raw(asOperator, 'POST', `/apis/apps/v1/namespaces/${ns}/deployments`, {
      body: { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'd' } },
    });
    expect(create.json()).toEqual(
      forbiddenBody(
        `deployments.apps is forbidden: User "${user}" cannot create resource "deployments" in API group "apps" in the namespace "${ns}"`,
        { group: 'apps', kind: 'deployments' },
      ),
    );
  });

  test('Roles and RoleBindings: verbs, resourceNames, subresources, namespaces; a missing role is the reason', async () => {
    const role = await raw(admin(), 'POST', `/apis/${RBAC}/v1/namespaces/${ns}/roles`, {
      body: {
        apiVersion: `${RBAC}/v1`,
        kind: 'Role',
        metadata: { name: 'operator' },
        rules: [
          { apiGroups: [''], resources: ['configmaps'], verbs: ['get', 'list', 'watch', 'create'] },
          {
            apiGroups: [''],
            resources: ['secrets'],
            verbs: ['get', 'update'],
            resourceNames: ['mine'],
          },
          { apiGroups: ['apps'], resources: ['deployments/scale'], verbs: ['get'] },
        ],
      },
    });
    expect(role.status).toBe(201);
    const binding = await raw(admin(), 'POST', `/apis/${RBAC}/v1/namespaces/${ns}/rolebindings`, {
      body: {
        apiVersion: `${RBAC}/v1`,
        kind: 'RoleBinding',
        metadata: { name: 'operator' },
        roleRef: { apiGroup: RBAC, kind: 'Role', name: 'operator' },
        subjects: [{ kind: 'ServiceAccount', name: 'operator' }],
      },
    });
    expect(binding.status).toBe(201);
    const status = async (method: string, path: string, body?: unknown) =>
      (await raw(asOperator, method, path, body === undefined ? {} : { body })).status;
    await expect
      .poll(() => status('GET', `/api/v1/namespaces/${ns}/configmaps`), EVENTUALLY)
      .toBe(200);
    expect(await status('GET', '/api/v1/namespaces/default/configmaps')).toBe(403);
    expect(
      await status('POST', `/api/v1/namespaces/${ns}/configmaps`, {
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: { name: 'made-by-operator' },
      }),
    ).toBe(201);
    expect(await status('DELETE', `/api/v1/namespaces/${ns}/configmaps/made-by-operator`)).toBe(
      403,
    );
    expect(await status('GET', `/api/v1/namespaces/${ns}/secrets/mine`)).toBe(404);
    expect(await status('GET', `/api/v1/namespaces/${ns}/secrets/other`)).toBe(403);
    expect(await status('GET', `/api/v1/namespaces/${ns}/secrets`)).toBe(403);
    expect(await status('GET', `/apis/apps/v1/namespaces/${ns}/deployments/d/scale`)).toBe(404);
    expect(await status('GET', `/apis/apps/v1/namespaces/${ns}/deployments/d`)).toBe(403);

    await raw(admin(), 'POST', `/apis/${RBAC}/v1/namespaces/${ns}/rolebindings`, {
      body: {
        apiVersion: `${RBAC}/v1`,
        kind: 'RoleBinding',
        metadata: { name: 'dangling' },
        roleRef: { apiGroup: RBAC, kind: 'Role', name: 'missing' },
        subjects: [{ kind: 'ServiceAccount', name: 'operator', namespace: ns }],
      },
    });
    await expect
      .poll(
        async () => (await raw(asOperator, 'GET', `/api/v1/namespaces/${ns}/pods`)).json().message,
        EVENTUALLY,
      )
      .toBe(
        `pods is forbidden: User "${user}" cannot list resource "pods" in API group "" in the namespace "${ns}": RBAC: role.${RBAC} "missing" not found`,
      );
    await raw(admin(), 'DELETE', `/apis/${RBAC}/v1/namespaces/${ns}/rolebindings/dangling`);
  });

  test('a ClusterRoleBinding to the built-in view ClusterRole grants reads in every namespace, not secrets', async () => {
    const name = `${ns}-view`;
    const res = await raw(admin(), 'POST', `/apis/${RBAC}/v1/clusterrolebindings`, {
      body: {
        apiVersion: `${RBAC}/v1`,
        kind: 'ClusterRoleBinding',
        metadata: { name },
        roleRef: { apiGroup: RBAC, kind: 'ClusterRole', name: 'view' },
        subjects: [{ kind: 'ServiceAccount', name: 'operator', namespace: ns }],
      },
    });
    expect(res.status).toBe(201);
    e2e.onStop(() => raw(admin(), 'DELETE', `/apis/${RBAC}/v1/clusterrolebindings/${name}`));
    await expect
      .poll(
        async () =>
          (await raw(asOperator, 'GET', '/apis/apps/v1/namespaces/default/deployments')).status,
        EVENTUALLY,
      )
      .toBe(200);
    expect((await raw(asOperator, 'GET', '/api/v1/namespaces/default/secrets')).status).toBe(403);
    // view covers pods/log: the missing pod's 404, not a 403.
    expect((await raw(asOperator, 'GET', '/api/v1/namespaces/default/pods/p/log')).status).toBe(
      404,
    );
    await raw(admin(), 'DELETE', `/apis/${RBAC}/v1/clusterrolebindings/${name}`);
    await expect
      .poll(
        async () =>
          (await raw(asOperator, 'GET', '/apis/apps/v1/namespaces/default/deployments')).status,
        EVENTUALLY,
      )
      .toBe(403);
  });

  test('a ClusterRole labelled aggregate-to-view adds its rules to view, and takes them back', async () => {
    const name = `${ns}-widgets`;
    const widgets = { verbs: ['get', 'list'], apiGroups: ['example.com'], resources: ['widgets'] };
    const created = await raw(admin(), 'POST', `/apis/${RBAC}/v1/clusterroles`, {
      body: {
        apiVersion: `${RBAC}/v1`,
        kind: 'ClusterRole',
        metadata: { name, labels: { 'rbac.authorization.k8s.io/aggregate-to-view': 'true' } },
        rules: [widgets],
      },
    });
    expect(created.status).toBe(201);
    e2e.onStop(() => raw(admin(), 'DELETE', `/apis/${RBAC}/v1/clusterroles/${name}`));
    const viewRules = async () =>
      (await raw(admin(), 'GET', `/apis/${RBAC}/v1/clusterroles/view`)).json().rules;
    await expect.poll(viewRules, EVENTUALLY).toContainEqual(widgets);
    await raw(admin(), 'DELETE', `/apis/${RBAC}/v1/clusterroles/${name}`);
    await expect.poll(viewRules, EVENTUALLY).not.toContainEqual(widgets);
  });

  test('SubjectAccessReview and SelfSubjectAccessReview answer like the authorizer', async () => {
    const resourceAttributes = { namespace: ns, verb: 'list', resource: 'configmaps' };
    await expect
      .poll(
        async () => (await raw(asOperator, 'GET', `/api/v1/namespaces/${ns}/configmaps`)).status,
        EVENTUALLY,
      )
      .toBe(200);
    const self = await raw(
      asOperator,
      'POST',
      '/apis/authorization.k8s.io/v1/selfsubjectaccessreviews',
      {
        body: {
          apiVersion: 'authorization.k8s.io/v1',
          kind: 'SelfSubjectAccessReview',
          spec: { resourceAttributes },
        },
      },
    );
    expect(self.status).toBe(201);
    expect(self.json().spec).toEqual({ resourceAttributes });
    expect(self.json().status).toEqual({
      allowed: true,
      reason: `RBAC: allowed by RoleBinding "operator/${ns}" of Role "operator" to ServiceAccount "operator/${ns}"`,
    });
    const nonResource = await raw(
      asOperator,
      'POST',
      '/apis/authorization.k8s.io/v1/selfsubjectaccessreviews',
      {
        body: {
          apiVersion: 'authorization.k8s.io/v1',
          kind: 'SelfSubjectAccessReview',
          spec: { nonResourceAttributes: { path: '/api', verb: 'get' } },
        },
      },
    );
    expect(nonResource.json().status).toEqual({
      allowed: true,
      reason:
        'RBAC: allowed by ClusterRoleBinding "system:discovery" of ClusterRole "system:discovery" to Group "system:authenticated"',
    });
    const sar = async (verb: string) =>
      (
        await raw(admin(), 'POST', '/apis/authorization.k8s.io/v1/subjectaccessreviews', {
          body: {
            apiVersion: 'authorization.k8s.io/v1',
            kind: 'SubjectAccessReview',
            spec: {
              user,
              groups: ['system:serviceaccounts'],
              resourceAttributes: { ...resourceAttributes, verb },
            },
          },
        })
      ).json().status;
    expect(await sar('delete')).toEqual({ allowed: false });
    expect((await sar('watch')).allowed).toBe(true);
  });

  test('SelfSubjectRulesReview lists the rules bound to the user in that namespace', async () => {
    const who = { 'Impersonate-User': 'rules-reader' };
    const post = async (path: string, body: Record<string, unknown>) =>
      expect((await raw(admin(), 'POST', path, { body })).status).toBe(201);
    await post(`/apis/${RBAC}/v1/namespaces/${ns}/roles`, {
      apiVersion: `${RBAC}/v1`,
      kind: 'Role',
      metadata: { name: 'rules-reader' },
      rules: [
        { apiGroups: [''], resources: ['configmaps', 'secrets'], verbs: ['get', 'list'] },
        {
          apiGroups: ['apps'],
          resources: ['deployments'],
          resourceNames: ['web'],
          verbs: ['patch'],
        },
      ],
    });
    const clusterRole = (name: string, rules: unknown[]) =>
      post(`/apis/${RBAC}/v1/clusterroles`, {
        apiVersion: `${RBAC}/v1`,
        kind: 'ClusterRole',
        metadata: { name },
        rules,
      });
    await clusterRole(`${ns}-rules-jobs`, [
      { apiGroups: ['batch'], resources: ['jobs', 'jobs/status'], verbs: ['*'] },
    ]);
    await clusterRole(`${ns}-rules-nodes`, [
      { apiGroups: [''], resources: ['nodes'], verbs: ['get'] },
      { nonResourceURLs: ['/metrics', '/logs/*'], verbs: ['get'] },
    ]);
    const bind = (kind: string, name: string, roleKind: string, role: string) =>
      post(
        kind === 'RoleBinding'
          ? `/apis/${RBAC}/v1/namespaces/${ns}/rolebindings`
          : `/apis/${RBAC}/v1/clusterrolebindings`,
        {
          apiVersion: `${RBAC}/v1`,
          kind,
          metadata: { name },
          roleRef: { apiGroup: RBAC, kind: roleKind, name: role },
          subjects: [{ kind: 'User', name: 'rules-reader', apiGroup: RBAC }],
        },
      );
    await bind('RoleBinding', 'rules-reader', 'Role', 'rules-reader');
    await bind('RoleBinding', 'rules-jobs', 'ClusterRole', `${ns}-rules-jobs`);
    await bind('RoleBinding', 'rules-dangling', 'Role', 'no-such-role');
    await bind('ClusterRoleBinding', `${ns}-rules-nodes`, 'ClusterRole', `${ns}-rules-nodes`);
    const review = async (namespace: string | undefined) =>
      raw(admin(), 'POST', '/apis/authorization.k8s.io/v1/selfsubjectrulesreviews', {
        headers: who,
        body: {
          apiVersion: 'authorization.k8s.io/v1',
          kind: 'SelfSubjectRulesReview',
          metadata: { name: 'dropped' },
          spec: namespace === undefined ? {} : { namespace },
        },
      });
    // kube-apiserver lists the bindings in no particular order: compare sorted.
    const sorted = (rules: unknown[]) => rules.map((r) => JSON.stringify(r)).sort();
    const cluster = {
      resource: [
        {
          verbs: ['create'],
          apiGroups: ['authorization.k8s.io'],
          resources: ['selfsubjectaccessreviews', 'selfsubjectrulesreviews'],
        },
        {
          verbs: ['create'],
          apiGroups: ['authentication.k8s.io'],
          resources: ['selfsubjectreviews'],
        },
        { verbs: ['get'], apiGroups: [''], resources: ['nodes'] },
      ],
      nonResource: [
        {
          verbs: ['get'],
          nonResourceURLs: [
            '/api',
            '/api/*',
            '/apis',
            '/apis/*',
            '/healthz',
            '/livez',
            '/openapi',
            '/openapi/*',
            '/readyz',
            '/version',
            '/version/',
          ],
        },
        {
          verbs: ['get'],
          nonResourceURLs: ['/healthz', '/livez', '/readyz', '/version', '/version/'],
        },
        { verbs: ['get'], nonResourceURLs: ['/metrics', '/logs/*'] },
      ],
    };
    await expect
      .poll(async () => (await review(ns)).json().status?.resourceRules?.length, EVENTUALLY)
      .toBe(cluster.resource.length + 3);
    const here = await review(ns);
    expect(here.status).toBe(201);
    const body = here.json();
    expect(body.metadata).toEqual({});
    expect(body.spec).toEqual({});
    expect(sorted(body.status.resourceRules)).toEqual(
      sorted([
        ...cluster.resource,
        { verbs: ['get', 'list'], apiGroups: [''], resources: ['configmaps', 'secrets'] },
        {
          verbs: ['patch'],
          apiGroups: ['apps'],
          resources: ['deployments'],
          resourceNames: ['web'],
        },
        { verbs: ['*'], apiGroups: ['batch'], resources: ['jobs', 'jobs/status'] },
      ]),
    );
    expect(sorted(body.status.nonResourceRules)).toEqual(sorted(cluster.nonResource));
    expect(body.status.incomplete).toBe(false);
    expect(body.status.evaluationError).toBe(`role.${RBAC} "no-such-role" not found`);

    const elsewhere = (await review('default')).json().status;
    expect(sorted(elsewhere.resourceRules)).toEqual(sorted(cluster.resource));
    expect(sorted(elsewhere.nonResourceRules)).toEqual(sorted(cluster.nonResource));
    expect(elsewhere.evaluationError).toBeUndefined();

    const noNamespace = await review(undefined);
    expect(noNamespace.status).toBe(400);
    expect(noNamespace.json()).toEqual({
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message: 'no namespace on request',
      reason: 'BadRequest',
      code: 400,
    });
  });

  test('impersonation on writes: POST and DELETE act as the impersonated user, with its permissions', async () => {
    const as = { headers: { 'Impersonate-User': 'cm-writer' } };
    const path = `/api/v1/namespaces/${ns}/configmaps`;
    const body = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'written-as' } };
    const refused = await raw(admin(), 'POST', path, { ...as, body });
    expect(refused.json()).toEqual(
      forbiddenBody(
        `configmaps is forbidden: User "cm-writer" cannot create resource "configmaps" in API group "" in the namespace "${ns}"`,
        { kind: 'configmaps' },
      ),
    );
    const post = async (p: string, b: Record<string, unknown>) =>
      expect((await raw(admin(), 'POST', p, { body: b })).status).toBe(201);
    await post(`/apis/${RBAC}/v1/namespaces/${ns}/roles`, {
      apiVersion: `${RBAC}/v1`,
      kind: 'Role',
      metadata: { name: 'cm-writer' },
      rules: [{ apiGroups: [''], resources: ['configmaps'], verbs: ['create', 'delete'] }],
    });
    await post(`/apis/${RBAC}/v1/namespaces/${ns}/rolebindings`, {
      apiVersion: `${RBAC}/v1`,
      kind: 'RoleBinding',
      metadata: { name: 'cm-writer' },
      roleRef: { apiGroup: RBAC, kind: 'Role', name: 'cm-writer' },
      subjects: [{ apiGroup: RBAC, kind: 'User', name: 'cm-writer' }],
    });
    // kube-apiserver's authorizer sees a new binding through its informer: poll.
    await expect
      .poll(async () => (await raw(admin(), 'POST', path, { ...as, body })).status, EVENTUALLY)
      .toBe(201);
    const deleted = await raw(admin(), 'DELETE', `${path}/written-as`, as);
    expect(deleted.status).toBe(200);
    const gone = await raw(admin(), 'DELETE', `${path}/written-as`, as);
    expect(gone.status).toBe(404);
    // Reading is not granted: the impersonated user's permissions, not the admin's.
    const read = await raw(admin(), 'GET', `${path}/kube-root-ca.crt`, as);
    expect(read.json().message).toBe(
      `configmaps "kube-root-ca.crt" is forbidden: User "cm-writer" cannot get resource "configmaps" in API group "" in the namespace "${ns}"`,
    );
  });

  test('impersonation: the admin acts as the ServiceAccount; the ServiceAccount may not impersonate', async () => {
    const as = await raw(admin(), 'GET', '/api/v1/namespaces/default/secrets', {
      headers: { 'Impersonate-User': user },
    });
    expect(as.json().message).toBe(
      `secrets is forbidden: User "${user}" cannot list resource "secrets" in API group "" in the namespace "default"`,
    );
    const refused = await raw(asOperator, 'GET', `/api/v1/namespaces/${ns}/configmaps`, {
      headers: { 'Impersonate-User': 'someone' },
    });
    expect(refused.status).toBe(403);
    expect(refused.json()).toEqual(
      forbiddenBody(
        `configmaps is forbidden: User "${user}" cannot impersonate-on:user-info:list resource "configmaps" in API group "" in the namespace "${ns}"`,
        { kind: 'configmaps' },
      ),
    );
  });
});
