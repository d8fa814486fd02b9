/** The key of an object in a store and in the watcher's buffers (`ObjectRef.key` form). */
import { type KubeObject, ObjectRef } from '@kube-ts/core';

/**
 * `namespace/name`, or `name` for cluster-scoped objects. Unlike `ObjectRef.from`, it does
 * not throw for an object without a name (its key is then `''` or `namespace/`).
 */
export function objectKey(obj: KubeObject): string {
  const meta = obj.metadata;
  return ObjectRef.key({ namespace: meta?.namespace, name: meta?.name ?? '' });
}
