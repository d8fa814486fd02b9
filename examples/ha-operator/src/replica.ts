/** One replica: a Manager that runs the stamper only while its LeaderElector leads. */
import { Api, type Client } from '@kube-ts/client';
import { leases } from '@kube-ts/k8s/coordination/v1';
import { LeaderElector, Manager } from '@kube-ts/runtime';
import type { Logger } from 'pino';
import { StampReconciler, stampController } from './stamper.js';

/** The Lease all replicas compete for. */
export const LEASE_NAME = 'ha-operator-leader';

/** Options of {@link replica}. */
export interface ReplicaOptions {
  readonly client: Client;
  readonly logger: Logger;
  /** Unique per process; written to the Lease while it leads (default: the elector's). */
  readonly identity: string;
  /** Namespace of the Lease, and the namespace watched (`''`: the Lease's, all watched). */
  readonly namespace: string;
  /** Watch only this namespace (default: every namespace). */
  readonly watchNamespace?: string;
  /** Port of the probes and metrics (0: any free port). */
  readonly port?: number;
  /** Lease timing; client-go's defaults (15 s, 10 s, 2 s) when not given. */
  readonly leaseDurationMs?: number;
  readonly renewDeadlineMs?: number;
  readonly retryPeriodMs?: number;
}

/**
 * A replica of the operator. `start()` on the result resolves after SIGTERM/SIGINT (the
 * Lease is released, so a standby takes over at once) and rejects when leadership is
 * lost: let that end the process, and Kubernetes restarts it as a standby.
 */
export function replica(options: ReplicaOptions): Manager {
  const { client, logger, identity } = options;
  const elector = new LeaderElector(Api.namespaced(client, leases, options.namespace), {
    name: LEASE_NAME,
    identity,
    leaseDurationMs: options.leaseDurationMs,
    renewDeadlineMs: options.renewDeadlineMs,
    retryPeriodMs: options.retryPeriodMs,
    logger,
  });
  return new Manager({ leaderElector: elector, port: options.port ?? 8080, logger }).addController(
    'stamper',
    stampController(client, options.watchNamespace ?? ''),
    (c) => c.run(new StampReconciler(identity), client),
  );
}
