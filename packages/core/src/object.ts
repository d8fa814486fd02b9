import type { KubeObject } from '@kube-ts/k8s';
import type { ListMeta } from '@kube-ts/k8s/meta/v1';

// `KubeObject` and the meta types (ObjectMeta, ListMeta) are generated into @kube-ts/k8s
// from kube-apiserver's OpenAPI, exactly as the JSON carries them (times are strings).
export type { KubeObject } from '@kube-ts/k8s';
export type { ListMeta, ObjectMeta } from '@kube-ts/k8s/meta/v1';

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
