/**
 * The sharder: run by the replica that leads, it assigns the objects of a ring to the
 * ready shards on a consistent-hash ring, moves them with the drain handshake when the
 * shards change, and fences shards whose Lease expired.
 */
import { setMaxListeners } from 'node:events';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { type KubeObject, renderSelector, type SelectorLike } from '@kube-ts/core';
import type { Lease } from '@kube-ts/k8s/coordination/v1';
import type { Logger } from 'pino';
import type { Counter, Gauge, Registry } from 'prom-client';
import { interval, merge, type Subscription } from 'rxjs';
import type { Cache } from '../cache/cache.js';
import type { CacheLease } from '../cache/shared-watch.js';
import type { CacheSource } from '../cache/source.js';
import { describeError } from '../controller/logging.js';
import type { LeaderElector } from '../leader/leader-elector.js';
import type { Runnable } from '../manager/runnable.js';
import { promClient } from '../prom-client.js';
import { type AssignmentAction, type CurrentShard, decideAssignment } from './assignment.js';
import { patchLabels, type ShardedSource, type ShardedSources } from './controller-sharding.js';
import { fenceShardLease } from './fence.js';
import { controllerShardKey, type ShardedKind, shardKey } from './keys.js';
import { RING_LABEL } from './labels.js';
import type { ResolvedShardingOptions } from './options.js';
import { HashRing } from './ring.js';
import { ShardStates, type ShardView } from './shard-states.js';
import { type SharderWrite, WriteFailures } from './write-failures.js';

/** How many writes (label patches, fences, Lease deletions) the sharder sends at once. */
const CONCURRENT_PATCHES = 16;
/**
 * The most label writes one pass sends; the rest go to the next pass, which starts at
 * once. Fences are decided at the start of a pass, so a pass must stay short: the first
 * assignment of 20 000 objects took minutes in one pass, during which no expired shard
 * could be fenced.
 */
const WRITES_PER_PASS = 512;
/** How long the sharder lets a burst of changes gather before a pass. */
const GATHER_MS = 50;
/**
 * Objects a pass considers between two turns of the event loop. A pass over 20 000 objects
 * took hundreds of milliseconds of one synchronous loop on a loaded machine, during which
 * no timer of the replica ran (its Lease renewals among them); each decision is guarded by
 * the object's resourceVersion, so the store may change between slices.
 */
const CONSIDER_SLICE = 1000;

/** The sharder's metrics, in the manager's registry. */
class SharderMetrics {
  readonly objects: Gauge<'ring' | 'shard'>;
  readonly assignments: Counter<'ring' | 'action'>;
  readonly ringChanges: Counter<'ring'>;
  readonly fenced: Counter<'ring'>;
  readonly deleted: Counter<'ring'>;
  readonly uncached: Counter<'ring'>;

  constructor(registry: Registry) {
    const { Counter, Gauge } = promClient();
    this.objects = new Gauge({
      name: 'kube_ts_sharding_objects',
      help: 'Objects of the ring labelled with each shard, as the sharder last counted them (shard "" = unassigned)',
      labelNames: ['ring', 'shard'],
      registers: [registry],
    });
    this.assignments = new Counter({
      name: 'kube_ts_sharding_assignments_total',
      help: 'Label writes of the sharder: assign (to a shard) or drain (ask the shard to let go)',
      labelNames: ['ring', 'action'],
      registers: [registry],
    });
    this.ringChanges = new Counter({
      name: 'kube_ts_sharding_ring_changes_total',
      help: 'Times the set of ready shards changed (each one starts a rebalance)',
      labelNames: ['ring'],
      registers: [registry],
    });
    this.fenced = new Counter({
      name: 'kube_ts_sharding_shards_fenced_total',
      help: 'Shard Leases the sharder took over because they expired',
      labelNames: ['ring'],
      registers: [registry],
    });
    this.deleted = new Counter({
      name: 'kube_ts_sharding_leases_deleted_total',
      help: 'Dead shard Leases (released or fenced) the sharder deleted after the dead-Lease TTL',
      labelNames: ['ring'],
      registers: [registry],
    });
    this.uncached = new Counter({
      name: 'kube_ts_sharding_uncached_unassigned_total',
      help: 'Unassigned objects the sharder found by listing that its watch cache did not hold (a watch that missed them); they are assigned from the list',
      labelNames: ['ring'],
      registers: [registry],
    });
  }
}

