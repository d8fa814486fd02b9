/**
 * Which of a Job's Pods its `status.failed` has counted. kube-controller-manager counts each
 * failed Pod once through the `batch.kubernetes.io/job-tracking` finalizer (a Pod still
 * holding it is not counted yet); MemoryApiServer puts the finalizer on too, but keeps the
 * counted Pods' uids here, which also covers a Pod gone without it (a client removed it). A failed Pod is one in phase `Failed`, or deleted
 * (or gone) before it succeeded, unless the controller itself deleted it without counting
 * it (a suspended Job's Pods, whose finalizer the real controller removes first). With
 * `podReplacementPolicy: Failed` (the default under a `podFailurePolicy`) a Pod being
 * deleted has not failed until it is in phase `Failed`. A Pod the Job's
 * `podFailurePolicy` ignores is counted here too (processed), though not in
 * `status.failed`.
 */
import { type JsonObject, objAt } from '../json.js';
import { metaOf } from '../object-meta.js';

const uidOf = (obj: JsonObject) => String(metaOf(obj).uid);

/** The failed Pods of each Job, counted once each. */
export class FailedPods {
  /** Job uid → the uids of its Pods `status.failed` counts. */
  readonly #counted = new Map<string, Set<string>>();
  /** Job uid → its Pods gone before they succeeded (by uid, their last state), not counted yet. */
  readonly #gone = new Map<string, Map<string, JsonObject>>();
  /** Pods the controller deletes without counting them. */
  readonly #uncounted = new Set<string>();

  /** Notes that `pod` of the Job `jobUid` is gone (its last state). */
  gone(jobUid: string, pod: JsonObject): void {
    const uid = uidOf(pod);
    if (this.#uncounted.delete(uid) || objAt(pod, 'status').phase === 'Succeeded') return;
    const gone = this.#gone.get(jobUid) ?? new Map<string, JsonObject>();
    gone.set(uid, pod);
    this.#gone.set(jobUid, gone);
  }

  /** Notes that the controller is about to delete `pod` without counting it as failed. */
  deleteUncounted(pod: JsonObject): void {
    this.#uncounted.add(uidOf(pod));
  }

  /**
   * The Job's failed Pods (of `pods`, or the last state of those gone) not counted yet;
   * `onlyFailed`: a Pod being deleted has failed only in phase `Failed`.
   */
  uncounted(jobUid: string, pods: JsonObject[], onlyFailed: boolean): JsonObject[] {
    const counted = this.#counted.get(jobUid);
    const out = new Map(this.#gone.get(jobUid));
    for (const pod of pods) {
      if (this.failed(pod, onlyFailed)) out.set(uidOf(pod), pod);
    }
    return [...out].filter(([uid]) => !counted?.has(uid)).map(([, pod]) => pod);
  }

  /** `isPodFailed`: in phase `Failed`, or (unless `onlyFailed`) deleted before it succeeded. */
  failed(pod: JsonObject, onlyFailed: boolean): boolean {
    const phase = objAt(pod, 'status').phase;
    if (phase === 'Failed') return true;
    if (onlyFailed) return false;
    return (
      !!metaOf(pod).deletionTimestamp && phase !== 'Succeeded' && !this.#uncounted.has(uidOf(pod))
    );
  }

  /** Records that the Job's status now accounts for the Pods `pods`. */
  count(jobUid: string, pods: JsonObject[]): void {
    const set = this.#counted.get(jobUid) ?? new Set<string>();
    for (const pod of pods) set.add(uidOf(pod));
    this.#counted.set(jobUid, set);
    const gone = this.#gone.get(jobUid);
    for (const pod of pods) gone?.delete(uidOf(pod));
  }

  /** Forgets a finished or deleted Job. */
  forget(jobUid: string): void {
    this.#counted.delete(jobUid);
    this.#gone.delete(jobUid);
  }
}
