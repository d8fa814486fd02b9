import type { JSONSchemaProps } from '@kube-ts/schema';
import { applyDefaults } from '@kube-ts/schema/validation';
import { deepEqual, type JsonObject } from './json.js';
import type { ResourceType } from './resource-types.js';
import { resourceKey } from './resource-types.js';
import type { ApiState } from './state.js';

/**
 * Defaults the stored objects of a custom resource with its CRD's current schema, as
 * kube-apiserver does whenever it reads them from storage: a `default` added to a CRD
 * shows in every later read of objects stored before, with their resourceVersion
 * unchanged and no watch event. (Defaults are applied when the CRD changes, which reads
 * the same.)
 */
export function defaultStoredObjects(s: ApiState, t: ResourceType): void {
  const schema = t.schemas?.[t.versions[0]!] as unknown as JSONSchemaProps | undefined;
  if (!schema) return;
  const resKey = resourceKey(t);
  for (const [key, obj] of [...s.storage.scan(resKey)]) {
    const defaulted = applyDefaults(schema, structuredClone(obj)) as JsonObject;
    if (!deepEqual(defaulted, obj)) s.storage.rewrite(resKey, key, defaulted);
  }
}
