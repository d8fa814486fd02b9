import type { GroupVersionKind, ObjectMeta } from './meta/v1.js';

/**
 * The shape every Kubernetes object has: `apiVersion`, `kind` and `metadata`.
 * The generated types (`Pod`, `ConfigMap`, …) and custom resources are all `KubeObject`s.
 */
export interface KubeObject {
  /** `group/version`, or `version` for the core group (e.g. `v1`, `apps/v1`). */
  apiVersion?: string;
  /** The kind, e.g. `ConfigMap`. */
  kind?: string;
  /** Standard object metadata. */
  metadata?: ObjectMeta;
}

/** A group, a version and a kind (generated from meta/v1): the core group is `''`. */
export type { GroupVersionKind } from './meta/v1.js';

/**
 * What a client needs to address a resource over REST: its group, version, kind, plural
 * (the URL segment) and whether it is namespaced. The type parameter `K` carries the
 * object type, so `Api.namespaced(client, pods, 'ns')` is an `Api<Pod>`.
 */
export interface ApiResource<K extends KubeObject = KubeObject> extends Readonly<GroupVersionKind> {
  /** The URL segment, e.g. `configmaps`. */
  readonly plural: string;
  /** `true` for namespaced resources, `false` for cluster-scoped ones. */
  readonly namespaced: boolean;
  /** Phantom field that carries the object type; never set at run time. */
  readonly __object?: K;
}
