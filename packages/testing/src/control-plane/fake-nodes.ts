import { KWOK_NODE_ANNOTATION } from './component-flags.js';
import { ControlPlaneError } from './errors.js';
import { sendRequest, type TlsClientIdentity } from './http-request.js';

/** The name of the `index`th fake Node: `node-0`, `node-1`, … */
export function fakeNodeName(index: number): string {
  return `node-${index}`;
}

/**
 * A Node that kwok manages (annotated {@link KWOK_NODE_ANNOTATION}), with the well-known
 * labels a kubelet sets. No taint: every Pod may be scheduled there without tolerations.
 * kwok fills in its status (Ready, addresses, capacity of 1000 CPUs, 1 TiB and a million
 * pods, the kubelet endpoint).
 */
export function fakeNode(name: string): Record<string, unknown> {
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: {
      name,
      annotations: { [KWOK_NODE_ANNOTATION.key]: KWOK_NODE_ANNOTATION.value },
      labels: {
        'kubernetes.io/hostname': name,
        'kubernetes.io/os': 'linux',
        'kubernetes.io/arch': 'amd64',
        type: 'kwok',
      },
    },
  };
}

/**
 * Creates the fake Nodes `node-0` … on the API server at `url`.
 *
 * @throws {ControlPlaneError} when the API server refuses one.
 */
export async function createFakeNodes(
  url: string,
  tls: TlsClientIdentity,
  count: number,
): Promise<string[]> {
  const names = Array.from({ length: count }, (_, i) => fakeNodeName(i));
  await Promise.all(
    names.map(async (name) => {
      const res = await sendRequest(`${url}/api/v1/nodes`, {
        method: 'POST',
        json: fakeNode(name),
        tls,
      });
      if (res.status !== 201) {
        throw new ControlPlaneError(
          `creating Node ${name} failed (HTTP ${res.status}): ${res.body.slice(0, 300)}`,
        );
      }
    }),
  );
  return names;
}

/** Whether every named Node exists and its `Ready` condition is `True`. */
export async function nodesReady(
  url: string,
  tls: TlsClientIdentity,
  names: readonly string[],
): Promise<boolean> {
  const res = await sendRequest(`${url}/api/v1/nodes`, { tls });
  if (res.status !== 200) return false;
  const list = JSON.parse(res.body) as {
    items?: {
      metadata?: { name?: string };
      status?: { conditions?: { type?: string; status?: string }[] };
    }[];
  };
  const ready = new Set(
    (list.items ?? [])
      .filter((node) =>
        (node.status?.conditions ?? []).some((c) => c.type === 'Ready' && c.status === 'True'),
      )
      .map((node) => node.metadata?.name),
  );
  return names.every((name) => ready.has(name));
}
