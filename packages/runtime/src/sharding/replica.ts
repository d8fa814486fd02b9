/**
 * One replica of a sharded `Manager`: its shard Lease, the sharder it runs while it leads,
 * and what its controllers are given.
 */
import type { Logger } from 'pino';
import type { Registry } from 'prom-client';
import { filter, type Subscription, take } from 'rxjs';
import type { Cache } from '../cache/cache.js';
import { LeaderElector } from '../leader/leader-elector.js';
import type { ControllerSharding, ShardedSources } from './controller-sharding.js';
import { RING_LABEL, type ShardLabels, shardLeaseName } from './labels.js';
import {
  type ResolvedShardingOptions,
  resolveShardingOptions,
  type ShardingOptions,
} from './options.js';
import { Sharder } from './sharder.js';

/** What a replica needs from its manager. */
export interface ShardReplicaDeps {
  readonly cache: Cache;
  /** The manager's leader elector: its leader runs the sharder. */
  readonly leaderElector: LeaderElector;
  readonly logger: Logger;
  readonly registry: Registry;
}

/**
 * The shard side of a sharded manager. Its shard Lease is held with a {@link LeaderElector}
 * of its own (Lease `<ring>-<identity>`, labelled `sharding.kube-ts.dev/ring=<ring>`), so
 * the same renewal and fencing rules hold: a replica that has not renewed for
 * `renewDeadlineMs` starts no reconcile, which is before the sharder can declare the shard
 * expired (`leaseDurationMs` after it last saw the Lease change).
 */
export class ShardReplica implements ControllerSharding {
  readonly labels: ShardLabels;
  readonly identity: string;
  /** The sharder runnable (leader-only); the manager adds it. */
  readonly sharder: Sharder;
  readonly #elector: LeaderElector;
  #lost: Subscription | undefined;

  constructor(options: ShardingOptions, deps: ShardReplicaDeps) {
    const resolved: ResolvedShardingOptions = resolveShardingOptions(options);
    this.labels = resolved.labels;
    this.identity = resolved.identity;
    this.#elector = new LeaderElector(resolved.leases, {
      name: shardLeaseName(resolved.labels.ring, resolved.identity),
      identity: resolved.identity,
      leaseDurationMs: resolved.leaseDurationMs,
      renewDeadlineMs: resolved.renewDeadlineMs,
      retryPeriodMs: resolved.retryPeriodMs,
      labels: { [RING_LABEL]: resolved.labels.ring },
      logger: deps.logger,
    });
    this.sharder = new Sharder(resolved, { ...deps, elector: deps.leaderElector });
  }

  register(sources: () => ShardedSources): void {
    this.sharder.register(sources);
  }

  /** Starts holding the shard Lease; `onLost` is called once if it is lost after being held. */
  start(onLost: (error: Error) => void): void {
    let held = false;
    this.#lost = this.#elector.leading.subscribe((holding) => {
      if (holding) held = true;
      else if (held) {
        held = false;
        onLost(
          new Error(
            `lost shard Lease '${this.#elector.name}'; stopped all controllers. Exit and let ` +
              'the process restart to join the ring again',
          ),
        );
      }
    });
    this.#elector.start();
  }

  /** Resolves true once the shard Lease is held, false when `signal` aborts first. */
  held(signal: AbortSignal): Promise<boolean> {
    return new Promise<boolean>((resolve) => {
      let subscription: Subscription | undefined;
      const onAbort = () => {
        subscription?.unsubscribe();
        resolve(false);
      };
      if (signal.aborted) return onAbort();
      signal.addEventListener('abort', onAbort, { once: true });
      subscription = this.#elector.leading.pipe(filter(Boolean), take(1)).subscribe(() => {
        signal.removeEventListener('abort', onAbort);
        resolve(true);
      });
    });
  }

  /** Whether this replica may start a reconcile now (see `LeaderElector.confirmLeadership`). */
  confirm(): boolean {
    return this.#elector.confirmLeadership();
  }

  /** Stops renewing; releases the Lease when `release` (so the sharder moves the objects at once). */
  async stop(release: boolean): Promise<void> {
    this.#lost?.unsubscribe();
    await this.#elector.stop({ release });
  }
}
