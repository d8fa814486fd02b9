import type { JSONSchemaProps } from '@kube-ts/k8s/apiextensions/v1';

/** The value types of an OpenAPI v3 schema node as Kubernetes accepts them. */
export type SchemaType = 'object' | 'array' | 'string' | 'integer' | 'number' | 'boolean';

/**
 * The `items` schema of a node. Kubernetes forbids the array (tuple) form of `items`,
 * which the structural-schema check reports; everywhere else it reads as no item schema.
 */
export function itemSchema(node: JSONSchemaProps | undefined): JSONSchemaProps | undefined {
  const items = node?.items;
  return items === undefined || Array.isArray(items) ? undefined : items;
}

/** `true` when `value` is a plain JSON object (not an array, not null). */
export function isJsonObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Structural deep equality of two JSON values (key order does not matter). */
export function jsonEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a)) {
    return Array.isArray(b) && a.length === b.length && a.every((item, i) => jsonEqual(item, b[i]));
  }
  if (isJsonObject(a) && isJsonObject(b)) {
    const keys = Object.keys(a);
    if (keys.length !== Object.keys(b).length) return false;
    return keys.every((k) => Object.hasOwn(b, k) && jsonEqual(a[k], b[k]));
  }
  return false;
}

/** A deep copy of a JSON value. */
export function jsonClone<T>(value: T): T {
  return value === undefined ? value : (JSON.parse(JSON.stringify(value)) as T);
}
