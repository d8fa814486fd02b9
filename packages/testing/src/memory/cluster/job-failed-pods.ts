/**
 * Which of a Job's Pods its `status.failed` has counted. kube-controller-manager counts each
 * failed Pod once through the `batch.kubernetes.io/job-tracking` finalizer (a Pod still
 * holding it is not counted yet); MemoryApiServer puts no finalizer on Pods, so it keeps
 * the counted Pods' uids here instead. A failed Pod is one in phase `Failed`, or deleted
 * (or gone) before it succeeded, unless the controller itself deleted it without counting
 * it (a suspended Job's Pods, whose finalizer the real controller removes first).
 */
import { type JsonObject, objAt } from '../json.js';
import { metaOf } from '../object-meta.js';

const uidOf = (obj: JsonObject) => String(metaOf(obj).uid);

/** The failed Pods of each Job, counted once each. */
export class FailedPods {
  /** Job uid → the uids of its Pods `status.failed` counts. */
  readonly #counted = new Map<string, Set<string>>();
  /** Job uid → its Pods gone before they succeeded, not counted yet. */
  readonly #gone = new Map<string, Set<string>>();
  /** Pods the controller deletes without counting them. */
  readonly #uncounted = new Set<string>();

  /** Notes that `pod` of the Job `jobUid` is gone (its last state). */
  gone(jobUid: string, pod: JsonObject): void {
    const uid = uidOf(pod);
    if (this.#uncounted.delete(uid) || objAt(pod, 'status').phase === 'Succeeded') return;
    const set = this.#gone.get(jobUid) ?? new Set<string>();
    set.add(uid);
    this.#gone.set(jobUid, set);
  }

  /** Notes that the controller is about to delete `pod` without counting it as failed. */
  deleteUncounted(pod: JsonObject): void {
    this.#uncounted.add(uidOf(pod));
  }

  /** The uids of the Job's failed Pods (of `pods`, or gone) not counted yet. */
  uncounted(jobUid: string, pods: JsonObject[]): string[] {
    const counted = this.#counted.get(jobUid);
    const out = new Set(this.#gone.get(jobUid));
    for (const pod of pods) {
      const phase = objAt(pod, 'status').phase;
      const failed =
        phase === 'Failed' ||
        (!!metaOf(pod).deletionTimestamp &&
          phase !== 'Succeeded' &&
          !this.#uncounted.has(uidOf(pod)));
      if (failed) out.add(uidOf(pod));
    }
    return [...out].filter((uid) => !counted?.has(uid));
  }

  /** Records that the Job's status now counts the Pods `uids`. */
  count(jobUid: string, uids: string[]): void {
    const set = this.#counted.get(jobUid) ?? new Set<string>();
    for (const uid of uids) set.add(uid);
    this.#counted.set(jobUid, set);
    const gone = this.#gone.get(jobUid);
    for (const uid of uids) gone?.delete(uid);
  }

  /** Forgets a finished or deleted Job. */
  forget(jobUid: string): void {
    this.#counted.delete(jobUid);
    this.#gone.delete(jobUid);
  }
}
