/**
 * `backoffLimitPerIndex` as kube-controller-manager's Job controller keeps it for an
 * Indexed Job: each Pod carries its index's failures so far
 * (`batch.kubernetes.io/job-index-failure-count`, and those a `podFailurePolicy` ignored in
 * `job-index-ignored-failure-count`), an index fails once a counted failure finds the limit
 * reached (or a `FailIndex` rule matches), and a failed Pod is replaced after a back-off of
 * its own index, its finalizer kept until then so that its counts pass on.
 */
import type { JsonObject } from '../json.js';
import { objAt } from '../json.js';
import { metaOf } from '../object-meta.js';
import { completionIndex } from './job-completion-index.js';
import { finishedTime, remainingBackoff } from './job-pod-backoff.js';
import { matchPodFailurePolicy } from './job-pod-failure-policy.js';

const FAILURES = 'batch.kubernetes.io/job-index-failure-count';
const IGNORED = 'batch.kubernetes.io/job-index-ignored-failure-count';

/** An annotation's count: 0 when missing, unreadable, negative or past int32. */
function countAt(pod: JsonObject, key: string): number {
  const value = objAt(metaOf(pod), 'annotations')[key];
  if (typeof value !== 'string' || !/^[+-]?\d+$/.test(value)) return 0;
  const n = Number(value);
  return n >= 0 && n <= 2147483647 ? n : 0;
}

/** The Job spec's `backoffLimitPerIndex`, if it has one. */
export function backoffLimitPerIndex(spec: JsonObject): number | undefined {
  return typeof spec.backoffLimitPerIndex === 'number' ? spec.backoffLimitPerIndex : undefined;
}

/** `isIndexFailed`: whether the failed Pod `pod` fails its index under `limit`. */
export function failsIndex(spec: JsonObject, pod: JsonObject, limit: number): boolean {
  const match = matchPodFailurePolicy(spec, pod);
  if (match.action === 'FailIndex') return true;
  return match.counted && countAt(pod, FAILURES) >= limit;
}

/** The count annotations of a Pod replacing `replaced` (the index's last failed Pod, if any). */
export function failureCountAnnotations(
  spec: JsonObject,
  replaced: JsonObject | undefined,
): Record<string, string> {
  if (replaced === undefined) return { [FAILURES]: '0' };
  let failures = countAt(replaced, FAILURES);
  let ignored = countAt(replaced, IGNORED);
  if (matchPodFailurePolicy(spec, replaced).counted) failures++;
  else ignored++;
  return { [FAILURES]: String(failures), ...(ignored > 0 ? { [IGNORED]: String(ignored) } : {}) };
}

/** How long (ms) after `now` the index of `lastFailed` waits before its Pod is replaced. */
export function remainingIndexBackoff(lastFailed: JsonObject | undefined, now: number): number {
  if (lastFailed === undefined) return 0;
  const failures = countAt(lastFailed, FAILURES) + countAt(lastFailed, IGNORED) + 1;
  return remainingBackoff({ failures, lastFailure: finishedTime(lastFailed) }, now);
}

/**
 * `getPodsWithDelayedDeletionPerIndex`: for each index neither done, failed nor running,
 * its last failed Pod (most failures, then the latest to finish) of `failedPods`, which
 * keeps its finalizer until a Pod replaces it.
 */
export function lastFailedPerIndex(
  failedPods: readonly JsonObject[],
  skip: ReadonlySet<number>,
): Map<number, JsonObject> {
  const out = new Map<number, JsonObject>();
  const total = (p: JsonObject) => countAt(p, FAILURES) + countAt(p, IGNORED);
  for (const pod of failedPods) {
    const index = completionIndex(pod);
    if (index === undefined || skip.has(index)) continue;
    const last = out.get(index);
    if (
      last === undefined ||
      (total(last) <= total(pod) && finishedTime(pod) >= finishedTime(last))
    )
      out.set(index, pod);
  }
  return out;
}
