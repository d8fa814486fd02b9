import type { JSONSchemaProps } from '@kube-ts/k8s/apiextensions/v1';
import { childPath, indexPath } from './field-path.js';
import { isJsonObject, itemSchema } from './json-schema.js';

/** Options of {@link pruneUnknownFields}. */
export interface PruneOptions {
  /**
   * Treat the top-level value as a whole Kubernetes object, so `apiVersion`, `kind` and
   * `metadata` are kept even when the schema does not list them (as the API server does
   * for a custom resource). Default `true`.
   */
  readonly resourceRoot?: boolean;
  /** Called with the path of every field that is dropped, e.g. `spec.unknown`. */
  readonly onPruned?: (path: string) => void;
}

const OBJECT_FIELDS = new Set(['apiVersion', 'kind', 'metadata']);

function pruneNode(
  s: JSONSchemaProps | undefined,
  v: unknown,
  path: string,
  keepObjectFields: boolean,
  onPruned: ((path: string) => void) | undefined,
): unknown {
  if (s === undefined) return v;
  if (Array.isArray(v)) {
    const items = itemSchema(s);
    return items
      ? v.map((item, i) => pruneNode(items, item, indexPath(path, i), false, onPruned))
      : v;
  }
  if (!isJsonObject(v)) return v;
  const preserve = s['x-kubernetes-preserve-unknown-fields'] === true;
  const embedded = keepObjectFields || s['x-kubernetes-embedded-resource'] === true;
  const out: Record<string, unknown> = {};
  for (const [key, child] of Object.entries(v)) {
    const at = childPath(path, key);
    const prop = s.properties && Object.hasOwn(s.properties, key) ? s.properties[key] : undefined;
    const fieldSchema =
      prop ?? (typeof s.additionalProperties === 'object' ? s.additionalProperties : undefined);
    if (
      child === null &&
      fieldSchema &&
      !fieldSchema.nullable &&
      fieldSchema.default === undefined
    ) {
      continue;
    }
    if (keepObjectFields && key === 'metadata') {
      // The server keeps a custom resource's own ObjectMeta whatever the schema says of it.
      out[key] = child;
    } else if (prop) {
      out[key] = pruneNode(prop, child, at, false, onPruned);
    } else if (embedded && OBJECT_FIELDS.has(key)) {
      out[key] = child;
    } else if (typeof s.additionalProperties === 'object') {
      out[key] = pruneNode(s.additionalProperties, child, at, false, onPruned);
    } else if (s.additionalProperties === true || preserve) {
      out[key] = child;
    } else {
      onPruned?.(at);
    }
  }
  return out;
}

/**
 * Returns a copy of `value` without the fields its structural schema does not specify,
 * as the API server prunes a custom resource before validating and storing it.
 *
 * Guarantees: fields listed in `properties` are kept and pruned recursively;
 * `additionalProperties` (a schema, or `true`) keeps every key;
 * `x-kubernetes-preserve-unknown-fields: true` keeps unknown keys at that node (known
 * ones are still pruned below); `x-kubernetes-embedded-resource: true` (and the
 * top level, unless `resourceRoot: false`) keeps `apiVersion`, `kind` and `metadata`;
 * a `null` field whose schema is neither `nullable` nor defaulted is dropped too (the
 * server drops such nulls; `onPruned` is not called for them); the input is never mutated.
 */
export function pruneUnknownFields<T>(
  schema: JSONSchemaProps,
  value: T,
  options: PruneOptions = {},
): T {
  return pruneNode(schema, value, '', options.resourceRoot ?? true, options.onPruned) as T;
}
