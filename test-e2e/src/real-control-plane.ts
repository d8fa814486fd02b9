import { ControlPlane, type KwokResource } from '@kube-ts/testing';
import { KubeConfig } from '@kubernetes/client-node/dist/config.js';

/**
 * How often kube-apiserver compacts etcd on the `real` backend (its default is 5 min). Each
 * compaction forgets the revisions older than the previous one, so within two intervals a
 * watch from an old resourceVersion gets 410 Gone, as on a long-running cluster.
 */
export const REAL_COMPACTION_INTERVAL = '5s';

/**
 * The resource whose watch cache is turned off on the `real` backend, so that its watches
 * read etcd directly: a watch from a compacted resourceVersion then gets 410 Gone. (With
 * the cache, kube-apiserver keeps replaying old events from memory for as long as its
 * buffer holds them, which on a quiet test cluster is the whole run.)
 */
export const UNCACHED_RESOURCE = 'secrets';

/** What a test file may ask of its real control plane beyond the default one. */
export interface RealControlPlaneOptions {
  readonly nodes?: number;
  readonly kwok?: readonly KwokResource[];
  readonly minRequestTimeoutSeconds?: number;
  readonly countMetricPollPeriodSeconds?: number;
}

/** What the `real` backend uses of a control plane, started here or taken from the pool. */
export interface RealControlPlane {
  readonly kubeConfig: KubeConfig;
  readonly kubeconfigPath: string;
  stopApiServer(options?: { readonly graceMs?: number }): Promise<void>;
  startApiServer(): Promise<void>;
  stop(): Promise<void>;
}

/** Whether a file with `options` can use a pooled control plane (the default one). */
export function isDefaultControlPlane(options: RealControlPlaneOptions): boolean {
  return (
    (options.nodes ?? 0) === 0 &&
    options.minRequestTimeoutSeconds === undefined &&
    options.countMetricPollPeriodSeconds === undefined
  );
}

/** Starts a control plane (etcd, kube-apiserver, kube-controller-manager) for one test file. */
export function startRealControlPlane(
  options: RealControlPlaneOptions = {},
): Promise<ControlPlane> {
  const nodes = options.nodes ?? 0;
  return ControlPlane.start({
    controllerManager: true,
    nodes,
    ...(nodes > 0 && options.kwok ? { kwok: options.kwok } : {}),
    apiServerFlags: [
      `--etcd-compaction-interval=${REAL_COMPACTION_INTERVAL}`,
      `--watch-cache-sizes=${UNCACHED_RESOURCE}#0`,
      ...(options.minRequestTimeoutSeconds === undefined
        ? []
        : [`--min-request-timeout=${options.minRequestTimeoutSeconds}`]),
      ...(options.countMetricPollPeriodSeconds === undefined
        ? []
        : [`--etcd-count-metric-poll-period=${options.countMetricPollPeriodSeconds}s`]),
    ],
  });
}

/** What the pool answers to a take: one started control plane. */
export interface PooledControlPlane {
  readonly id: string;
  readonly kubeconfigPath: string;
  readonly kubeconfig: string;
}

/**
 * Takes a started default control plane from the pool at `poolUrl` (see
 * control-plane-pool.ts); its `stop` hands it back, to be stopped there.
 */
export async function takePooledControlPlane(poolUrl: string): Promise<RealControlPlane> {
  const call = async (path: string): Promise<string> => {
    const res = await fetch(`${poolUrl}${path}`, { method: 'POST' });
    const text = await res.text();
    if (!res.ok) throw new Error(`control-plane pool: ${path}: ${text}`);
    return text;
  };
  const taken = JSON.parse(await call('/take')) as PooledControlPlane;
  const kubeConfig = new KubeConfig();
  kubeConfig.loadFromString(taken.kubeconfig);
  const id = encodeURIComponent(taken.id);
  return {
    kubeConfig,
    kubeconfigPath: taken.kubeconfigPath,
    stopApiServer: async (options = {}) => {
      await call(`/stop-api-server/${id}?graceMs=${options.graceMs ?? ''}`);
    },
    startApiServer: async () => {
      await call(`/start-api-server/${id}`);
    },
    stop: async () => {
      await call(`/release/${id}`);
    },
  };
}
