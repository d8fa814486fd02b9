import { copyFile, writeFile } from 'node:fs/promises';
import { type Faults, type KwokResource, MemoryApiServer } from '@kube-ts/testing';
import { KubeConfig } from '@kubernetes/client-node/dist/config.js';
import { inject } from 'vitest';
import { raw } from './raw-http.js';
import {
  isDefaultControlPlane,
  startRealControlPlane,
  takePooledControlPlane,
} from './real-control-plane.js';

/** The API servers the e2e suite runs against. */
export type BackendName = 'memory' | 'real' | 'existing';

/**
 * One API server for a test file, with what it can do besides the Kubernetes API.
 * Optional members are absent where the backend cannot do it; tests that need them
 * check the backend name and say why they do something else.
 */
export interface Backend {
  readonly name: BackendName;
  readonly kubeConfig: KubeConfig;
  /** Forget watch history now, so a watch from an older resourceVersion gets 410 Gone. */
  readonly compact?: () => void;
  /**
   * End every open watch connection now, as a restarting API server would (MemoryApiServer
   * only: its fault injection is reachable in this process, not over HTTP).
   */
  readonly dropWatches?: () => void;
  /**
   * MemoryApiServer's simulated container runtime (exec, attach, port-forward and log
   * handlers), reachable in this process only.
   */
  readonly containers?: MemoryApiServer['containers'];
  /** MemoryApiServer's fault injection (failures, latency), reachable in this process only. */
  readonly faults?: MemoryApiServer['faults'];
  /** Stop the API server and start it again on the same address, keeping the data. */
  readonly restartApiServer?: () => Promise<void>;
  /** SIGKILL the API server and start it again on the same address, keeping the data. */
  readonly killApiServer?: () => Promise<void>;
  /** MemoryApiServer's fault injector (memory backend only). */
  readonly memoryFaults?: Faults;
  /**
   * Writes the kubeconfig the API server's own tooling makes (MemoryApiServer's
   * `writeKubeconfig`, ControlPlane's `kubeconfigPath`), so clients are tested on it as is.
   */
  writeKubeconfig(path: string): Promise<void>;
  /** Whether ownerReference garbage collection and namespace deletion really happen. */
  readonly hasGarbageCollector: boolean;
  /**
   * How many WATCH requests of `resource` (plural) in one namespace the server is serving
   * now, as the server counts them: kube-apiserver's `apiserver_longrunning_requests`
   * gauge (`verb="WATCH"`, `scope="namespace"`); MemoryApiServer counts its open watches
   * of every resource and scope together, so a test that uses it watches nothing else.
   */
  openWatches(resource: string): Promise<number>;
  /** Stops what `startBackend` started (nothing, for an existing cluster). */
  stop(): Promise<void>;
}

/** The backend chosen by `KUBE_TS_E2E_BACKEND` (default `memory`). */
export function backendName(): BackendName {
  const name = process.env.KUBE_TS_E2E_BACKEND ?? 'memory';
  if (name !== 'memory' && name !== 'real' && name !== 'existing') {
    throw new Error(`KUBE_TS_E2E_BACKEND=${name} is not a backend; use memory, real or existing`);
  }
  return name;
}

/** What a test file needs of its backend. */
export interface BackendOptions {
  /**
   * A cluster where Pods run, with this many Nodes: MemoryApiServer's simulated scheduler,
   * kubelets and workload controllers (`memory`), kube-scheduler and kwok (`real`); an
   * existing cluster has its own. Default 0.
   */
  readonly nodes?: number;
  /** kwok's configuration objects (ClusterExec, ClusterLogs, …), for the real backend with nodes. */
  readonly kwok?: readonly KwokResource[];
  /**
   * MemoryApiServer serves HTTPS (its `tls` option), as the real servers always do; only
   * then is a request without credentials `system:anonymous` there. Default false.
   */
  readonly tls?: boolean;
  /**
   * kube-apiserver's `--min-request-timeout` in seconds (MemoryApiServer's
   * `minRequestTimeoutSeconds`): a watch without `timeoutSeconds` lasts between it and
   * twice it. Default: the servers' own (1800). An existing cluster keeps its setting.
   */
  readonly minRequestTimeoutSeconds?: number;
  /**
   * kube-apiserver's `--etcd-count-metric-poll-period` in seconds (MemoryApiServer's
   * `countMetricPollPeriodSeconds`): how often the object counts by which API Priority and
   * Fairness estimates a LIST's seats are taken. Default: the servers' own (60).
   */
  readonly countMetricPollPeriodSeconds?: number;
  /**
   * MemoryApiServer's `objectCountStaleSeconds`: how old object counts get before they are
   * stale. kube-apiserver has it fixed at 180, so the `real` and `existing` backends ignore
   * it (a test waits the threshold of the backend it runs on).
   */
  readonly memoryObjectCountStaleSeconds?: number;
}