/** The watches of one sharded controller's resources, metadata only. */
interface Watched {
  readonly kind: ShardedKind;
  readonly main: ShardedSource;
  readonly mainLease: CacheLease<KubeObject>;
  readonly owned: readonly { source: ShardedSource; lease: CacheLease<KubeObject> }[];
}

/** What the sharder needs from its manager. */
export interface SharderDeps {
  readonly cache: Cache;
  readonly elector: LeaderElector;
  readonly logger: Logger;
  readonly registry: Registry;
}

/**
 * A leader-only runnable. Each pass (after changes to shard Leases or ring objects, and
 * every retry period) computes, for every object, its shard on the ring of ready shards and
 * applies the rules of `decideAssignment`. Every write is guarded by the resourceVersion it
 * was computed from; a conflict waits for the next pass. Every failed write is counted
 * (`kube_ts_sharding_write_failures_total`) and logged with its reason when it repeats, and
 * passes that cannot run (a watch not synced, a pass still running) for longer than the
 * lease duration are logged, so the sharder never stalls silently.
 */
export class Sharder implements Runnable {
  readonly name = 'sharder';
  readonly #options: ResolvedShardingOptions;
  readonly #deps: SharderDeps;
  readonly #sources: (() => ShardedSources)[] = [];
  #states: ShardStates;
  readonly #metrics: SharderMetrics;
  readonly #failures: WriteFailures;
  readonly #logger: Logger;
  #ring: HashRing = new HashRing([]);
  #desired = new Map<string, string | undefined>();
  /** When the last pass ran (monotonic ms), and when a stall was last logged. */
  #lastPassMs = performance.now();
  #lastStallLogMs = Number.NEGATIVE_INFINITY;
  /**
   * The objects written in the previous pass and in this one, with the resourceVersion each
   * write was guarded by: a pass that follows at once (`WRITES_PER_PASS`) skips an object
   * whose cached copy is still that version (the echo of the write is on its way), instead
   * of sending the same write again to fail with 409.
   */
  #writtenBefore = new Map<string, string | undefined>();
  #writtenNow = new Map<string, string | undefined>();
  /** When the sharder last listed the unassigned objects (see `#uncached`). */
  #lastSweepMs = Number.NEGATIVE_INFINITY;
  /** The ring's shard Leases as last listed from the server, and whether any changed since. */
  #listed: { readonly atMs: number; readonly items: readonly Lease[] } | undefined;
  #leasesChanged = true;

  constructor(options: ResolvedShardingOptions, deps: SharderDeps) {
    this.#options = options;
    this.#deps = deps;
    this.#states = new ShardStates(options.leaseDurationMs, options.deadLeaseTtlMs);
    this.#metrics = new SharderMetrics(deps.registry);
    this.#logger = deps.logger.child({ component: 'sharder', ring: options.labels.ring });
    this.#failures = new WriteFailures(options.labels.ring, deps.registry, this.#logger);
  }

  /** Adds the sources of one sharded controller (read when the sharder starts). */
  register(sources: () => ShardedSources): void {
    this.#sources.push(sources);
  }

