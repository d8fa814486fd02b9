/**
 * Which implementation a worker process measures: kube-ts, the peer (client-node's
 * informer), or the floor (the cheapest JavaScript doing a cache's job, see
 * `workers/floor.ts`).
 */
export type Subject = 'kube-ts' | 'peer' | 'floor';

/** What every cluster task needs: where the server is and what to watch. */
interface ClusterFields {
  /** Path of a kubeconfig file for the server under test. */
  readonly kubeconfig: string;
  /** Namespace holding the seeded ConfigMaps. */
  readonly namespace: string;
  /** Number of seeded ConfigMaps (the store is ready when it holds that many). */
  readonly objects: number;
  /** kube-ts only: the watcher's LIST page size (default: the watcher's own, 500). */
  readonly pageSize?: number;
  /** What is seeded and cached (default `configmaps`; `pods` in scenario 9). */
  readonly resource?: BenchResource;
  /** Cache `PartialObjectMetadata` only (scenario 9; kube-ts and the floor). */
  readonly metadataOnly?: boolean;
}

/** The resources the benchmark seeds. */
export type BenchResource = 'configmaps' | 'pods';

/**
 * A task sent from the parent to a measured process (one task per process).
 * - `sync`: list+watch the namespace until the store is ready; with `heap`, then stop the
 *   stream, force GC and report the retained heap per cached object.
 * - `ingest`: sync, say `ready`, then count `updates` update events.
 * - `latency`: sync (through a Controller for kube-ts), say `ready`, record write→reconcile
 *   latencies until told `stop`.
 * - `dispatch`: a Controller with a no-op reconciler over the objects, `passes` full passes,
 *   at each concurrency in turn.
 * - `scheduler`: the Scheduler alone, each case in turn.
 * - `shared`: two controllers that both own the ConfigMaps (kube-ts: in one cache, as a
 *   Manager runs them; the peer: an informer each); report the retained heap of the first
 *   and of the second controller's view, say `ready` with both running (the parent then
 *   counts the server's watches) and stop on `stop`.
 * - `sharded`: one replica of a sharded Manager (scenario 10; kube-ts only): it joins ring
 *   `ring` as `identity` and says `ready`; on `stop` (sent to every replica once the
 *   sharder has assigned every object) it waits until its store holds its shard, times
 *   `passes` full passes of a no-op reconciler over it, reports its objects and retained
 *   heap, then stops (releasing its Leases).
 */
export type Task =
  | (ClusterFields & { readonly kind: 'sync'; readonly heap?: 'default' | 'keepManagedFields' })
  | (ClusterFields & { readonly kind: 'ingest'; readonly updates: number })
  | (ClusterFields & { readonly kind: 'latency' })
  | (ClusterFields & { readonly kind: 'shared' })
  | (ClusterFields & {
      readonly kind: 'sharded';
      readonly ring: string;
      readonly identity: string;
      readonly passes: number;
    })
  | (ClusterFields & {
      readonly kind: 'dispatch';
      /** Concurrencies to measure in turn (0 = unbounded). */
      readonly concurrency: readonly number[];
      readonly passes: number;
    })
  | { readonly kind: 'scheduler'; readonly cases: readonly SchedulerCase[] };

/** A task that runs against a cluster. */
export type ClusterTask = Exclude<Task, { kind: 'scheduler' }>;

/** One scheduler-alone case: `requests` requests over `keys` distinct keys. */
export interface SchedulerCase {
  readonly label: string;
  readonly requests: number;
  readonly keys: number;
}

/** Messages from the parent to a worker. */
export type ParentMessage =
  /** Load what `task` needs and answer `loaded`; the task starts with `start`. */
  | { readonly type: 'prepare'; readonly task: Task }
  | { readonly type: 'start' }
  | { readonly type: 'stop' };

/** Named numbers a worker reports (e.g. `syncMs`, `peakRssMiB`). */
export type Measurements = Record<string, number>;

/** Messages from a worker to the parent. */
export type WorkerMessage =
  | { readonly type: 'loaded' }
  | { readonly type: 'ready' }
  | {
      readonly type: 'result';
      readonly values: Measurements;
      readonly samples?: number[];
      readonly clientSamples?: number[];
    }
  | { readonly type: 'error'; readonly message: string };

/** Key of the dispatch rate at one concurrency (0 = unbounded) in a worker's values. */
export function dispatchKey(concurrency: number): string {
  return `reconcilesPerSecond@${concurrency}`;
}

/** Key of one figure of one scheduler case in a worker's values. */
export function schedulerKey(c: SchedulerCase, figure: string): string {
  return `${c.label}:${figure}`;
}
