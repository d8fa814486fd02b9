/** The `sharding` options of a `Manager` and their defaults. */
import { hostname } from 'node:os';
import type { Api } from '@kube-ts/client';
import type { Lease } from '@kube-ts/k8s/coordination/v1';
import { checkShardName, type ShardLabels, shardLabels } from './labels.js';
import { DEFAULT_VIRTUAL_NODES } from './ring.js';

/**
 * Sharding of a `Manager`'s controllers across its replicas (guide: docs/sharding.md).
 * Every replica holds a shard Lease and reconciles only the objects labelled with its
 * shard; the replica that wins the manager's leader election also runs the sharder, which
 * assigns objects to shards on a consistent-hash ring.
 */
export interface ShardingOptions {
  /** The ring's name (a DNS-1123 label), e.g. the operator's name; in every label of the ring. */
  readonly ring: string;
  /**
   * Leases in the operator's namespace (`Api.namespaced(client, resources.leases, ns)`):
   * where each replica keeps its shard Lease `<ring>-<identity>`.
   */
  readonly leases: Api<Lease>;
  /**
   * This replica's shard name (a DNS-1123 label, unique among the replicas: the pod name).
   * Default: the host name (a pod's name in Kubernetes).
   */
  readonly identity?: string;
  /** How long the sharder waits, after it last saw a shard Lease change, before it fences the shard. Default 15 000 ms. */
  readonly leaseDurationMs?: number;
  /** A replica stops reconciling when it has not renewed its shard Lease for this long. Default 10 000 ms. */
  readonly renewDeadlineMs?: number;
  /** Time between renewals of the shard Lease (and the sharder's periodic pass). Default 2 000 ms. */
  readonly retryPeriodMs?: number;
  /** Virtual nodes per shard on the ring. Default 256. */
  readonly virtualNodes?: number;
  /**
   * How long a released or fenced shard Lease is kept, after its lease duration, before
   * the sharder deletes it (so that the Leases of pods long gone do not accumulate).
   * Default 60 000 ms.
   */
  readonly deadLeaseTtlMs?: number;
}

/** {@link ShardingOptions} with the defaults filled in and the names checked. */
export interface ResolvedShardingOptions {
  readonly labels: ShardLabels;
  readonly leases: Api<Lease>;
  readonly identity: string;
  readonly leaseDurationMs: number;
  readonly renewDeadlineMs: number;
  readonly retryPeriodMs: number;
  readonly virtualNodes: number;
  readonly deadLeaseTtlMs: number;
}

/** Fills in the defaults documented on {@link ShardingOptions}; throws a TypeError for a bad name. */
export function resolveShardingOptions(options: ShardingOptions): ResolvedShardingOptions {
  const identity = options.identity ?? hostname().toLowerCase();
  checkShardName('identity', identity);
  return {
    labels: shardLabels(options.ring),
    leases: options.leases,
    identity,
    leaseDurationMs: options.leaseDurationMs ?? 15_000,
    renewDeadlineMs: options.renewDeadlineMs ?? 10_000,
    retryPeriodMs: options.retryPeriodMs ?? 2_000,
    virtualNodes: options.virtualNodes ?? DEFAULT_VIRTUAL_NODES,
    deadLeaseTtlMs: options.deadLeaseTtlMs ?? 60_000,
  };
}
