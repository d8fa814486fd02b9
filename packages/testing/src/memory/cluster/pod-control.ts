/**
 * kube-controller-manager's `RealPodControl`, which the ReplicaSet, ReplicationController,
 * Job and DaemonSet controllers create and delete their Pods through: each write is
 * followed by an Event on the owner from the controller's recorder (`SuccessfulCreate`
 * `Created pod: <name>`, `SuccessfulDelete` `Deleted pod: <name>`), and a refused one by a
 * Warning (`FailedCreate` `Error creating: <error>`, unless the namespace is being
 * terminated; `FailedDelete` `Error deleting: <error>`, unless the Pod is gone already).
 */
import { HttpStatusError } from '../errors.js';
import type { JsonObject } from '../json.js';
import { metaOf } from '../object-meta.js';
import type { ApiState } from '../state.js';
import { recordEvent } from './events.js';
import { createAs, deleteAs, PODS } from './writes.js';

const MANAGER = 'kube-controller-manager';

/** Creates `pod` for `owner` in `namespace` as `component`; the stored Pod. */
export function createPod(
  s: ApiState,
  component: string,
  owner: JsonObject,
  namespace: string,
  pod: JsonObject,
): JsonObject {
  let created: JsonObject;
  try {
    created = createAs(s, MANAGER, PODS, namespace, pod);
  } catch (err) {
    const terminating =
      err instanceof HttpStatusError &&
      (err.details?.causes ?? []).some((c) => c.reason === 'NamespaceTerminating');
    if (err instanceof HttpStatusError && !terminating) {
      recordEvent(s, component, owner, 'Warning', 'FailedCreate', `Error creating: ${err.message}`);
    }
    throw err;
  }
  recordEvent(
    s,
    component,
    owner,
    'Normal',
    'SuccessfulCreate',
    `Created pod: ${String(metaOf(created).name)}`,
  );
  return created;
}

/** Deletes `owner`'s Pod `pod` as `component`. */
export function deletePod(
  s: ApiState,
  component: string,
  owner: JsonObject,
  pod: JsonObject,
): void {
  const name = String(metaOf(pod).name);
  try {
    deleteAs(s, PODS, String(metaOf(pod).namespace), name);
  } catch (err) {
    if (err instanceof HttpStatusError && err.code !== 404) {
      recordEvent(s, component, owner, 'Warning', 'FailedDelete', `Error deleting: ${err.message}`);
    }
    throw err;
  }
  recordEvent(s, component, owner, 'Normal', 'SuccessfulDelete', `Deleted pod: ${name}`);
}
