/**
 * The stored value that kube-apiserver compares a new value's node with on an update
 * (its `CorrelatedObject`): validation ratcheting lets a node that the update left as it
 * was keep failing. Properties correlate by name (present in both), the items of an
 * `x-kubernetes-list-type: map` list by their key fields; other list items (atomic and
 * set lists) do not correlate, so they are always validated.
 */
import type { JSONSchemaProps } from '@kube-ts/k8s/apiextensions/v1';
import { isJsonObject } from './json-schema.js';

/** The stored value correlated with a node (`{ value }`), or undefined when there is none. */
export type Correlated = { readonly value: unknown } | undefined;

/** The correlated value of property `key` of a new object whose stored value is `old`. */
export function correlatedProperty(old: Correlated, key: string): Correlated {
  if (old === undefined || !isJsonObject(old.value) || !Object.hasOwn(old.value, key))
    return undefined;
  return { value: old.value[key] };
}

/** The identity of a map-list item: its key fields' values. */
function mapKey(keys: readonly string[], item: unknown): string | undefined {
  return isJsonObject(item) ? JSON.stringify(keys.map((k) => item[k])) : undefined;
}

/**
 * A function giving, for an item of the new list `schema` describes, the stored item it
 * correlates with: the item of the stored list with the same map keys (map lists only).
 */
export function correlatedItems(
  schema: JSONSchemaProps,
  old: Correlated,
): (item: unknown) => Correlated {
  if (
    old === undefined ||
    !Array.isArray(old.value) ||
    schema['x-kubernetes-list-type'] !== 'map'
  ) {
    return () => undefined;
  }
  const keys = schema['x-kubernetes-list-map-keys'] ?? [];
  const byKey = new Map<string, unknown>();
  for (const o of old.value) {
    const k = mapKey(keys, o);
    if (k !== undefined) byKey.set(k, o);
  }
  return (item) => {
    const k = mapKey(keys, item);
    return k !== undefined && byKey.has(k) ? { value: byKey.get(k) } : undefined;
  };
}
