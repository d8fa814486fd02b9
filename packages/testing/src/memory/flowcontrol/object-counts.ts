/**
 * The object counts and average object sizes API Priority and Fairness estimates a LIST's
 * seats by, as kube-apiserver's storage reports them to its object count tracker: each
 * served resource on a timer of its own, at once when its storage starts (a built-in at
 * start, a custom resource when it is first asked about) and then every
 * `--etcd-count-metric-poll-period` (a minute by default) plus up to 120% of it at
 * random, each wait starting when a count is taken; so a LIST is estimated by the objects
 * there were at the resource's last count. A resource no longer served (its CRD gone) is
 * not counted again: three minutes after its last count (kube-apiserver's fixed
 * threshold; MemoryApiServer's `objectCountStaleSeconds`) its counts are stale (a LIST of
 * it is then estimated as the most objects of the largest size), and the hourly pruning
 * forgets counts an hour old. The size is each stored object's length as kube-apiserver
 * writes it to etcd (without its resourceVersion): the protobuf encoding for built-in
 * kinds, JSON for custom resources.
 */
import type { JsonObject } from '../json.js';
import { metaOf } from '../object-meta.js';
import { encodeProtobuf, hasProtobuf } from '../protobuf/encode.js';
import type { Storage } from '../storage.js';
import { seconds } from './clock.js';

/** What the storage last reported of one resource. */
export interface ObjectStats {
  readonly count: number;
  /** The average object size in bytes (0 when there are no objects). */
  readonly averageSize: number;
  /** Counted longer ago than the stale threshold (the resource is no longer served). */
  readonly stale?: true;
}

/** kube-apiserver's jitter of the count period: up to 120% more. */
const JITTER = 1.2;
/** How often counts an hour old are forgotten. */
const PRUNE_SECONDS = 3600;

/**
 * The stored objects' sizes. Stored objects are never mutated, so each is measured once,
 * when a poll first meets it (not when it is written: most are replaced before a poll).
 */
const sizes = new WeakMap<JsonObject, number>();

function sizeOf(o: JsonObject, builtin: boolean): number {
  let size = sizes.get(o);
  if (size === undefined) {
    const stored = { ...o, metadata: { ...metaOf(o), resourceVersion: '' } };
    size =
      builtin && hasProtobuf(o)
        ? encodeProtobuf(stored).length
        : Buffer.byteLength(JSON.stringify(stored));
    sizes.set(o, size);
  }
  return size;
}

/** How often counts are taken and when they are stale, in seconds. */
export interface CountTiming {
  /** The period between counts, before jitter (`--etcd-count-metric-poll-period`). */
  readonly pollSeconds: number;
  /** Counts older than this are stale (kube-apiserver: three minutes, fixed). */
  readonly staleSeconds: number;
}

/** One resource's last counts, when they were taken, and its timer while it is served. */
interface Tracked {
  stats: ObjectStats;
  countedAt: number;
  timer: NodeJS.Timeout | undefined;
}

/** The counts of every served resource, each taken on its own jittered timer. */
export class ObjectCounts {
  private readonly tracked = new Map<string, Tracked>();
  private pruner: NodeJS.Timeout | undefined;
  private running = false;

  /**
   * `served` lists the storage keys of the resources served now (`plural[.group]`);
   * `builtin` tells a built-in resource (stored in protobuf) by its storage key.
   */
  constructor(
    private readonly storage: Storage,
    private readonly served: () => Iterable<string>,
    private readonly timing: CountTiming,
    private readonly builtin: (resource: string) => boolean,
  ) {}

  /** Starts counting every served resource, until {@link stop}. */
  start(): void {
    this.running = true;
    this.sync();
    this.pruner ??= setInterval(() => this.prune(), PRUNE_SECONDS * 1000);
    this.pruner.unref();
  }

  stop(): void {
    this.running = false;
    clearInterval(this.pruner);
    this.pruner = undefined;
    for (const t of this.tracked.values()) {
      clearTimeout(t.timer);
      t.timer = undefined;
    }
  }

  /**
   * Starts the timers of resources served now and stops those of resources no longer
   * served (their counts stay until pruned).
   */
  sync(): void {
    if (!this.running) return;
    const now = new Set(this.served());
    for (const resource of now) {
      const t = this.tracked.get(resource);
      if (!t?.timer) this.count(resource);
    }
    for (const [resource, t] of this.tracked) {
      if (t.timer && !now.has(resource)) {
        clearTimeout(t.timer);
        t.timer = undefined;
      }
    }
  }

  /** The last counts of `resource` (`plural` or `plural.group`), if there are any. */
  of(resource: string): ObjectStats | undefined {
    this.sync();
    const t = this.tracked.get(resource);
    if (!t) return undefined;
    const stale = seconds() - t.countedAt > this.timing.staleSeconds;
    return stale ? { ...t.stats, stale: true } : t.stats;
  }

  /** Counts `resource` now and again after the jittered period. */
  private count(resource: string): void {
    let total = 0;
    let count = 0;
    const builtin = this.builtin(resource);
    for (const [, o] of this.storage.scan(resource)) {
      count++;
      total += sizeOf(o, builtin);
    }
    const wait = this.timing.pollSeconds * (1 + Math.random() * JITTER);
    const timer = setTimeout(() => this.count(resource), wait * 1000);
    timer.unref();
    this.tracked.set(resource, {
      stats: { count, averageSize: count > 0 ? Math.floor(total / count) : 0 },
      countedAt: seconds(),
      timer,
    });
  }

  /** Forgets counts taken more than an hour ago. */
  private prune(): void {
    const now = seconds();
    for (const [resource, t] of this.tracked) {
      if (now - t.countedAt >= PRUNE_SECONDS) this.tracked.delete(resource);
    }
  }
}
