/**
 * The CEL type of a structural schema node, as Kubernetes' schema → CEL mapping
 * (`SchemaDeclType`) gives it: what `self` is in a CRD's validation rules, and what
 * `object` is in an admission policy matching a custom resource.
 */
import type { JSONSchemaProps } from '@kube-ts/k8s/apiextensions/v1';
import {
  CelListOf,
  CelMapOf,
  type CelObjectType,
  CelOptionalOf,
  type CelType,
} from './object-types.js';

const PRIMITIVES: Record<string, string> = {
  string: 'string',
  integer: 'int',
  number: 'double',
  boolean: 'bool',
};
/** String formats with a CEL type of their own. */
const STRING_FORMATS: Record<string, string> = {
  'date-time': 'google.protobuf.Timestamp',
  date: 'google.protobuf.Timestamp',
  duration: 'google.protobuf.Duration',
  byte: 'bytes',
};
/** Deeper than this, a node is `dyn` (a guard against absurdly deep schemas). */
const MAX_DEPTH = 32;

/** Whether an object's properties type its kind, apiVersion and metadata name as strings. */
function declaresTypeAndName(props: Readonly<Record<string, JSONSchemaProps>>): boolean {
  const meta = props.metadata;
  return (
    props.kind?.type === 'string' &&
    props.apiVersion?.type === 'string' &&
    meta?.type === 'object' &&
    meta.properties?.name?.type === 'string' &&
    meta.properties.generateName?.type === 'string'
  );
}

function typeOf(node: JSONSchemaProps, resourceRoot: boolean, depth: number): CelType | undefined {
  if (depth > MAX_DEPTH || node['x-kubernetes-int-or-string'] === true) return 'dyn';
  const format = STRING_FORMATS[String(node.format)];
  if (node.type === 'string' && format) return format;
  const primitive = PRIMITIVES[String(node.type)];
  if (primitive) return primitive;
  const embedded = (s: JSONSchemaProps) => s['x-kubernetes-embedded-resource'] === true;
  if (node.type === 'array') {
    const items = node.items;
    if (items === undefined || Array.isArray(items)) return undefined;
    const item = typeOf(items, embedded(items), depth + 1);
    return item === undefined ? undefined : new CelListOf(item);
  }
  if (node.type !== 'object') return undefined;
  const values = node.additionalProperties;
  if (typeof values === 'object') {
    const value = typeOf(values, embedded(values), depth + 1);
    return value === undefined ? undefined : new CelMapOf(value);
  }
  const props = node.properties ?? {};
  const out: Record<string, CelType> = {};
  for (const [name, prop] of Object.entries(props)) {
    const type = typeOf(prop, embedded(prop), depth + 1);
    if (type !== undefined) out[name] = type;
  }
  if (resourceRoot && !declaresTypeAndName(props)) {
    // A resource's kind, apiVersion and metadata name are always readable.
    out.kind = 'string';
    out.apiVersion = 'string';
    out.metadata = { name: 'string', generateName: 'string' };
  }
  return out;
}

/**
 * The CEL type of a structural schema node (`x-kubernetes-int-or-string` values `dyn`,
 * date and date-time strings timestamps, a `type: object` without properties an object
 * without fields); undefined when the mapping leaves it out (no type, or a list or map
 * of such). At a resource's root (`resourceRoot`: a CRD's schema or an
 * `x-kubernetes-embedded-resource` node), `kind`, `apiVersion` and `metadata.name` and
 * `generateName` are declared unless the schema declares them all.
 */
export function celTypeOfSchema(node: JSONSchemaProps, resourceRoot: boolean): CelType | undefined {
  return typeOf(node, resourceRoot, 0);
}

/** Whether a CEL type is an object's fields (not a type name, list or map). */
export function isCelObjectType(type: CelType | undefined): type is CelObjectType {
  return (
    typeof type === 'object' &&
    !(type instanceof CelListOf) &&
    !(type instanceof CelMapOf) &&
    !(type instanceof CelOptionalOf)
  );
}
