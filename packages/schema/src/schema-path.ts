import type { JSONSchemaProps } from '@kube-ts/k8s/apiextensions/v1';

/**
 * The schema node that a simple JSON path (`.spec.replicas`, `.status.conditions`)
 * points to in an object schema, or `undefined` when the path leaves the schema.
 * Only dotted field names are understood (no indexes or filters).
 */
export function schemaAt(schema: JSONSchemaProps, jsonPath: string): JSONSchemaProps | undefined {
  if (!jsonPath.startsWith('.')) return undefined;
  let node: JSONSchemaProps | undefined = schema;
  for (const name of jsonPath.slice(1).split('.')) {
    if (node === undefined || name === '') return undefined;
    const props: Record<string, JSONSchemaProps> | undefined = node.properties;
    if (props && Object.hasOwn(props, name)) node = props[name];
    else if (typeof node.additionalProperties === 'object') node = node.additionalProperties;
    else return undefined;
  }
  return node;
}
