/**
 * Other identities on the backend's cluster, for authentication and authorization tests:
 * the same server with a bearer token, or with no credentials at all.
 */
import { KubeConfig } from '@kubernetes/client-node/dist/config.js';
import { expect } from 'vitest';
import { raw } from './raw-http.js';

/** A kubeconfig for `admin`'s cluster that authenticates with `bearer` instead. */
export function withToken(admin: KubeConfig, bearer: string): KubeConfig {
  const cluster = admin.getCurrentCluster();
  if (!cluster) throw new Error('the backend kubeconfig has no current cluster');
  const kc = new KubeConfig();
  kc.loadFromOptions({
    clusters: [cluster],
    users: [{ name: 'token', token: bearer }],
    contexts: [{ name: 'token', cluster: cluster.name, user: 'token' }],
    currentContext: 'token',
  });
  return kc;
}

/** A kubeconfig for `admin`'s cluster with no credentials (an anonymous client). */
export function anonymous(admin: KubeConfig): KubeConfig {
  const cluster = admin.getCurrentCluster();
  if (!cluster) throw new Error('the backend kubeconfig has no current cluster');
  const kc = new KubeConfig();
  kc.loadFromOptions({
    clusters: [cluster],
    users: [{ name: 'anonymous' }],
    contexts: [{ name: 'anonymous', cluster: cluster.name, user: 'anonymous' }],
    currentContext: 'anonymous',
  });
  return kc;
}

/**
 * Creates ServiceAccount `name` in `namespace` (as `admin`) and answers a kubeconfig that
 * authenticates as it with a TokenRequest token.
 */
export async function asNewServiceAccount(
  admin: KubeConfig,
  namespace: string,
  name: string,
): Promise<KubeConfig> {
  const sa = await raw(admin, 'POST', `/api/v1/namespaces/${namespace}/serviceaccounts`, {
    body: { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name } },
  });
  expect(sa.status, sa.text).toBe(201);
  const path = `/api/v1/namespaces/${namespace}/serviceaccounts/${name}/token`;
  const issued = await raw(admin, 'POST', path, {
    body: { apiVersion: 'authentication.k8s.io/v1', kind: 'TokenRequest', spec: {} },
  });
  expect(issued.status, issued.text).toBe(201);
  return withToken(admin, issued.json().status.token);
}
