import { writeFile } from 'node:fs/promises';
import { KubeConfig } from '@kubernetes/client-node/dist/config.js';
import { stringify } from 'yaml';

/** The kubeconfig document (as plain data) for a server URL and bearer token. */
export function kubeconfigDocument(url: string, token: string): Record<string, unknown> {
  return {
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [{ name: 'memory', cluster: { server: url } }],
    users: [{ name: 'memory-admin', user: { token } }],
    contexts: [
      {
        name: 'memory',
        context: { cluster: 'memory', user: 'memory-admin', namespace: 'default' },
      },
    ],
    'current-context': 'memory',
    preferences: {},
  };
}

/** A client-node KubeConfig pointing at the server. */
export function kubeConfigFor(url: string, token: string): KubeConfig {
  const kc = new KubeConfig();
  kc.loadFromOptions({
    // Plain HTTP: nothing to verify, and client-node's own API clients refuse an http
    // server unless this is set.
    clusters: [{ name: 'memory', server: url, skipTLSVerify: true }],
    users: [{ name: 'memory-admin', token }],
    contexts: [{ name: 'memory', cluster: 'memory', user: 'memory-admin', namespace: 'default' }],
    currentContext: 'memory',
  });
  return kc;
}

/** Writes a kubeconfig file (mode 0600) usable by `kubectl --kubeconfig`. */
export async function writeKubeconfigFile(path: string, url: string, token: string): Promise<void> {
  await writeFile(path, stringify(kubeconfigDocument(url, token)), { mode: 0o600 });
}
