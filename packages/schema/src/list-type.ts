import type { JSONSchemaProps } from '@kube-ts/k8s/apiextensions/v1';
import { indexPath } from './field-path.js';
import { isJsonObject, jsonEqual } from './json-schema.js';
import { duplicateViolation, type SchemaViolation } from './violation.js';

/** The key of a list-map item: its key fields (sorted, as the server prints them); `{}` for null. */
function keyOf(item: unknown, keys: readonly string[]): Record<string, unknown> | undefined {
  if (item === null) return {};
  if (!isJsonObject(item)) return undefined;
  const out: Record<string, unknown> = {};
  for (const k of [...keys].sort()) if (Object.hasOwn(item, k)) out[k] = item[k];
  return out;
}

/**
 * The uniqueness rules of `x-kubernetes-list-type`: in a `set` every item appears once;
 * in a `map` no two items have the same values for `x-kubernetes-list-map-keys`. Each
 * repeated item is reported as `FieldValueDuplicate` at its index (for maps the value
 * shown is the item's key; items missing key fields, and `null` items, count as having
 * the partial or empty key). `atomic` (and no list type) imposes nothing.
 */
export function checkListType(
  schema: JSONSchemaProps,
  list: readonly unknown[],
  path: string,
): SchemaViolation[] {
  const listType = schema['x-kubernetes-list-type'];
  const out: SchemaViolation[] = [];
  if (listType === 'set') {
    list.forEach((item, i) => {
      if (list.slice(0, i).some((prev) => jsonEqual(prev, item))) {
        out.push(duplicateViolation(indexPath(path, i), item));
      }
    });
  } else if (listType === 'map') {
    const keys = schema['x-kubernetes-list-map-keys'] ?? [];
    const seen: Record<string, unknown>[] = [];
    list.forEach((item, i) => {
      const key = keyOf(item, keys);
      if (key === undefined) return;
      if (seen.some((prev) => jsonEqual(prev, key))) {
        out.push(duplicateViolation(indexPath(path, i), key));
      } else {
        seen.push(key);
      }
    });
  }
  return out;
}
