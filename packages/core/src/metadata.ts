import type { KubeObject } from '@kube-ts/k8s';
import type { OwnerReference } from '@kube-ts/k8s/meta/v1';

export type { OwnerReference } from '@kube-ts/k8s/meta/v1';

/** `metadata.name`, or `undefined` when unset. */
export function nameOf(obj: KubeObject): string | undefined {
  return obj.metadata?.name;
}

/** `metadata.namespace`, or `undefined` for cluster-scoped objects (and when unset). */
export function namespaceOf(obj: KubeObject): string | undefined {
  return obj.metadata?.namespace || undefined;
}

/** `metadata.labels`; an empty object when unset (never `undefined`). */
export function labelsOf(obj: KubeObject): Readonly<Record<string, string>> {
  return obj.metadata?.labels ?? {};
}

/** `metadata.annotations`; an empty object when unset (never `undefined`). */
export function annotationsOf(obj: KubeObject): Readonly<Record<string, string>> {
  return obj.metadata?.annotations ?? {};
}

/** `metadata.finalizers`; an empty array when unset (never `undefined`). */
export function finalizersOf(obj: KubeObject): readonly string[] {
  return obj.metadata?.finalizers ?? [];
}

/** `metadata.ownerReferences`; an empty array when unset (never `undefined`). */
export function ownerReferencesOf(obj: KubeObject): readonly OwnerReference[] {
  return obj.metadata?.ownerReferences ?? [];
}

/**
 * The owner reference with `controller: true` — the object that manages `obj` — or
 * `undefined` when there is none. (The API server allows at most one.)
 */
export function controllerOf(obj: KubeObject): OwnerReference | undefined {
  return ownerReferencesOf(obj).find((r) => r.controller === true);
}

/**
 * An owner reference that points at `owner`, to put in a child's
 * `metadata.ownerReferences`. `controller` and `blockOwnerDeletion` default to `true`
 * (what controllers set for the objects they create). Throws a `TypeError` when `owner`
 * lacks `apiVersion`, `kind`, `metadata.name` or `metadata.uid` (i.e. was not read from the
 * API server): an owner reference without them is rejected by the server.
 */
export function ownerRefTo(
  owner: KubeObject,
  opts: { controller?: boolean; blockOwnerDeletion?: boolean } = {},
): OwnerReference {
  const { apiVersion, kind } = owner;
  const name = owner.metadata?.name;
  const uid = owner.metadata?.uid;
  const missing = [
    apiVersion ? null : 'apiVersion',
    kind ? null : 'kind',
    name ? null : 'metadata.name',
    uid ? null : 'metadata.uid',
  ].filter((m) => m !== null);
  if (missing.length > 0) {
    throw new TypeError(
      `ownerRefTo: the owner has no ${missing.join(', ')}; use an object read from the API server`,
    );
  }
  return {
    apiVersion: apiVersion!,
    kind: kind!,
    name: name!,
    uid: uid!,
    controller: opts.controller ?? true,
    blockOwnerDeletion: opts.blockOwnerDeletion ?? true,
  };
}
