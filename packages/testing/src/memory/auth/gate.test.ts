import { useMemoryApiServer } from '@kube-ts/test-support';
import { beforeAll, describe, expect, it } from 'vitest';
import { httpClient } from '../test-client.test-helper.js';

let token: string;
const SA = 'system:serviceaccount:team:op';

/** A request with a bearer token (and extra headers). */
async function as(
  bearer: string,
  method: string,
  path: string,
  body?: unknown,
  headers: Record<string, string> = {},
  // biome-ignore lint/suspicious/noExplicitAny: test reads arbitrary JSON.
): Promise<{ status: number; body: any; text: string }> {
  const init: RequestInit = {
    method,
    headers: { authorization: `Bearer ${bearer}`, 'content-type': 'application/json', ...headers },
  };
  if (body !== undefined) init.body = JSON.stringify(body);
  const r = await fetch(env.server.url + path, init);
  const text = await r.text();
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    parsed = undefined;
  }
  return { status: r.status, body: parsed, text };
}

const env = useMemoryApiServer({ bookmarkIntervalMs: 0 }, (server) => httpClient(server));

beforeAll(async () => {
  await env.client('POST', '/api/v1/namespaces', { metadata: { name: 'team' } });
  await env.client('POST', '/api/v1/namespaces/team/serviceaccounts', { metadata: { name: 'op' } });
  const issued = await env.client('POST', '/api/v1/namespaces/team/serviceaccounts/op/token', {
    apiVersion: 'authentication.k8s.io/v1',
    kind: 'TokenRequest',
    spec: {},
  });
  token = issued.body.status.token;
});

describe('authentication', () => {
  it('refuses an unknown bearer token with 401, without echoing it', async () => {
    const r = await as('not-a-token-xyz', 'GET', '/api/v1/namespaces');
    expect(r.status).toBe(401);
    expect(r.body).toEqual({
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message: 'Unauthorized',
      reason: 'Unauthorized',
      code: 401,
    });
    expect(r.text).not.toContain('not-a-token-xyz');
    expect((await as(`${token}x`, 'GET', '/version')).status).toBe(401);
  });

  it('the kubeconfig token is the admin; a TokenRequest token is its ServiceAccount', async () => {
    const adminToken = env.server.kubeConfig.getCurrentUser()?.token ?? '';
    const review = { apiVersion: 'authentication.k8s.io/v1', kind: 'SelfSubjectReview' };
    const me = await as(
      adminToken,
      'POST',
      '/apis/authentication.k8s.io/v1/selfsubjectreviews',
      review,
    );
    expect(me.status).toBe(201);
    expect(me.body.status.userInfo.groups).toContain('system:masters');
    const sa = await as(token, 'POST', '/apis/authentication.k8s.io/v1/selfsubjectreviews', review);
    expect(sa.status).toBe(201);
    expect(sa.body.status.userInfo).toMatchObject({
      username: SA,
      groups: ['system:serviceaccounts', 'system:serviceaccounts:team', 'system:authenticated'],
    });
  });

  it('a token stops working when its ServiceAccount is deleted (once its cached success expires)', async () => {
    await env.client('POST', '/api/v1/namespaces/team/serviceaccounts', {
      metadata: { name: 'gone' },
    });
    const issued = await env.client('POST', '/api/v1/namespaces/team/serviceaccounts/gone/token', {
      apiVersion: 'authentication.k8s.io/v1',
      kind: 'TokenRequest',
      spec: {},
    });
    const t = issued.body.status.token;
    const unused = (
      await env.client('POST', '/api/v1/namespaces/team/serviceaccounts/gone/token', {
        apiVersion: 'authentication.k8s.io/v1',
        kind: 'TokenRequest',
        spec: {},
      })
    ).body.status.token;
    expect((await as(t, 'GET', '/api')).status).toBe(200);
    await env.client('DELETE', '/api/v1/namespaces/team/serviceaccounts/gone');
    // A success is remembered for 10 s, as kube-apiserver's token cache does; a token
    // not authenticated before fails at once.
    expect((await as(t, 'GET', '/api')).status).toBe(200);
    expect((await as(unused, 'GET', '/api')).status).toBe(401);
  });
});

