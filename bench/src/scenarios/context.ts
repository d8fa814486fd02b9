import type { Backend } from '../backends/backend.js';
import { progress } from '../measure.js';
import type { Writer } from '../writer.js';

/** Object counts, rates and durations of one benchmark run. */
export interface Sizes {
  /** Scenario 1: ConfigMap counts of the initial sync. */
  readonly syncObjects: readonly number[];
  /** Scenarios 3 and 9: ConfigMaps cached for the memory figures. */
  readonly memoryObjects: number;
  /** Scenario 9: Pods cached full and metadata-only. */
  readonly podObjects: number;
  /** Scenarios 2 and 5: objects that receive the updates. */
  readonly churnObjects: number;
  /** Scenario 2: updates streamed to a synced store. */
  readonly ingestUpdates: number;
  /** Scenario 6: prepared events the replay server writes to a synced store. */
  readonly replayUpdates: number;
  /** Scenario 4: objects of the dispatch controller, and passes (the first is not counted). */
  readonly dispatchObjects: number;
  readonly dispatchPasses: number;
  /** Scenario 4: concurrency settings (0 = unbounded). */
  readonly dispatchConcurrency: readonly number[];
  /** Scenario 4: scheduler-alone cases. */
  readonly schedulerCases: readonly {
    readonly label: string;
    readonly requests: number;
    readonly keys: number;
  }[];
  /** Scenario 5: steady update rate and how long it lasts. */
  readonly latencyRate: number;
  readonly latencyDurationMs: number;
  /** Scenario 8: a steady rate every backend absorbs, and how long it lasts. */
  readonly steadyRate: number;
  readonly steadyDurationMs: number;
  /** Scenario 10: ConfigMaps of the sharded controller, and the replica counts. */
  readonly shardingObjects: number;
  readonly shardingReplicas: readonly number[];
}

/** Sizes of a full run (the figures). */
export const FULL: Sizes = {
  syncObjects: [10_000, 50_000],
  memoryObjects: 10_000,
  podObjects: 5_000,
  churnObjects: 1_000,
  ingestUpdates: 20_000,
  replayUpdates: 100_000,
  dispatchObjects: 10_000,
  dispatchPasses: 4,
  dispatchConcurrency: [1, 8, 0],
  schedulerCases: [
    { label: '10k distinct', requests: 10_000, keys: 10_000 },
    { label: '100k distinct', requests: 100_000, keys: 100_000 },
    { label: '100k duplicate (1k keys)', requests: 100_000, keys: 1_000 },
  ],
  latencyRate: 500,
  latencyDurationMs: 10_000,
  steadyRate: 100,
  steadyDurationMs: 10_000,
  shardingObjects: 20_000,
  shardingReplicas: [1, 2, 4],
};

/** Sizes of `--quick`: same scenarios, small counts, short phases. */
export const QUICK: Sizes = {
  syncObjects: [1_000],
  memoryObjects: 1_000,
  podObjects: 500,
  churnObjects: 200,
  ingestUpdates: 1_000,
  replayUpdates: 10_000,
  dispatchObjects: 1_000,
  dispatchPasses: 3,
  dispatchConcurrency: [1, 8, 0],
  schedulerCases: [
    { label: '10k distinct', requests: 10_000, keys: 10_000 },
    { label: '50k distinct', requests: 50_000, keys: 50_000 },
    { label: '50k duplicate (500 keys)', requests: 50_000, keys: 500 },
  ],
  latencyRate: 500,
  latencyDurationMs: 1_000,
  steadyRate: 100,
  steadyDurationMs: 3_000,
  shardingObjects: 2_000,
  shardingReplicas: [1, 2, 4],
};

/**
 * Latency samples a run of scenario 8 collects at least, outside `--quick`: a p99 of fewer
 * is one of the few largest samples, i.e. noise (at 20 updates/s, 10 s gave 200 samples
 * and a p99 that was the second-largest of them).
 */
export const MIN_LATENCY_SAMPLES = 1_000;

/**
 * `sizes` with the latency scenarios' rate replaced by `rate` (`--rate`) and their
 * duration by `durationMs` (`--duration`), when given. Without `--duration`, a full run's
 * scenario 8 lasts long enough for {@link MIN_LATENCY_SAMPLES} updates at its rate.
 */
export function withLatency(
  sizes: Sizes,
  rate: number | undefined,
  durationMs: number | undefined,
  quick: boolean,
): Sizes {
  const latencyRate = rate ?? sizes.latencyRate;
  const steadyRate = rate ?? sizes.steadyRate;
  const steadyDurationMs =
    durationMs ??
    (quick
      ? sizes.steadyDurationMs
      : Math.max(sizes.steadyDurationMs, Math.ceil(MIN_LATENCY_SAMPLES / steadyRate) * 1000));
  return {
    ...sizes,
    latencyRate,
    steadyRate,
    latencyDurationMs: durationMs ?? sizes.latencyDurationMs,
    steadyDurationMs,
  };
}

/** What every scenario of one backend works with. */
export class ScenarioContext {
  readonly #seeded = new Map<string, Promise<string>>();

  constructor(
    readonly backend: Backend,
    readonly writer: Writer,
    readonly sizes: Sizes,
    readonly runs: number,
    readonly cpuProfDir: string | undefined,
    readonly pageSize: number | undefined = undefined,
  ) {}

  /** The kube-ts LIST page size to put into a cache task, when one was asked for. */
  get pageSizeOption(): { pageSize?: number } {
    return this.pageSize ? { pageSize: this.pageSize } : {};
  }

  /**
   * The namespace holding `count` benchmark ConfigMaps (or Pods, for `pods`) for
   * `purpose`, seeding it on first use (datasets are shared between scenarios that only
   * read them; `sharding`'s objects get shard labels, so they have their own).
   */
  dataset(purpose: 'cache' | 'churn' | 'pods' | 'sharding', count: number): Promise<string> {
    const namespace = `bench-${purpose}-${count}`;
    let seeded = this.#seeded.get(namespace);
    if (!seeded) {
      seeded = (async () => {
        const what = purpose === 'pods' ? 'Pods' : 'ConfigMaps';
        progress(`[${this.backend.name}] seeding ${count} ${what} into ${namespace}`);
        const ms =
          purpose === 'pods'
            ? await this.writer.seedPods(namespace, count)
            : await this.writer.seed(namespace, count);
        progress(`[${this.backend.name}] seeded in ${(ms / 1000).toFixed(1)} s`);
        return namespace;
      })();
      this.#seeded.set(namespace, seeded);
    }
    return seeded;
  }
}
