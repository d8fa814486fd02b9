/**
 * The sharder's view of a ring's shard Leases: which shards are ready, which have expired
 * and which are gone, measured on the sharder's own monotonic clock.
 */
import type { Lease } from '@kube-ts/k8s/coordination/v1';
import { type LeaseRecord, readRecord, sameRecord } from '../leader/lease-record.js';

/** The holder the sharder writes into a shard Lease it takes over (a fence: the shard cannot renew it). */
export const SHARDER_HOLDER = 'kube-ts-sharder';

/**
 * - `ready`: held by its shard and changed less than its `leaseDurationSeconds` ago (as
 *   seen by the sharder): on the ring.
 * - `expired`: held by its shard but unchanged for `leaseDurationSeconds`: off the ring;
 *   the sharder takes the Lease over before it moves the shard's objects.
 * - `dead`: released by its shard (no holder) or taken over by the sharder: its objects
 *   move at once.
 * - `orphaned`: dead and unchanged for its lease duration plus the dead-Lease TTL: the
 *   sharder deletes it (guarded by its resourceVersion), so that Leases of pods long gone
 *   do not accumulate. A replica that comes back under that name creates it again.
 */
export type ShardState = 'ready' | 'expired' | 'dead' | 'orphaned';

/** One shard Lease as the sharder last saw it. */
export interface ShardView {
  /** The Lease's name. */
  readonly lease: string;
  /** The shard's identity (the holder), `undefined` when released or taken over. */
  readonly shard: string | undefined;
  readonly state: ShardState;
  /** Milliseconds until a `ready` shard expires unless its Lease changes (0 otherwise). */
  readonly expiresInMs: number;
}

interface Seen {
  readonly record: LeaseRecord;
  readonly atMs: number;
}

/**
 * Remembers when each shard Lease last changed, as client-go's leader election does: a
 * Lease counts as renewed when the sharder sees a new record, at the sharder's own clock
 * (never the `renewTime` written by another machine, so clock skew does not matter). A
 * sharder that starts (or takes over leadership) sees every Lease as just renewed, so it
 * waits a whole lease duration before it declares any shard expired.
 */
export class ShardStates {
  readonly #seen = new Map<string, Seen>();
  readonly #defaultDurationMs: number;
  readonly #deadLeaseTtlMs: number;

  /**
   * `defaultDurationMs` is used for a Lease that carries no `leaseDurationSeconds`; a dead
   * Lease is orphaned once unchanged for its duration plus `deadLeaseTtlMs`.
   */
  constructor(defaultDurationMs: number, deadLeaseTtlMs: number) {
    this.#defaultDurationMs = defaultDurationMs;
    this.#deadLeaseTtlMs = deadLeaseTtlMs;
  }

  /** The views of `leases` at `nowMs` (monotonic); forgets Leases no longer listed. */
  update(leases: readonly Lease[], nowMs: number): ShardView[] {
    const names = new Set<string>();
    const views: ShardView[] = [];
    for (const lease of leases) {
      const name = lease.metadata?.name ?? '';
      names.add(name);
      const record = readRecord(lease);
      const previous = this.#seen.get(name);
      const seen =
        previous !== undefined && sameRecord(previous.record, record)
          ? previous
          : { record, atMs: nowMs };
      this.#seen.set(name, seen);
      views.push(viewOf(name, seen, nowMs, this.#defaultDurationMs, this.#deadLeaseTtlMs));
    }
    for (const name of this.#seen.keys()) if (!names.has(name)) this.#seen.delete(name);
    return views;
  }
}

function viewOf(
  lease: string,
  seen: Seen,
  nowMs: number,
  defaultDurationMs: number,
  deadLeaseTtlMs: number,
): ShardView {
  const holder = seen.record.holderIdentity;
  const durationMs =
    seen.record.leaseDurationSeconds > 0
      ? seen.record.leaseDurationSeconds * 1000
      : defaultDurationMs;
  if (holder === '' || holder === SHARDER_HOLDER) {
    const orphaned = nowMs - seen.atMs >= durationMs + deadLeaseTtlMs;
    return { lease, shard: undefined, state: orphaned ? 'orphaned' : 'dead', expiresInMs: 0 };
  }
  const left = seen.atMs + durationMs - nowMs;
  return left > 0
    ? { lease, shard: holder, state: 'ready', expiresInMs: left }
    : { lease, shard: holder, state: 'expired', expiresInMs: 0 };
}
