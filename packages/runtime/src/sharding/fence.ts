/**
 * The sharder's fence: it takes over the shard Lease of a shard it judged expired, so that
 * the shard can no longer renew it, before it moves the shard's objects.
 */
import type { Api } from '@kube-ts/client';
import { isConflict } from '@kube-ts/core';
import type { Lease } from '@kube-ts/k8s/coordination/v1';
import { claimRecord, readRecord, sameRecord, withRecord } from '../leader/lease-record.js';
import { SHARDER_HOLDER } from './shard-states.js';

/**
 * - `fenced`: the sharder holds the Lease now.
 * - `renewed`: the Lease's record changed since the sharder judged it (its shard renewed
 *   it, or it was released): not expired, nothing written.
 * - `gone`: the Lease no longer exists.
 */
export type FenceOutcome = 'fenced' | 'renewed' | 'gone';

/**
 * Takes over `judged` (the shard Lease as the sharder last saw it, with the record it
 * judged expired), guarded by its resourceVersion. On 409 Conflict the Lease is read again:
 * a write that left its record as judged (the sharder's copy was stale, or only its
 * metadata changed) did not renew it, so the take-over is tried once more on the fresh
 * version; a changed record means the shard is alive. Without that second look, a stale
 * copy made every pass's fence fail with 409 for as long as it stayed stale, and the
 * shard's objects waited on a shard that was gone.
 */
export async function fenceShardLease(
  leases: Pick<Api<Lease>, 'getOpt' | 'replace'>,
  judged: Lease,
  leaseDurationMs: number,
  signal: AbortSignal,
): Promise<FenceOutcome> {
  const name = judged.metadata?.name ?? '';
  const seconds = Math.max(1, Math.ceil(leaseDurationMs / 1000));
  const take = (lease: Lease) =>
    leases.replace(
      name,
      withRecord(lease, name, claimRecord(readRecord(lease), SHARDER_HOLDER, seconds, Date.now())),
      { signal },
    );
  try {
    await take(judged);
    return 'fenced';
  } catch (error) {
    if (!isConflict(error)) throw error;
  }
  const fresh = await leases.getOpt(name, { signal });
  if (fresh === undefined) return 'gone';
  if (!sameRecord(readRecord(fresh), readRecord(judged))) return 'renewed';
  await take(fresh);
  return 'fenced';
}