/** Starts the backend chosen by `KUBE_TS_E2E_BACKEND`. */
export async function startBackend(options: BackendOptions = {}): Promise<Backend> {
  const name = backendName();
  const nodes = options.nodes ?? 0;
  if (name === 'memory') {
    const server = await MemoryApiServer.start({
      nodes,
      tls: options.tls ?? false,
      ...(options.minRequestTimeoutSeconds === undefined
        ? {}
        : { minRequestTimeoutSeconds: options.minRequestTimeoutSeconds }),
      ...(options.countMetricPollPeriodSeconds === undefined
        ? {}
        : { countMetricPollPeriodSeconds: options.countMetricPollPeriodSeconds }),
      ...(options.memoryObjectCountStaleSeconds === undefined
        ? {}
        : { objectCountStaleSeconds: options.memoryObjectCountStaleSeconds }),
    });
    return {
      name,
      kubeConfig: server.kubeConfig,
      compact: () => server.faults.compact(),
      dropWatches: () => server.faults.dropWatches(),
      memoryFaults: server.faults,
      faults: server.faults,
      containers: server.containers,
      writeKubeconfig: (path) => server.writeKubeconfig(path),
      hasGarbageCollector: true,
      openWatches: async () => server.openWatches,
      stop: () => server.stop(),
    };
  }
  if (name === 'real') {
    // A file that needs nothing special takes a control plane the pool started ahead.
    const pool = inject('controlPlanePool');
    const cp =
      pool !== undefined && isDefaultControlPlane(options)
        ? await takePooledControlPlane(pool)
        : await startRealControlPlane(options);
    return {
      name,
      kubeConfig: cp.kubeConfig,
      restartApiServer: async () => {
        await cp.stopApiServer();
        await cp.startApiServer();
      },
      killApiServer: async () => {
        await cp.stopApiServer({ graceMs: 0 });
        await cp.startApiServer();
      },
      writeKubeconfig: (path) => copyFile(cp.kubeconfigPath, path),
      hasGarbageCollector: true,
      openWatches: (resource) => longRunningWatches(cp.kubeConfig, resource),
      stop: () => cp.stop(),
    };
  }
  if (process.env.USE_EXISTING_CLUSTER !== 'true') {
    throw new Error(
      'KUBE_TS_E2E_BACKEND=existing runs against the cluster in KUBECONFIG and needs ' +
        'USE_EXISTING_CLUSTER=true as a confirmation (the suite creates and deletes namespaces there)',
    );
  }
  const kubeConfig = new KubeConfig();
  kubeConfig.loadFromDefault();
  return {
    name,
    kubeConfig,
    writeKubeconfig: (path) => writeFile(path, kubeConfig.exportConfig(), { mode: 0o600 }),
    hasGarbageCollector: true,
    openWatches: (resource) => longRunningWatches(kubeConfig, resource),
    stop: async () => {},
  };
}

/** kube-apiserver's count of the namespaced WATCH requests of `resource` it serves now. */
async function longRunningWatches(kubeConfig: KubeConfig, resource: string): Promise<number> {
  const res = await raw(kubeConfig, 'GET', '/metrics');
  if (res.status !== 200) throw new Error(`GET /metrics answered ${res.status}: ${res.text}`);
  let total = 0;
  for (const line of res.text.split('\n')) {
    if (
      line.startsWith('apiserver_longrunning_requests{') &&
      line.includes(`resource="${resource}"`) &&
      line.includes('scope="namespace"') &&
      line.includes('verb="WATCH"')
    ) {
      total += Number(line.slice(line.lastIndexOf(' ') + 1));
    }
  }
  return total;
}
