import type { V1ObjectMeta } from '@kubernetes/client-node';

/**
 * Object metadata as the API server returns it (`metadata` of every object).
 * The model type of `@kubernetes/client-node`, so built-in typed objects fit as they are.
 */
export type ObjectMeta = V1ObjectMeta;

/**
 * The shape every Kubernetes object has: `apiVersion`, `kind` and `metadata`.
 * Typed built-in objects (`V1ConfigMap`, `V1Pod`, …) and custom resources are all `KubeObject`s.
 */
export interface KubeObject {
  /** `group/version`, or `version` for the core group (e.g. `v1`, `apps/v1`). */
  apiVersion?: string;
  /** The kind, e.g. `ConfigMap`. */
  kind?: string;
  /** Standard object metadata. */
  metadata?: ObjectMeta;
}

/**
 * An object whose schema is not known at compile time: metadata is typed, every other
 * field is `unknown` and must be narrowed before use.
 */
export interface DynamicObject extends KubeObject {
  /** Any other top-level field (`spec`, `status`, `data`, …). */
  [field: string]: unknown;
}

/**
 * An object reduced to its metadata, as the API server answers a metadata-only request
 * (`kind: PartialObjectMetadata`, `apiVersion: meta.k8s.io/v1`): names, labels,
 * annotations, owner references, finalizers, resourceVersion — never spec, status or data.
 */
export interface PartialObjectMetadata extends KubeObject {
  /** `PartialObjectMetadata`. */
  kind?: 'PartialObjectMetadata';
  /** `meta.k8s.io/v1`. */
  apiVersion?: 'meta.k8s.io/v1';
}

/** A list as the API server returns it (`kind: FooList`). */
export interface ObjectList<K extends KubeObject = KubeObject> {
  apiVersion?: string;
  kind?: string;
  /** List metadata: the list's `resourceVersion` and the `continue` token of the next page. */
  metadata?: ListMeta;
  items: K[];
}

/** Metadata of a list response. */
export interface ListMeta {
  /** The collection's resourceVersion at the time of the list. */
  resourceVersion?: string;
  /** Token for the next page; empty or absent on the last page. */
  continue?: string;
  /** Estimated number of items left after this page (when the server knows it). */
  remainingItemCount?: number;
}
