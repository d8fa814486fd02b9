/**
 * The key of an object in a store and in the watcher's buffers: `namespace/name`, or
 * `name` for cluster-scoped objects (the same form as `ObjectRef.key`).
 */
import type { KubeObject } from '@kube-ts/core';

/** `namespace/name` or `name` of `obj`. */
export function objectKey(obj: KubeObject): string {
  const meta = obj.metadata;
  const name = meta?.name ?? '';
  return meta?.namespace ? `${meta.namespace}/${name}` : name;
}
