import { stringify } from 'yaml';

/** What a kubeconfig for the control plane's admin user holds. */
export interface KubeconfigContents {
  /** API server URL, e.g. `https://127.0.0.1:6443`. */
  readonly server: string;
  /** PEM CA certificate that signs the serving certificate. */
  readonly ca: string;
  /** PEM client certificate. */
  readonly cert: string;
  /** PEM client key. */
  readonly key: string;
  /** Name of the cluster, user and context entries. Default `kube-ts-test`. */
  readonly name?: string;
}

const base64 = (pem: string) => Buffer.from(pem, 'utf8').toString('base64');

/**
 * A self-contained kubeconfig (certificates embedded as `*-data`) with one cluster, one
 * user and one context, which is the current context. Readable by kubectl and by
 * `KubeConfig.loadFromString` of `@kubernetes/client-node`.
 */
export function renderKubeconfig(contents: KubeconfigContents): string {
  const name = contents.name ?? 'kube-ts-test';
  return stringify({
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [
      {
        name,
        cluster: { server: contents.server, 'certificate-authority-data': base64(contents.ca) },
      },
    ],
    users: [
      {
        name,
        user: {
          'client-certificate-data': base64(contents.cert),
          'client-key-data': base64(contents.key),
        },
      },
    ],
    contexts: [{ name, context: { cluster: name, user: name } }],
    'current-context': name,
  });
}
