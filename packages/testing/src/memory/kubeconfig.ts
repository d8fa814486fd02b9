import { writeFile } from 'node:fs/promises';
import { KubeConfig } from '@kubernetes/client-node/dist/config.js';
import { stringify } from 'yaml';

/** Where a client reaches the server and how it trusts it. */
export interface ServerAccess {
  /** `http://127.0.0.1:PORT`, or `https://…` when the server has a CA. */
  url: string;
  /** The admin bearer token. */
  token: string;
  /** PEM of the CA that issued the serving certificate (HTTPS only). */
  ca?: string;
}

/**
 * The kubeconfig document (as plain data). Over plain HTTP it sets
 * `insecure-skip-tls-verify: true`: there is nothing to verify, and client-node refuses an
 * `http:` server without it (kubectl and client-go accept it either way). Over
 * HTTPS it carries the CA as `certificate-authority-data`.
 */
export function kubeconfigDocument(access: ServerAccess): Record<string, unknown> {
  const cluster: Record<string, unknown> = { server: access.url };
  if (access.ca) cluster['certificate-authority-data'] = Buffer.from(access.ca).toString('base64');
  else cluster['insecure-skip-tls-verify'] = true;
  return {
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [{ name: 'memory', cluster }],
    users: [{ name: 'memory-admin', user: { token: access.token } }],
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

/** A client-node KubeConfig pointing at the server: the same file as {@link kubeconfigDocument}. */
export function kubeConfigFor(access: ServerAccess): KubeConfig {
  const kc = new KubeConfig();
  kc.loadFromString(JSON.stringify(kubeconfigDocument(access)));
  return kc;
}

/** Writes a kubeconfig file (mode 0600) usable by kubectl, client-go and client-node. */
export async function writeKubeconfigFile(path: string, access: ServerAccess): Promise<void> {
  await writeFile(path, stringify(kubeconfigDocument(access)), { mode: 0o600 });
}
