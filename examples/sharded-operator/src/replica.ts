/**
 * One replica of the sharded operator: a Manager with leader election (for the sharder)
 * and sharding, running a reconciler that records every reconcile's start and end.
 */
import { appendFileSync } from 'node:fs';
import { Api, type Client } from '@kube-ts/client';
import { leases } from '@kube-ts/k8s/coordination/v1';
import { type ConfigMap, configMaps } from '@kube-ts/k8s/core/v1';
import { Action, Controller, LeaderElector, Manager, Reconciler } from '@kube-ts/runtime';
import type { Logger } from 'pino';

/** The ring's name. */
export const RING = 'sharded-demo';
/** The Lease the replicas elect the sharder with. */
export const LEADER_LEASE = 'sharded-demo-leader';
/** The label that puts a ConfigMap in the ring. */
export const SHARDED = 'sharded-demo.kube-ts.dev/member';

/** One line of the shared log (JSON): a reconcile's start or end, or a cache snapshot. */
export type LogRecord =
  | {
      readonly replica: string;
      readonly phase: 'start' | 'end';
      readonly object: string;
      readonly resourceVersion: string;
      /** The monotonic clock (CLOCK_MONOTONIC, shared by the processes of one host), µs. */
      readonly t: number;
    }
  | {
      readonly replica: string;
      readonly phase: 'cache';
      readonly objects: readonly string[];
      readonly t: number;
    };

/** Microseconds on the host's monotonic clock: comparable between processes of one machine. */
export function monotonicMicros(): number {
  return Number(process.hrtime.bigint() / 1000n);
}

/** Appends one record to the log at `path` (synchronously, one line: lines never interleave). */
export function record(path: string, entry: LogRecord): void {
  appendFileSync(path, `${JSON.stringify(entry)}\n`);
}

/** Records start and end of each reconcile; the work in between takes 10 to 30 ms. */
export class RecordingReconciler extends Reconciler<ConfigMap> {
  readonly #identity: string;
  readonly #log: string;

  /** A reconciler of replica `identity`, recording to `log`. */
  constructor(identity: string, log: string) {
    super();
    this.#identity = identity;
    this.#log = log;
  }

  async reconcile(cm: ConfigMap): Promise<Action> {
    const base = {
      replica: this.#identity,
      object: cm.metadata?.name ?? '',
      resourceVersion: cm.metadata?.resourceVersion ?? '',
    };
    record(this.#log, { ...base, phase: 'start', t: monotonicMicros() });
    await new Promise((resolve) => setTimeout(resolve, 10 + Math.random() * 20));
    record(this.#log, { ...base, phase: 'end', t: monotonicMicros() });
    return Action.awaitChange();
  }
}

/** Options of {@link shardedReplica}. */
export interface ShardedReplicaOptions {
  readonly client: Client;
  readonly logger: Logger;
  /** The replica's shard name (a DNS-1123 label). */
  readonly identity: string;
  /** Where the Leases and the sharded ConfigMaps are. */
  readonly namespace: string;
  /** The shared log file. */
  readonly log: string;
  readonly port?: number;
  readonly leaseDurationMs?: number;
  readonly renewDeadlineMs?: number;
  readonly retryPeriodMs?: number;
  /** How long a dead shard Lease is kept past its duration before the sharder deletes it. */
  readonly deadLeaseTtlMs?: number;
}

/** A replica, and its controller (whose store is this replica's shard). */
export function shardedReplica(options: ShardedReplicaOptions): {
  readonly manager: Manager;
  readonly controller: Controller<ConfigMap>;
} {
  const { client, logger, identity, namespace } = options;
  const timing = {
    leaseDurationMs: options.leaseDurationMs,
    renewDeadlineMs: options.renewDeadlineMs,
    retryPeriodMs: options.retryPeriodMs,
  };
  const leaseApi = Api.namespaced(client, leases, namespace);
  const manager = new Manager({
    leaderElector: new LeaderElector(leaseApi, {
      name: LEADER_LEASE,
      identity,
      logger,
      ...timing,
    }),
    sharding: {
      ring: RING,
      leases: leaseApi,
      identity,
      ...timing,
      deadLeaseTtlMs: options.deadLeaseTtlMs,
    },
    port: options.port ?? 8080,
    logger,
  });
  const controller = new Controller(Api.namespaced(client, configMaps, namespace), {
    labelSelector: `${SHARDED}=true`,
  });
  manager.addController('configmap', controller, (c) =>
    c.run(new RecordingReconciler(identity, options.log)),
  );
  return { manager, controller };
}
