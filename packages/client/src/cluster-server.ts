import type { Cluster } from '@kubernetes/client-node/dist/config_types.js';
import { checkProxyUrl } from './agent.js';
import { KubeConfigError } from './errors.js';
import { missingClusterReason } from './kubeconfig.js';
import type { KubeConfigLike } from './kubeconfig-engine.js';

/**
 * The current cluster of a kubeconfig and its server URL, checked: a `KubeConfigError`
 * says what to fix when there is no current cluster, the server is not an http(s) URL,
 * or the cluster's `proxy-url` is not usable.
 */
export function clusterServer(kc: KubeConfigLike): { cluster: Cluster; base: URL } {
  const cluster = kc.getCurrentCluster();
  if (!cluster) {
    throw new KubeConfigError(
      `the kubeconfig has no current cluster: ${missingClusterReason(kc)}; ` +
        "fix the context or set another with 'kubectl config use-context NAME'",
    );
  }
  if (cluster.proxyUrl) checkProxyUrl(cluster.proxyUrl, cluster.name);
  let base: URL;
  try {
    base = new URL(cluster.server);
  } catch (err) {
    throw new KubeConfigError(
      `the kubeconfig's cluster '${cluster.name}' has server '${cluster.server}', which is not a URL; ` +
        'write it as https://host:port',
      undefined,
      err,
    );
  }
  if (base.protocol !== 'https:' && base.protocol !== 'http:') {
    throw new KubeConfigError(
      `the kubeconfig's cluster '${cluster.name}' has server '${cluster.server}'; only https:// and http:// are supported`,
    );
  }
  return { cluster, base };
}
