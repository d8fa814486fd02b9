/**
 * The Job controller's back-off before it replaces failed Pods: after `n` failures since
 * the last success it creates no Pod until 10 s × 2^(n-1) (at most 10 min) have passed
 * since the last failure, the time a Pod finished being read as kube-controller-manager
 * reads it (its containers' latest `finishedAt` when all have terminated, else its `Ready`
 * condition turning `False`, else its deletion less the grace period, else its creation).
 * A success clears the count, keeping only failures that finished after it.
 */
import { type JsonObject, num, objAt, objects, strAt } from '../json.js';
import { metaOf } from '../object-meta.js';

const FIRST_MS = 10_000;
const MAX_MS = 600_000;

/** A Job's failures since its last success, and when the last of them finished (ms). */
export interface BackoffRecord {
  readonly failures: number;
  readonly lastFailure?: number;
}

const NONE: BackoffRecord = { failures: 0 };

/** `latestFinishTime`: the latest `finishedAt` of `statuses`, unless one has not finished. */
function latestFinish(statuses: JsonObject[], from: number | undefined): number | undefined {
  let latest = from;
  for (const status of statuses) {
    const at = Date.parse(strAt(objAt(objAt(status, 'state'), 'terminated'), 'finishedAt') ?? '');
    if (!Number.isFinite(at)) return undefined;
    latest = latest === undefined ? at : Math.max(latest, at);
  }
  return latest;
}

/** `getFinishedTime`: when `pod` finished (ms). */
export function finishedTime(pod: JsonObject): number {
  const status = objAt(pod, 'status');
  let containers = latestFinish(objects(status.containerStatuses), undefined);
  // Sidecars (init containers that always restart) finish after the regular containers.
  const sidecars = new Set(
    objects(objAt(pod, 'spec').initContainers)
      .filter((c) => c.restartPolicy === 'Always')
      .map((c) => c.name),
  );
  const init = objects(status.initContainerStatuses).filter((c) => sidecars.has(c.name));
  if (containers !== undefined) containers = latestFinish(init, containers);
  if (containers !== undefined) return containers;
  const ready = objects(status.conditions).find((c) => c.type === 'Ready');
  const readyFalse = Date.parse(strAt(ready, 'lastTransitionTime') ?? '');
  if (ready?.status === 'False' && Number.isFinite(readyFalse)) return readyFalse;
  const meta = metaOf(pod);
  const deleted = Date.parse(String(meta.deletionTimestamp ?? ''));
  if (Number.isFinite(deleted)) return deleted - num(meta.deletionGracePeriodSeconds) * 1000;
  return Date.parse(String(meta.creationTimestamp ?? ''));
}

/** The back-off records of the Jobs, by Job uid. */
export class PodBackoff {
  readonly #records = new Map<string, BackoffRecord>();
  /** Job uid → the uids of its succeeded Pods a saved record has seen. */
  readonly #seen = new Map<string, Set<string>>();

  /** The Job's succeeded Pods of `pods` no saved record has seen (so not counted in its status yet). */
  unseen(jobUid: string, succeeded: JsonObject[]): JsonObject[] {
    const seen = this.#seen.get(jobUid);
    return succeeded.filter((p) => !seen?.has(String(metaOf(p).uid)));
  }

  /** `newBackoffRecord`: the Job's record with Pods that succeeded or failed since it was saved. */
  next(jobUid: string, succeeded: JsonObject[], failed: JsonObject[]): BackoffRecord {
    const old = this.#records.get(jobUid) ?? NONE;
    const failures = failed.map(finishedTime).sort((a, b) => a - b);
    if (succeeded.length === 0) {
      if (failures.length === 0) return old;
      return { failures: old.failures + failures.length, lastFailure: failures.at(-1) };
    }
    const lastSuccess = Math.max(...succeeded.map(finishedTime));
    const after = failures.filter((t) => t > lastSuccess);
    return after.length === 0 ? NONE : { failures: after.length, lastFailure: after.at(-1) };
  }

  /** Keeps `record` as the Job's, made with the succeeded Pods `succeeded` (once its status counts them). */
  save(jobUid: string, record: BackoffRecord, succeeded: JsonObject[]): void {
    this.#records.set(jobUid, record);
    const seen = this.#seen.get(jobUid) ?? new Set<string>();
    for (const pod of succeeded) seen.add(String(metaOf(pod).uid));
    this.#seen.set(jobUid, seen);
  }

  /** Forgets a finished or deleted Job. */
  forget(jobUid: string): void {
    this.#records.delete(jobUid);
    this.#seen.delete(jobUid);
  }
}

/** `getRemainingTime`: how long (ms) after `now` a replacement must wait under `record`. */
export function remainingBackoff(record: BackoffRecord, now: number): number {
  if (record.failures === 0 || record.lastFailure === undefined) return 0;
  let backoff = FIRST_MS;
  for (let i = 1; i < record.failures; i++) {
    backoff *= 2;
    if (backoff >= MAX_MS) {
      backoff = MAX_MS;
      break;
    }
  }
  const elapsed = now - record.lastFailure;
  return backoff < elapsed ? 0 : backoff - elapsed;
}
