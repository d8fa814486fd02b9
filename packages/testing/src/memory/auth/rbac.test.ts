import { describe, expect, it } from 'vitest';
import { forbidden } from './forbidden.js';
import { ruleAllows } from './rbac.js';
import { requestAttributes } from './request-attributes.js';

const at = (method: string, path: string) =>
  requestAttributes(method, new URL(path, 'http://localhost'));

describe('ruleAllows', () => {
  it('matches verbs, groups and resources, with * wildcards', () => {
    const rule = { apiGroups: [''], resources: ['configmaps'], verbs: ['get', 'list'] };
    expect(ruleAllows(rule, at('GET', '/api/v1/namespaces/n/configmaps'))).toBe(true);
    expect(ruleAllows(rule, at('GET', '/api/v1/namespaces/n/configmaps?watch=true'))).toBe(false);
    expect(ruleAllows(rule, at('GET', '/apis/apps/v1/namespaces/n/deployments'))).toBe(false);
    const all = { apiGroups: ['*'], resources: ['*'], verbs: ['*'] };
    expect(ruleAllows(all, at('DELETE', '/apis/apps/v1/namespaces/n/deployments'))).toBe(true);
    expect(ruleAllows(all, at('GET', '/healthz'))).toBe(false);
  });

  it('needs the subresource named (or */sub); a resource rule does not cover its subresources', () => {
    const pods = { apiGroups: [''], resources: ['pods'], verbs: ['get'] };
    expect(ruleAllows(pods, at('GET', '/api/v1/namespaces/n/pods/p/log'))).toBe(false);
    const logs = { apiGroups: [''], resources: ['pods/log'], verbs: ['get'] };
    expect(ruleAllows(logs, at('GET', '/api/v1/namespaces/n/pods/p/log'))).toBe(true);
    const anyStatus = { apiGroups: ['*'], resources: ['*/status'], verbs: ['update'] };
    expect(
      ruleAllows(anyStatus, at('PUT', '/apis/apps/v1/namespaces/n/deployments/d/status')),
    ).toBe(true);
  });

  it('restricts to resourceNames (never matching a request without a name)', () => {
    const rule = {
      apiGroups: [''],
      resources: ['secrets'],
      verbs: ['get', 'list'],
      resourceNames: ['a'],
    };
    expect(ruleAllows(rule, at('GET', '/api/v1/namespaces/n/secrets/a'))).toBe(true);
    expect(ruleAllows(rule, at('GET', '/api/v1/namespaces/n/secrets/b'))).toBe(false);
    expect(ruleAllows(rule, at('GET', '/api/v1/namespaces/n/secrets'))).toBe(false);
    expect(
      ruleAllows(rule, at('GET', '/api/v1/namespaces/n/secrets?fieldSelector=metadata.name=a')),
    ).toBe(true);
  });

  it('matches nonResourceURLs exactly or by a trailing *', () => {
    const rule = { nonResourceURLs: ['/healthz', '/apis/*'], verbs: ['get'] };
    expect(ruleAllows(rule, at('GET', '/healthz'))).toBe(true);
    expect(ruleAllows(rule, at('GET', '/healthz/etcd'))).toBe(false);
    expect(ruleAllows(rule, at('GET', '/apis/apps'))).toBe(true);
  });
});

describe('forbidden', () => {
  it('writes kube-apiserver messages and details', () => {
    const user = 'system:serviceaccount:ns:sa';
    expect(forbidden(user, at('GET', '/api/v1/namespaces/ns/configmaps'), '').toStatus()).toEqual({
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message: `configmaps is forbidden: User "${user}" cannot list resource "configmaps" in API group "" in the namespace "ns"`,
      reason: 'Forbidden',
      details: { kind: 'configmaps' },
      code: 403,
    });
    expect(forbidden(user, at('GET', '/api/v1/namespaces/ns/pods/p/log'), '').message).toBe(
      `pods "p" is forbidden: User "${user}" cannot get resource "pods/log" in API group "" in the namespace "ns"`,
    );
    expect(forbidden(user, at('GET', '/apis/apps/v1/deployments'), 'RBAC: x').message).toBe(
      `deployments.apps is forbidden: User "${user}" cannot list resource "deployments" in API group "apps" at the cluster scope: RBAC: x`,
    );
    const path = forbidden(user, at('GET', '/metrics'), '').toStatus();
    expect(path.message).toBe(`forbidden: User "${user}" cannot get path "/metrics"`);
    expect(path.details).toEqual({});
  });
});
