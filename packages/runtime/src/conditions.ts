/**
 * Conditions for {@link awaitCondition}: predicates on the current state of one object
 * (`undefined` while it does not exist).
 */
import type { KubeObject } from '@kube-ts/core';
import type { CustomResourceDefinition } from '@kube-ts/k8s/apiextensions/v1';
import type { Deployment } from '@kube-ts/k8s/apps/v1';
import type { Job } from '@kube-ts/k8s/batch/v1';
import type { Pod } from '@kube-ts/k8s/core/v1';

/** A predicate on an object's current state; `obj` is `undefined` while it does not exist. */
export type Condition<K extends KubeObject> = (obj: K | undefined) => boolean;

interface StatusCondition {
  type?: string;
  status?: string;
  reason?: string;
}

function hasCondition(
  list: readonly StatusCondition[] | undefined,
  type: string,
  reason?: string,
): boolean {
  return (list ?? []).some(
    (c) => c.type === type && c.status === 'True' && (reason === undefined || c.reason === reason),
  );
}

/** Ready-made {@link Condition}s (each a factory, so they compose and take arguments). */
export const conditions = {
  /**
   * The object with this `uid` is gone: it does not exist, or a new object with the same
   * name (another uid) replaced it.
   */
  isDeleted<K extends KubeObject>(uid: string): Condition<K> {
    return (obj) => obj === undefined || obj.metadata?.uid !== uid;
  },

  /** A CustomResourceDefinition is `Established` (its resource can be served). */
  isCrdEstablished(): Condition<CustomResourceDefinition> {
    return (crd) => hasCondition(crd?.status?.conditions, 'Established');
  },

  /** A Pod is in phase `Running`. */
  isPodRunning(): Condition<Pod> {
    return (pod) => pod?.status?.phase === 'Running';
  },

  /** A Job has the `Complete` condition (it succeeded; a failed Job never satisfies this). */
  isJobCompleted(): Condition<Job> {
    return (job) => hasCondition(job?.status?.conditions, 'Complete');
  },

  /**
   * A Deployment's rollout is complete: the controller has observed the latest generation
   * and reports `Progressing` with reason `NewReplicaSetAvailable`.
   */
  isDeploymentCompleted(): Condition<Deployment> {
    return (d) =>
      d !== undefined &&
      (d.status?.observedGeneration ?? 0) >= (d.metadata?.generation ?? 0) &&
      hasCondition(d.status?.conditions, 'Progressing', 'NewReplicaSetAvailable');
  },

  /** All of the conditions hold. */
  and<K extends KubeObject>(...all: Condition<K>[]): Condition<K> {
    return (obj) => all.every((c) => c(obj));
  },

  /** At least one of the conditions holds. */
  or<K extends KubeObject>(...any: Condition<K>[]): Condition<K> {
    return (obj) => any.some((c) => c(obj));
  },
} as const;
