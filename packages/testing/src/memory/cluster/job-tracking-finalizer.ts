/**
 * The `batch.kubernetes.io/job-tracking` finalizer kube-controller-manager's Job
 * controller puts on each Pod it creates (after the template's own finalizers) and takes
 * off once it has accounted for the Pod: finished, being deleted, its Job finishing, or
 * an orphan (its Job gone, being deleted or finished, or no Job controls it any more).
 * A deleted Pod stays, `Terminating`, until then.
 */
import type { Json, JsonObject } from '../json.js';
import { metaOf } from '../object-meta.js';
import type { ApiState } from '../state.js';
import { objectKey } from '../storage.js';
import { PODS, tableOf, updateAs } from './writes.js';

/** The finalizer's name. */
export const JOB_TRACKING = 'batch.kubernetes.io/job-tracking';

const MANAGER = 'kube-controller-manager';

function finalizersOf(pod: JsonObject): Json[] {
  const list = metaOf(pod).finalizers;
  return Array.isArray(list) ? list : [];
}

/** Whether `pod` holds the finalizer. */
export function hasTrackingFinalizer(pod: JsonObject): boolean {
  return finalizersOf(pod).includes(JOB_TRACKING);
}

/** Adds the finalizer to a Pod about to be created (unless its template has it already). */
export function addTrackingFinalizer(pod: JsonObject): JsonObject {
  if (!hasTrackingFinalizer(pod)) metaOf(pod).finalizers = [...finalizersOf(pod), JOB_TRACKING];
  return pod;
}

/**
 * Takes the finalizer off the stored Pod `namespace`/`name`, if it holds it. A failure (the
 * Pod gone, a refusal) is left to the next sync, as the controller retries.
 */
export function removeTrackingFinalizer(s: ApiState, namespace: string, name: string): void {
  const pod = s.storage.get(tableOf(PODS), objectKey(namespace, name));
  if (pod === undefined || !hasTrackingFinalizer(pod)) return;
  try {
    updateAs(s, MANAGER, PODS, pod, (copy) => {
      const rest = finalizersOf(copy).filter((f) => f !== JOB_TRACKING);
      const meta = metaOf(copy);
      if (rest.length > 0) meta.finalizers = rest;
      else delete meta.finalizers;
    });
  } catch {
    // Tried again when the Job or the Pod next changes.
  }
}
