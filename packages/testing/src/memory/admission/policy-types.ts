/**
 * The CEL types of the objects an admission policy matches, for type checking its
 * expressions as kube-apiserver's policy status controller does: built-in kinds from
 * their OpenAPI field types, custom resources from their CRD's schema, each as Kubernetes'
 * schema → CEL type mapping gives it. Times are `google.protobuf.Timestamp` (durations
 * `google.protobuf.Duration`), `format: byte` strings `bytes`, int-or-string values `dyn`;
 * a built-in's quantities (and maps of them, such as `resources.limits`) are not fields at
 * all, as their OpenAPI v3 schema has no type (`oneOf` string or number), so naming one
 * is an undefined field there. Free-form objects are `dyn` (kube-apiserver gives some of
 * them an object type without fields).
 */
import type { CelObjectType } from '@kube-ts/schema/validation';
import { definitionOf, fieldTypes } from '../builtins/typed-fields.js';
import { isObject, type JsonObject } from '../json.js';
import type { ResourceType } from '../resource-types.js';

const PRIMITIVES: Record<string, string> = {
  string: 'string',
  integer: 'int',
  number: 'double',
  boolean: 'bool',
};
/** The leaf types of the built-in table that are not primitives, by their CEL type. */
const BUILTIN_LEAVES: Record<string, string | undefined> = {
  Time: 'google.protobuf.Timestamp',
  MicroTime: 'google.protobuf.Timestamp',
  byte: 'bytes',
  IntOrString: 'dyn',
  any: 'dyn',
  // No type in its OpenAPI v3 schema: Kubernetes' mapping leaves the field out.
  Quantity: undefined,
};
/** CRD string formats with a CEL type of their own. */
const STRING_FORMATS: Record<string, string> = {
  'date-time': 'google.protobuf.Timestamp',
  date: 'google.protobuf.Timestamp',
  duration: 'google.protobuf.Duration',
  byte: 'bytes',
};
const OBJECT_META = 'io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta';
/** Deeper than this, fields are `dyn` (recursive types such as JSONSchemaProps). */
const MAX_DEPTH = 16;

const builtinCache = new Map<string, CelObjectType | 'dyn'>();

/** The CEL type of an OpenAPI field type of the built-in table; undefined: no field. */
function builtinType(type: string, depth: number): string | CelObjectType | undefined {
  if (type.startsWith('[]') || type.startsWith('{}')) {
    const item = builtinType(type.slice(2), depth + 1);
    if (item === undefined) return undefined;
    const inner = typeof item === 'string' ? item : 'dyn';
    return type.startsWith('[]') ? `list<${inner}>` : `map<string, ${inner}>`;
  }
  const primitive = PRIMITIVES[type];
  if (primitive) return primitive;
  if (type in BUILTIN_LEAVES) return BUILTIN_LEAVES[type];
  return builtinObject(type, depth);
}

function builtinObject(definition: string, depth: number): CelObjectType | 'dyn' {
  const cached = builtinCache.get(definition);
  if (cached) return cached;
  const fields = fieldTypes(definition);
  if (!fields || Object.keys(fields).length === 0 || depth > MAX_DEPTH) return 'dyn';
  const out: Record<string, string | CelObjectType> = {};
  for (const [k, t] of Object.entries(fields)) {
    const type = builtinType(t, depth + 1);
    if (type !== undefined) out[k] = type;
  }
  if (depth === 0) builtinCache.set(definition, out);
  return out;
}

/** The CEL type of a CRD schema node. */
function schemaType(node: JsonObject, depth: number): string | CelObjectType {
  if (
    depth > MAX_DEPTH ||
    node['x-kubernetes-preserve-unknown-fields'] === true ||
    node['x-kubernetes-int-or-string'] === true
  )
    return 'dyn';
  const format = STRING_FORMATS[String(node.format)];
  if (node.type === 'string' && format) return format;
  const primitive = PRIMITIVES[String(node.type)];
  if (primitive) return primitive;
  if (node.type === 'array') {
    const item = isObject(node.items) ? schemaType(node.items, depth + 1) : 'dyn';
    return `list<${typeof item === 'string' ? item : 'dyn'}>`;
  }
  if (node.type !== 'object') return 'dyn';
  if (isObject(node.additionalProperties)) {
    const value = schemaType(node.additionalProperties, depth + 1);
    return `map<string, ${typeof value === 'string' ? value : 'dyn'}>`;
  }
  const props = isObject(node.properties) ? node.properties : {};
  if (Object.keys(props).length === 0) return 'dyn';
  const out: Record<string, string | CelObjectType> = {};
  for (const [k, v] of Object.entries(props))
    out[k] = isObject(v) ? schemaType(v, depth + 1) : 'dyn';
  return out;
}

/** The CEL type of the objects of `t` at `version`; undefined when it has no known schema. */
export function celTypeOf(t: ResourceType, version: string): CelObjectType | undefined {
  if (t.builtin) {
    const definition = definitionOf(t.group, version, t.kind);
    const type = definition ? builtinObject(definition, 0) : 'dyn';
    return type === 'dyn' ? undefined : type;
  }
  const schema = t.schemas?.[version];
  if (!isObject(schema)) return undefined;
  const type = schemaType(schema, 0);
  if (typeof type === 'string') return undefined;
  const meta = builtinObject(OBJECT_META, 0);
  return { apiVersion: 'string', kind: 'string', ...type, metadata: meta === 'dyn' ? 'dyn' : meta };
}
