import { type ApiResource, apiVersionOf, type KubeObject } from '@kube-ts/core';
import { dropManagedFields } from '../store/ingest.js';

/**
 * The store transform of a controller: drops `metadata.managedFields` and fills in
 * `apiVersion` and `kind` when the server left them out (list items of built-in types
 * have neither), so reconcilers can always build owner references and event references.
 */
export function withTypeMeta<K extends KubeObject>(resource: ApiResource<K>): (obj: K) => K {
  const apiVersion = apiVersionOf(resource);
  return (obj) => {
    const slim = dropManagedFields(obj);
    if (slim.apiVersion && slim.kind) return slim;
    return { ...slim, apiVersion: slim.apiVersion ?? apiVersion, kind: slim.kind ?? resource.kind };
  };
}
