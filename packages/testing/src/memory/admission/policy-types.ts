/**
 * The CEL types of the objects an admission policy matches, for type checking its
 * expressions as kube-apiserver's policy status controller does: built-in kinds from
 * their OpenAPI field types, custom resources from their CRD's schema, each as Kubernetes'
 * schema → CEL type mapping gives it. Times are `google.protobuf.Timestamp` (durations
 * `google.protobuf.Duration`), `format: byte` strings `bytes`, int-or-string values `dyn`;
 * a built-in's quantities (and maps of them, such as `resources.limits`) are not fields at
 * all, as their OpenAPI v3 schema has no type (`oneOf` string or number), so naming one
 * is an undefined field there. A list's items and a map's values are typed as well. A
 * free-form object (`RawExtension`, a CRD's `type: object` without properties) is an object
 * without fields; a schema without a type (a CRD's `x-kubernetes-preserve-unknown-fields`
 * without one) is no field at all, and neither is a list or map of one.
 */
import type { JSONSchemaProps } from '@kube-ts/k8s/apiextensions/v1';
import {
  CelListOf,
  CelMapOf,
  type CelObjectType,
  type CelType,
  celTypeOfSchema,
  isCelObjectType,
} from '@kube-ts/schema/validation';
import { definitionOf, fieldTypes } from '../builtins/typed-fields.js';
import { isObject } from '../json.js';
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
  // No type in its OpenAPI v3 schema: Kubernetes' mapping leaves the field out.
  Quantity: undefined,
};
const OBJECT_META = 'io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta';
/**
 * The built-in definitions whose free-form (`any`) fields have no type in their OpenAPI v3
 * schema (apiextensions' `JSON`, `JSONSchemaPropsOrBool`, …), so the mapping leaves them
 * out; every other free-form field of the table is a `type: object` (`RawExtension`,
 * `FieldsV1`): an object without fields.
 */
const UNTYPED_ANY_IN = 'io.k8s.apiextensions-apiserver.';
/** Deeper than this, fields are `dyn` (recursive types such as JSONSchemaProps). */
const MAX_DEPTH = 16;
/** An object without fields. */
const NO_FIELDS: CelObjectType = {};

const builtinCache = new Map<string, CelObjectType | 'dyn'>();

/**
 * The CEL type of an OpenAPI field type of the built-in table, the field being declared
 * by `owner`; undefined: no field.
 */
function builtinType(type: string, owner: string, depth: number): CelType | undefined {
  if (type.startsWith('[]') || type.startsWith('{}')) {
    const item = builtinType(type.slice(2), owner, depth + 1);
    if (item === undefined) return undefined;
    return type.startsWith('[]') ? new CelListOf(item) : new CelMapOf(item);
  }
  const primitive = PRIMITIVES[type];
  if (primitive) return primitive;
  if (type === 'any') return owner.startsWith(UNTYPED_ANY_IN) ? undefined : NO_FIELDS;
  if (type in BUILTIN_LEAVES) return BUILTIN_LEAVES[type];
  return builtinObject(type, depth);
}

function builtinObject(definition: string, depth: number): CelObjectType | 'dyn' {
  const cached = builtinCache.get(definition);
  if (cached) return cached;
  const fields = fieldTypes(definition);
  if (!fields || Object.keys(fields).length === 0 || depth > MAX_DEPTH) return 'dyn';
  const out: Record<string, CelType> = {};
  for (const [k, t] of Object.entries(fields)) {
    const type = builtinType(t, definition, depth + 1);
    if (type !== undefined) out[k] = type;
  }
  builtinCache.set(definition, out);
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
  const type = celTypeOfSchema(schema as JSONSchemaProps, false);
  if (!isCelObjectType(type)) return undefined;
  const meta = builtinObject(OBJECT_META, 0);
  return { apiVersion: 'string', kind: 'string', ...type, metadata: meta === 'dyn' ? 'dyn' : meta };
}
