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

/**
 * `slowStartBatch`: calls `create` `count` times in growing batches (1, 2, 4, …), stopping
 * after a batch in which one failed, so that a refusal costs one try rather than `count`;
 * the first error, if any.
 */
export function slowStart(count: number, create: () => void): unknown {
  let first: unknown;
  for (let done = 0, batch = 1; done < count; batch *= 2) {
    const size = Math.min(batch, count - done);
    let failed = false;
    for (let i = 0; i < size; i++) {
      try {
        create();
      } catch (err) {
        if (!failed) first ??= err;
        failed = true;
      }
    }
    if (failed) return first;
    done += size;
  }
  return undefined;
}

/**
 * A controller's work queue back-off per key (`ItemExponentialFailureRateLimiter`):
 * `baseMs`, doubling per failure up to `maxMs`, reset by a success. The default is
 * `DefaultControllerRateLimiter`'s per-item part, 5 ms up to 1000 s.
 */
export class RetryBackoff {
  readonly #failures = new Map<string, number>();

  constructor(
    private readonly baseMs = 5,
    private readonly maxMs = 1_000_000,
  ) {}

  /** The delay before retrying `key` after one more failure. */
  next(key: string): number {
    const failures = this.#failures.get(key) ?? 0;
    this.#failures.set(key, failures + 1);
    return Math.min(this.baseMs * 2 ** failures, this.maxMs);
  }

  /** Forgets `key`'s failures. */
  forget(key: string): void {
    this.#failures.delete(key);
  }
}
