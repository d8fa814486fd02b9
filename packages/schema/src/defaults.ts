import type { JSONSchemaProps } from '@kube-ts/k8s/apiextensions/v1';
import { isJsonObject, itemSchema, jsonClone } from './json-schema.js';

function defaultNode(s: JSONSchemaProps, v: unknown): unknown {
  if (Array.isArray(v)) {
    const items = itemSchema(s);
    return items ? v.map((item) => defaultNode(items, item)) : v;
  }
  if (!isJsonObject(v)) return v;
  const out: Record<string, unknown> = { ...v };
  const props = s.properties ?? {};
  for (const [key, prop] of Object.entries(props)) {
    const missing = !Object.hasOwn(out, key) || (out[key] === null && !prop.nullable);
    if (missing && prop.default !== undefined) out[key] = jsonClone(prop.default);
    if (Object.hasOwn(out, key)) out[key] = defaultNode(prop, out[key]);
  }
  const extra = s.additionalProperties;
  if (typeof extra === 'object') {
    for (const key of Object.keys(out)) {
      if (!Object.hasOwn(props, key)) out[key] = defaultNode(extra, out[key]);
    }
  }
  return out;
}

/**
 * Returns a copy of `value` with the schema's `default`s filled in, as the API server
 * defaults a custom resource.
 *
 * Guarantees: a property that is absent, or `null` while not `nullable`, gets a deep copy
 * of its `default`; defaults apply inside objects that exist (or were just defaulted),
 * inside list items and inside `additionalProperties` values; defaults under
 * `allOf`/`anyOf`/`oneOf`/`not` are ignored (structural schemas forbid them); the input is
 * never mutated.
 */
export function applyDefaults<T>(schema: JSONSchemaProps, value: T): T {
  return defaultNode(schema, value) as T;
}
