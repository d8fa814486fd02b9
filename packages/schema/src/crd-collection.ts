import type { CustomResourceDefinition } from '@kube-ts/k8s/apiextensions/v1';
import { isJsonObject } from './json-schema.js';
import { mergeCrds } from './merge-crds.js';
import type { ResourceDefinition } from './resource-types.js';

/** `true` for a value made by `defineResource`. */
export function isResourceDefinition(value: unknown): value is ResourceDefinition {
  return (
    isJsonObject(value) &&
    typeof value.crd === 'function' &&
    typeof value.crdVersion === 'function' &&
    typeof value.group === 'string' &&
    typeof value.kind === 'string' &&
    isJsonObject(value.schema)
  );
}

function isCrd(value: unknown): value is CustomResourceDefinition {
  return (
    isJsonObject(value) &&
    value.kind === 'CustomResourceDefinition' &&
    value.apiVersion === 'apiextensions.k8s.io/v1' &&
    isJsonObject(value.metadata)
  );
}

/**
 * The CRDs of a module's exports (or of a list of values): exported CRD objects as they are, and definitions
 * grouped by CRD name (several versions of one kind are merged with `mergeCrds`). A CRD
 * exported as an object wins over definitions of the same name. Sorted by CRD name, so
 * the output is stable.
 *
 * @throws ResourceDefinitionError when versions of one kind cannot be merged.
 */
export function collectCrds(
  exports: Record<string, unknown> | Iterable<unknown>,
): CustomResourceDefinition[] {
  const crds = new Map<string, CustomResourceDefinition>();
  const defs = new Map<string, ResourceDefinition[]>();
  const values = new Set(
    Symbol.iterator in exports ? (exports as Iterable<unknown>) : Object.values(exports),
  );
  for (const value of values) {
    if (isCrd(value)) {
      crds.set(String(value.metadata?.name), value);
    } else if (isResourceDefinition(value)) {
      const list = defs.get(value.crdName) ?? [];
      list.push(value);
      defs.set(value.crdName, list);
    }
  }
  for (const [name, list] of defs) {
    if (!crds.has(name))
      crds.set(name, list.length === 1 && list[0] ? list[0].crd() : mergeCrds(list));
  }
  return [...crds.values()].sort((a, b) =>
    String(a.metadata?.name).localeCompare(String(b.metadata?.name)),
  );
}
