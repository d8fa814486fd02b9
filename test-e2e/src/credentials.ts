/**
 * Other identities on the backend's cluster, for authentication and authorization tests:
 * the same server with a bearer token, or with no credentials at all.
 */
import { KubeConfig } from '@kubernetes/client-node/dist/config.js';

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