  async start(stop: AbortSignal): Promise<void> {
    // A new term (the first, or leading again after losing leadership) starts afresh: every
    // shard Lease counts as just seen, so no shard is fenced before a whole lease duration.
    this.#states = new ShardStates(this.#options.leaseDurationMs, this.#options.deadLeaseTtlMs);
    this.#listed = undefined;
    this.#leasesChanged = true;
    this.#writtenBefore = new Map();
    this.#writtenNow = new Map();
    // The sharder's own signal: up to CONCURRENT_PATCHES requests listen to it at once, more
    // than the 10 listeners past which Node warns of a leak.
    const signal = AbortSignal.any([stop]);
    setMaxListeners(CONCURRENT_PATCHES + 2, signal);
    const { cache } = this.#deps;
    const leases = cache.acquire(this.#options.leases as CacheSource<Lease>, {
      labelSelector: `${RING_LABEL}=${this.#options.labels.ring}`,
    });
    // The controller's own selectors: the sharder labels only what the controller watches.
    const acquire = ({ source, labelSelector, fieldSelector }: ShardedSource) =>
      cache.acquire(source, { labelSelector, fieldSelector, metadataOnly: true });
    const watched: Watched[] = this.#sources.map((get) => {
      const { main, owned } = get();
      return {
        kind: { group: main.source.resource.group, kind: main.source.resource.kind },
        main,
        mainLease: acquire(main),
        owned: owned.map((o) => ({ source: o, lease: acquire(o) })),
      };
    });
    const all = [leases, ...watched.flatMap((w) => [w.mainLease, ...w.owned.map((o) => o.lease)])];
    let running: Promise<void> | undefined;
    let again = false;
    const kick = () => {
      if (running !== undefined) {
        again = true;
        this.#stalled('the previous pass is still running');
        return;
      }
      running = new Promise<void>((resolve) => setTimeout(resolve, GATHER_MS))
        .then(() => this.#pass(watched, all, signal))
        .then((more) => {
          if (more) again = true;
        })
        .finally(() => this.#failures.endPass())
        .catch((error: unknown) =>
          this.#logger.error({ error: describeError(error) }, 'sharder pass failed'),
        )
        .finally(() => {
          running = undefined;
          if (again && !signal.aborted) {
            again = false;
            kick();
          }
        });
    };
    const leaseEvents = leases.events.subscribe(() => {
      this.#leasesChanged = true;
    });
    const subscription: Subscription = merge(
      ...all.map((l) => l.events),
      interval(this.#options.retryPeriodMs),
    ).subscribe(kick);
    this.#lastPassMs = performance.now();
    this.#logger.info('sharder started');
    await new Promise<void>((resolve) => {
      if (signal.aborted) resolve();
      else signal.addEventListener('abort', () => resolve(), { once: true });
    });
    subscription.unsubscribe();
    leaseEvents.unsubscribe();
    await running;
    for (const lease of all) lease.release();
  }

  /** One pass; resolves `true` when it left writes for the next pass. */
  async #pass(
    watched: readonly Watched[],
    all: readonly CacheLease<KubeObject>[],
    signal: AbortSignal,
  ): Promise<boolean> {
    if (signal.aborted) return false;
    if (!all.every((l) => l.store.isReady)) {
      this.#stalled('a watch of the sharder is not synced');
      return false;
    }
    if (!this.#deps.elector.confirmLeadership()) return false;
    this.#lastPassMs = performance.now();
    this.#writtenBefore = this.#writtenNow;
    this.#writtenNow = new Map();
    const current = await this.#shardLeases(signal);
    const byName = new Map(current.map((l) => [l.metadata?.name ?? '', l]));
    const views = this.#states.update(current, performance.now());
    const states = new Map<string, CurrentShard>();
    for (const view of views) {
      if (view.shard !== undefined && view.state !== 'dead') {
        states.set(view.shard, view.state === 'ready' ? 'ready' : 'expired');
      }
    }
    this.#updateRing([...states].filter(([, s]) => s === 'ready').map(([shard]) => shard));
    const fences = views.filter((v) => v.state === 'expired');
    await runLimited(
      fences.map((v) => () => this.#fence(byName.get(v.lease), v, signal)),
      CONCURRENT_PATCHES,
    );
    const orphans = views.filter((v) => v.state === 'orphaned');
    await runLimited(
      orphans.map((v) => () => this.#deleteOrphan(byName.get(v.lease), v, signal)),
      CONCURRENT_PATCHES,
    );
    const stateOf = (shard: string | undefined): CurrentShard =>
      (shard && states.get(shard)) || 'gone';
    const { shard: shardLabel, drain: drainLabel } = this.#options.labels;
    const counts = new Map<string, number>(this.#ring.shards.map((s) => [s, 0]));
    const work: (() => Promise<void>)[] = [];
    const consider = (
      source: CacheSource<KubeObject>,
      obj: KubeObject,
      key: string | undefined,
      ownerOnCurrent?: boolean,
    ) => {
      const labels = obj.metadata?.labels;
      const current = labels?.[shardLabel] ?? '';
      if (key !== undefined) counts.set(current, (counts.get(current) ?? 0) + 1);
      const input = {
        key,
        current,
        draining: labels?.[drainLabel] !== undefined,
        currentState: stateOf(current),
        ...(ownerOnCurrent === undefined ? {} : { ownerOnCurrent }),
      };
      const action = decideAssignment(input, { shardFor: (k) => this.#shardFor(k) });
      if (action.type === 'none') return;
      const rv = this.#writtenBefore.get(objectTarget(source, obj));
      if (rv !== undefined && rv === obj.metadata?.resourceVersion) return;
      work.push(() => this.#apply(source, obj, action, signal));
    };
    const sweep = performance.now() - this.#lastSweepMs >= this.#options.leaseDurationMs;
    if (sweep) this.#lastSweepMs = performance.now();
    for (const w of watched) {
      const mainKey = (obj: KubeObject) =>
        shardKey(w.kind, obj.metadata?.namespace, obj.metadata?.name ?? '');
      const mains = w.mainLease.store.list();
      if (!(await sliced(mains, (obj) => consider(w.main.source, obj, mainKey(obj)), signal))) {
        return false;
      }
      if (sweep) {
        for (const obj of await this.#uncached(w.main, w.mainLease, signal)) {
          consider(w.main.source, obj, mainKey(obj));
        }
      }
      for (const { source: sharded, lease } of w.owned) {
        const source = sharded.source;
        if (sweep) {
          for (const obj of await this.#uncached(sharded, lease, signal)) {
            consider(source, obj, controllerShardKey(obj.metadata, w.kind), false);
          }
        }
        const considerOwned = (obj: KubeObject) => {
          const key = controllerShardKey(obj.metadata, w.kind);
          const current = obj.metadata?.labels?.[shardLabel];
          const ref = obj.metadata?.ownerReferences?.find((r) => r.controller === true);
          const owner =
            ref === undefined
              ? undefined
              : w.mainLease.store.get({ namespace: obj.metadata?.namespace, name: ref.name });
          const ownerOnCurrent =
            current !== undefined && owner?.metadata?.labels?.[shardLabel] === current;
          consider(source, obj, key, ownerOnCurrent);
        };
        if (!(await sliced(lease.store.list(), considerOwned, signal))) return false;
      }
    }
    this.#metrics.objects.reset();
    for (const [shard, n] of counts)
      this.#metrics.objects.set({ ring: this.#options.labels.ring, shard }, n);
    // The pass let the event loop turn: still leading?
    if (!this.#deps.elector.confirmLeadership()) return false;
    await runLimited(work.slice(0, WRITES_PER_PASS), CONCURRENT_PATCHES);
    return work.length > WRITES_PER_PASS;
  }

  /**
   * The ring's shard Leases, listed from the server (label-selected: a few objects) when one
   * changed or half a retry period after the last list, never older. Expiry is judged, and
   * fences and deletions are guarded, on these, not on the watch cache: a cache that fell
   * behind (a silent watch, until the watcher notices) made the sharder judge from a stale
   * copy, and every fence it sent failed with 409 Conflict, so an expired shard's objects
   * stayed where they were. The watch only triggers passes.
   */
  async #shardLeases(signal: AbortSignal): Promise<readonly Lease[]> {
    const now = performance.now();
    const last = this.#listed;
    if (
      last !== undefined &&
      !this.#leasesChanged &&
      now - last.atMs < this.#options.retryPeriodMs / 2
    ) {
      return last.items;
    }
    this.#leasesChanged = false;
    const { items } = await this.#options.leases.list({
      labelSelector: `${RING_LABEL}=${this.#options.labels.ring}`,
      signal,
    });
    this.#listed = { atMs: now, items };
    return items;
  }

  /**
   * The unassigned objects of `sharded` (listed from the server, label-selected, metadata
   * only) that its watch cache does not hold. Once per lease duration, and only while the
   * cache holds no unassigned object (so the answer is normally empty, never the whole
   * collection): a watch that missed an object's creation would otherwise leave it
   * unassigned, and unreconciled, until the watch is relisted; each one found is logged,
   * counted and assigned from the list.
   */
  async #uncached(
    sharded: ShardedSource,
    lease: CacheLease<KubeObject>,
    signal: AbortSignal,
  ): Promise<KubeObject[]> {
    const shardLabel = this.#options.labels.shard;
    if (lease.store.list().some((obj) => !obj.metadata?.labels?.[shardLabel])) {
      return [];
    }
    const unassigned = `!${shardLabel}`;
    const source: CacheSource<KubeObject> = sharded.source.metadata?.() ?? sharded.source;
    const theirs = renderSelector(sharded.labelSelector as SelectorLike | undefined);
    const { items } = await source.list({
      labelSelector: theirs ? `${theirs},${unassigned}` : unassigned,
      ...(sharded.fieldSelector === undefined ? {} : { fieldSelector: sharded.fieldSelector }),
      signal,
    });
    const missed = items.filter(
      (obj) =>
        lease.store.get({ namespace: obj.metadata?.namespace, name: obj.metadata?.name ?? '' }) ===
        undefined,
    );
    if (missed.length > 0) {
      this.#metrics.uncached.inc({ ring: this.#options.labels.ring }, missed.length);
      this.#logger.warn(
        {
          resource: sharded.source.resource.plural,
          count: missed.length,
          objects: missed
            .slice(0, 5)
            .map((o) => `${o.metadata?.namespace ?? ''}/${o.metadata?.name}`),
        },
        "unassigned objects missing from the sharder's watch cache; assigning them from a list",
      );
    }
    return missed;
  }

  /** Logs (at most once per lease duration) that no pass has run for a lease duration. */
  #stalled(why: string): void {
    const now = performance.now();
    const limit = this.#options.leaseDurationMs;
    if (now - this.#lastPassMs < limit || now - this.#lastStallLogMs < limit) return;
    this.#lastStallLogMs = now;
    this.#logger.warn(
      { sinceLastPassMs: Math.round(now - this.#lastPassMs), why },
      'no sharder pass started for longer than the lease duration: expired shards are not fenced meanwhile',
    );
  }

  /** Rebuilds the ring when the set of ready shards changed. */
  #updateRing(ready: string[]): void {
    const next = [...new Set(ready)].sort();
    const shards = this.#ring.shards;
    if (next.length === shards.length && next.every((s, i) => s === shards[i])) return;
    this.#ring = new HashRing(next, this.#options.virtualNodes);
    this.#desired = new Map();
    this.#metrics.ringChanges.inc({ ring: this.#options.labels.ring });
    this.#logger.info({ shards: next }, 'ready shards changed; rebalancing');
  }

  /** The shard of `key` on the current ring (memoised until the ring changes). */
  #shardFor(key: string): string | undefined {
    if (this.#desired.has(key)) return this.#desired.get(key);
    const shard = this.#ring.shardFor(key);
    this.#desired.set(key, shard);
    return shard;
  }

  async #apply(
    source: CacheSource<KubeObject>,
    obj: KubeObject,
    action: Exclude<AssignmentAction, { type: 'none' }>,
    signal: AbortSignal,
  ): Promise<void> {
    const { shard, drain } = this.#options.labels;
    const labels =
      action.type === 'assign' ? { [shard]: action.shard, [drain]: null } : { [drain]: 'true' };
    try {
      await patchLabels(source, obj, labels, signal);
      this.#writtenNow.set(objectTarget(source, obj), obj.metadata?.resourceVersion);
      this.#metrics.assignments.inc({ ring: this.#options.labels.ring, action: action.type });
    } catch (error) {
      this.#failed(action.type, objectTarget(source, obj), error, signal);
    }
  }

  /**
   * Takes over the expired Lease of a shard (guarded by its resourceVersion): the shard
   * can no longer renew it, so it stays off the ring, and its objects can move.
   */
  async #fence(lease: Lease | undefined, view: ShardView, signal: AbortSignal): Promise<void> {
    if (lease === undefined) return;
    try {
      const outcome = await fenceShardLease(
        this.#options.leases,
        lease,
        this.#options.leaseDurationMs,
        signal,
      );
      if (outcome === 'fenced') {
        this.#metrics.fenced.inc({ ring: this.#options.labels.ring });
        this.#logger.warn({ shard: view.shard }, 'shard Lease expired; fenced, moving its objects');
      } else {
        this.#logger.info(
          { shard: view.shard, lease: view.lease, outcome },
          'shard Lease changed since it was judged expired; not fenced',
        );
      }
    } catch (error) {
      this.#failed('fence', `leases/${view.lease}`, error, signal);
    }
  }

  /**
   * Deletes a shard Lease that stayed dead past the TTL, only if it is still the version
   * the sharder judged (a precondition on its resourceVersion): a replica that took it
   * again in the meantime keeps it.
   */
  async #deleteOrphan(
    lease: Lease | undefined,
    view: ShardView,
    signal: AbortSignal,
  ): Promise<void> {
    if (lease === undefined) return;
    try {
      await this.#options.leases.delete(view.lease, {
        preconditions: { resourceVersion: lease.metadata?.resourceVersion },
        signal,
      });
      this.#metrics.deleted.inc({ ring: this.#options.labels.ring });
      this.#logger.info({ lease: view.lease }, 'deleted a dead shard Lease');
    } catch (error) {
      this.#failed('delete', `leases/${view.lease}`, error, signal);
    }
  }

  /** A failed write: counted and logged with its reason, unless the sharder is stopping. */
  #failed(write: SharderWrite, target: string, error: unknown, signal: AbortSignal): void {
    if (!signal.aborted) this.#failures.failed(write, target, error);
  }
}

/** How a write failure names the object it was for: `<resource>/<namespace>/<name>`. */
function objectTarget(source: CacheSource<KubeObject>, obj: KubeObject): string {
  const { namespace, name } = obj.metadata ?? {};
  return [source.resource.plural, namespace, name].filter(Boolean).join('/');
}

/**
 * Calls `each` on every item, letting the event loop turn after every `CONSIDER_SLICE`
 * items; false when `signal` aborted meanwhile (the rest is skipped).
 */
async function sliced<T>(
  items: readonly T[],
  each: (item: T) => void,
  signal: AbortSignal,
): Promise<boolean> {
  for (let i = 0; i < items.length; i++) {
    if (i > 0 && i % CONSIDER_SLICE === 0) {
      await nextTurn();
      if (signal.aborted) return false;
    }
    each(items[i]!);
  }
  return true;
}

/** Runs `work` with at most `limit` at once. */
async function runLimited(work: readonly (() => Promise<void>)[], limit: number): Promise<void> {
  let next = 0;
  const lane = async () => {
    while (next < work.length) await work[next++]!();
  };
  await Promise.all(Array.from({ length: Math.min(limit, work.length) }, lane));
}
