import type { KubeObject } from './object.js';

/** A group, a version and a kind: what `apiVersion` + `kind` name. The core group is `''`. */
export interface GroupVersionKind {
  readonly group: string;
  readonly version: string;
  readonly kind: string;
}

/**
 * What a client needs to address a resource over REST: its group, version, kind, plural
 * (the URL segment) and whether it is namespaced. The type parameter `K` carries the
 * object type, so `Api.namespaced(client, configMaps, 'ns')` is an `Api<V1ConfigMap>`.
 */
export interface ApiResource<K extends KubeObject = KubeObject> extends GroupVersionKind {
  /** The URL segment, e.g. `configmaps`. */
  readonly plural: string;
  /** `true` for namespaced resources, `false` for cluster-scoped ones. */
  readonly namespaced: boolean;
  /** Phantom field that carries the object type; never set at run time. */
  readonly __object?: K;
}
