import type {
  ControlPlaneBinaries,
  ControlPlaneComponent,
  ResolveBinariesOptions,
} from './binaries.js';
import type { AdminIdentity } from './certificates.js';
import { ControlPlaneError } from './errors.js';
import type { KwokResource } from './kwok-config.js';

/** Options of {@link ControlPlane.start}. */
export interface ControlPlaneOptions {
  /**
   * Also run kube-controller-manager, so garbage collection (ownerReferences), namespace
   * deletion, service-account tokens and the other built-in controllers work. Default
   * `false`: without it, dependents are never collected and a deleted namespace stays
   * `Terminating`.
   */
  readonly controllerManager?: boolean;
  /**
   * A cluster where Pods run: starts kube-scheduler and kwok, and creates this many fake
   * Nodes (`node-0`, `node-1`, …, untainted, as MemoryApiServer's) that kwok manages. Pods are then
   * scheduled, and kwok marks them Running and Ready (no container runs), Job pods
   * Succeeded, and removes deleted ones, so Deployments become Available and Jobs
   * complete. Implies `controllerManager: true`. Costs a few seconds of start-up (see
   * docs/testing.md). Default 0: no scheduler and no nodes, Pods stay Pending.
   */
  readonly nodes?: number;
  /**
   * kwok configuration objects for the fake kubelet (with `nodes` only):
   * `ClusterExec`/`Exec` (what `exec` runs, as a local command), `ClusterLogs`/`Logs` (the
   * file a container's `logs` come from), `ClusterAttach`/`Attach` (the file `attach`
   * follows), `ClusterPortForward`/`PortForward` (where a forwarded port connects), or
   * extra `Stage`s. Without them kwok answers those requests with an error. Default none.
   */
  readonly kwok?: readonly KwokResource[];
  /** How long each process may take to become healthy. Default 60 000 ms. */
  readonly startTimeoutMs?: number;
  /** kube-apiserver's port on 127.0.0.1. Default: a free port chosen by the OS. */
  readonly apiServerPort?: number;
  /** etcd's client port on 127.0.0.1. Default: a free port chosen by the OS. */
  readonly etcdPort?: number;
  /** Extra kube-apiserver flags, placed after (so overriding) the defaults. */
  readonly apiServerFlags?: readonly string[];
  /** The executables to run. Default: found by the binary lookup (`TEST_ASSET_*` variables, then `KUBEBUILDER_ASSETS`, then the kube-ts cache). */
  readonly binaries?: ControlPlaneBinaries;
  /** Where the binary lookup looks, when `binaries` is not given. */
  readonly resolve?: Omit<ResolveBinariesOptions, 'controllerManager' | 'nodes'>;
  /** The client-certificate user of `kubeConfig`. Default `kube-ts-admin` in `system:masters`. */
  readonly admin?: AdminIdentity;
}

/** Which optional components {@link ControlPlaneOptions} ask for, checked. */
export interface PlannedComponents {
  /** How many fake Nodes (kube-scheduler and kwok run when it is above 0). */
  readonly nodes: number;
  /** Whether kube-controller-manager runs (always with nodes). */
  readonly controllerManager: boolean;
}

/** The components `options` ask for; throws a ControlPlaneError for contradictory options. */
export function plannedComponents(options: ControlPlaneOptions): PlannedComponents {
  const nodes = options.nodes ?? 0;
  if (!Number.isInteger(nodes) || nodes < 0) {
    throw new ControlPlaneError(`nodes must be a whole number ≥ 0, not ${nodes}.`);
  }
  if (options.kwok !== undefined && options.kwok.length > 0 && nodes === 0) {
    throw new ControlPlaneError('kwok configuration objects need nodes: 1 or more.');
  }
  return { nodes, controllerManager: options.controllerManager === true || nodes > 0 };
}

/** `binaries`, once it is checked to hold every executable `planned` needs. */
export function checkBinaries(
  binaries: ControlPlaneBinaries,
  { nodes, controllerManager }: PlannedComponents,
): ControlPlaneBinaries {
  if (controllerManager && binaries.kubeControllerManager === undefined) {
    throw new ControlPlaneError(
      `${nodes > 0 ? 'nodes' : 'controllerManager: true'} needs a kube-controller-manager binary, but \`binaries\` has no kubeControllerManager.`,
    );
  }
  if (nodes > 0 && (binaries.kubeScheduler === undefined || binaries.kwok === undefined)) {
    throw new ControlPlaneError(
      'nodes needs kube-scheduler and kwok binaries, but `binaries` lacks kubeScheduler or kwok.',
    );
  }
  return binaries;
}

/** The processes `ControlPlane.stop` ends, in this order. */
export const STOP_ORDER: readonly ControlPlaneComponent[] = [
  'kwok',
  'kube-scheduler',
  'kube-controller-manager',
  'kube-apiserver',
  'etcd',
];
