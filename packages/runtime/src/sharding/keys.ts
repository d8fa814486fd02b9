/**
 * Hash keys of sharded objects: a main object by its own group, kind, namespace and name;
 * an object it controls by its controller's, so that both land on the same shard.
 */
import type { ObjectMeta } from '@kube-ts/core';

/** The group, kind and scope of the main resource of a sharded controller. */
export interface ShardedKind {
  readonly group: string;
  readonly kind: string;
}

/** The ring key of the object `name` of kind `kind` in `namespace`. */
export function shardKey(kind: ShardedKind, namespace: string | undefined, name: string): string {
  return `${kind.group}/${kind.kind}/${namespace ?? ''}/${name}`;
}

/** The API group of an `apiVersion` (`''` for the core group's `v1`). */
export function groupOf(apiVersion: string): string {
  const slash = apiVersion.indexOf('/');
  return slash === -1 ? '' : apiVersion.slice(0, slash);
}

/**
 * The ring key of a controlled object: its owner reference with `controller: true`, when
 * that owner is of `owner`'s group and kind; `undefined` otherwise (the object is not
 * sharded: it belongs to no main object of the ring).
 */
export function controllerShardKey(
  metadata: Pick<ObjectMeta, 'namespace' | 'ownerReferences'> | undefined,
  owner: ShardedKind,
): string | undefined {
  const ref = metadata?.ownerReferences?.find((r) => r.controller === true);
  if (ref === undefined || ref.kind !== owner.kind || groupOf(ref.apiVersion) !== owner.group) {
    return undefined;
  }
  return shardKey(owner, metadata?.namespace, ref.name);
}