describe('RBAC', () => {
  it('a ServiceAccount without bindings may discover but not list, with the real 403', async () => {
    expect((await as(token, 'GET', '/api')).status).toBe(200);
    expect((await as(token, 'GET', '/version')).status).toBe(200);
    const r = await as(token, 'GET', '/api/v1/namespaces/team/configmaps');
    expect(r.status).toBe(403);
    expect(r.body.message).toBe(
      `configmaps is forbidden: User "${SA}" cannot list resource "configmaps" in API group "" in the namespace "team"`,
    );
    const path = await as(token, 'GET', '/metrics');
    expect(path.body.message).toBe(`forbidden: User "${SA}" cannot get path "/metrics"`);
  });

  it('a RoleBinding grants its Role in its namespace only; a missing role is the reason', async () => {
    await env.client('POST', '/apis/rbac.authorization.k8s.io/v1/namespaces/team/roles', {
      metadata: { name: 'cm-reader' },
      rules: [{ apiGroups: [''], resources: ['configmaps'], verbs: ['get', 'list', 'watch'] }],
    });
    await env.client('POST', '/apis/rbac.authorization.k8s.io/v1/namespaces/team/rolebindings', {
      metadata: { name: 'op-reads' },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'cm-reader' },
      subjects: [{ kind: 'ServiceAccount', name: 'op' }],
    });
    expect((await as(token, 'GET', '/api/v1/namespaces/team/configmaps')).status).toBe(200);
    expect((await as(token, 'GET', '/api/v1/namespaces/default/configmaps')).status).toBe(403);
    const write = await as(token, 'POST', '/api/v1/namespaces/team/configmaps', {
      metadata: { name: 'x' },
    });
    expect(write.status).toBe(403);
    await env.client('POST', '/apis/rbac.authorization.k8s.io/v1/namespaces/team/rolebindings', {
      metadata: { name: 'dangling' },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'missing' },
      subjects: [{ kind: 'ServiceAccount', name: 'op', namespace: 'team' }],
    });
    const secrets = await as(token, 'GET', '/api/v1/namespaces/team/secrets');
    expect(secrets.body.message).toMatch(
      /in the namespace "team": RBAC: role.rbac.authorization.k8s.io "missing" not found$/,
    );
  });

  it('a ClusterRoleBinding to the aggregated view role grants reads everywhere', async () => {
    await env.client('POST', '/apis/rbac.authorization.k8s.io/v1/clusterrolebindings', {
      metadata: { name: 'op-view' },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'view' },
      subjects: [{ kind: 'ServiceAccount', name: 'op', namespace: 'team' }],
    });
    expect((await as(token, 'GET', '/apis/apps/v1/namespaces/default/deployments')).status).toBe(
      200,
    );
    expect((await as(token, 'GET', '/api/v1/namespaces/default/secrets')).status).toBe(403);
    await env.client('DELETE', '/apis/rbac.authorization.k8s.io/v1/clusterrolebindings/op-view');
    expect((await as(token, 'GET', '/apis/apps/v1/namespaces/default/deployments')).status).toBe(
      403,
    );
  });

  it('answers access reviews like the authorizer', async () => {
    const spec = {
      resourceAttributes: { namespace: 'team', verb: 'list', resource: 'configmaps' },
    };
    const self = await as(token, 'POST', '/apis/authorization.k8s.io/v1/selfsubjectaccessreviews', {
      apiVersion: 'authorization.k8s.io/v1',
      kind: 'SelfSubjectAccessReview',
      spec,
    });
    expect(self.status).toBe(201);
    expect(self.body.status).toEqual({
      allowed: true,
      reason:
        'RBAC: allowed by RoleBinding "op-reads/team" of Role "cm-reader" to ServiceAccount "op/team"',
    });
    const sar = await env.client('POST', '/apis/authorization.k8s.io/v1/subjectaccessreviews', {
      apiVersion: 'authorization.k8s.io/v1',
      kind: 'SubjectAccessReview',
      spec: {
        ...spec,
        resourceAttributes: { ...spec.resourceAttributes, verb: 'delete' },
        user: SA,
      },
    });
    expect(sar.body.status.allowed).toBe(false);
    const invalid = await env.client('POST', '/apis/authorization.k8s.io/v1/subjectaccessreviews', {
      apiVersion: 'authorization.k8s.io/v1',
      kind: 'SubjectAccessReview',
      spec: { user: SA },
    });
    expect(invalid.status).toBe(422);
  });

  it('answers a rules review with the rules bound to the user in that namespace', async () => {
    const path = '/apis/authorization.k8s.io/v1/selfsubjectrulesreviews';
    const review = (namespace?: string) => ({
      apiVersion: 'authorization.k8s.io/v1',
      kind: 'SelfSubjectRulesReview',
      metadata: { name: 'ignored' },
      spec: namespace === undefined ? {} : { namespace },
    });
    const r = await as(token, 'POST', path, review('team'));
    expect(r.status).toBe(201);
    expect(r.body.metadata).toEqual({});
    expect(r.body.spec).toEqual({});
    expect(r.body.status.incomplete).toBe(false);
    expect(r.body.status.resourceRules).toContainEqual({
      verbs: ['get', 'list', 'watch'],
      apiGroups: [''],
      resources: ['configmaps'],
    });
    expect(r.body.status.resourceRules).toContainEqual({
      verbs: ['create'],
      apiGroups: ['authentication.k8s.io'],
      resources: ['selfsubjectreviews'],
    });
    expect(r.body.status.nonResourceRules).toContainEqual({
      verbs: ['get'],
      nonResourceURLs: ['/healthz', '/livez', '/readyz', '/version', '/version/'],
    });
    expect(r.body.status.evaluationError).toBe(
      'role.rbac.authorization.k8s.io "missing" not found',
    );
    const elsewhere = await as(token, 'POST', path, review('default'));
    expect(elsewhere.body.status.resourceRules).not.toContainEqual(
      expect.objectContaining({ resources: ['configmaps'] }),
    );
    expect(elsewhere.body.status.evaluationError).toBeUndefined();
    const admin = await env.client('POST', path, review('team'));
    expect(admin.body.status.resourceRules).toContainEqual({
      verbs: ['*'],
      apiGroups: ['*'],
      resources: ['*'],
    });
    const noNamespace = await as(token, 'POST', path, review());
    expect(noNamespace.status).toBe(400);
    expect(noNamespace.body.message).toBe('no namespace on request');
  });

  it('impersonation: the admin may act as the ServiceAccount; the ServiceAccount may not impersonate', async () => {
    const adminToken = env.server.kubeConfig.getCurrentUser()?.token ?? '';
    const r = await as(adminToken, 'GET', '/api/v1/namespaces/default/configmaps', undefined, {
      'Impersonate-User': SA,
    });
    expect(r.status).toBe(403);
    expect(r.body.message).toContain(`User "${SA}" cannot list resource "configmaps"`);
    const refused = await as(token, 'GET', '/api/v1/namespaces/team/configmaps', undefined, {
      'Impersonate-User': 'someone',
    });
    expect(refused.status).toBe(403);
    // The constrained check is made in the request's namespace, so RBAC's reason names
    // the binding to a missing role there.
    expect(refused.body.message).toBe(
      `configmaps is forbidden: User "${SA}" cannot impersonate-on:user-info:list resource "configmaps" in API group "" in the namespace "team": RBAC: role.rbac.authorization.k8s.io "missing" not found`,
    );
  });
});
