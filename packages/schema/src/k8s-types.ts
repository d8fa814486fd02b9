import type { DynamicObject } from '@kube-ts/core';
import type { ValidationRule } from '@kube-ts/k8s/apiextensions/v1';
import {
  type SchemaOptions,
  type Static,
  type TNull,
  type TSchema,
  type TUnion,
  type TUnsafe,
  Type,
} from '@sinclair/typebox';

/** Options shared by the builders: the usual annotations. */
export interface K8sSchemaOptions {
  /** Shown by `kubectl explain`. */
  description?: string;
  /** Value the API server fills in when the field is absent. */
  default?: unknown;
}

/**
 * A Kubernetes `IntOrString` (`x-kubernetes-int-or-string: true`): a port number or
 * name, a percentage like `"25%"`, a quantity. Static type `number | string`.
 */
function IntOrString(
  options: K8sSchemaOptions & { pattern?: string } = {},
): TUnsafe<number | string> {
  return Type.Unsafe<number | string>({ ...options, 'x-kubernetes-int-or-string': true });
}

/**
 * A resource quantity (`"500m"`, `"1Gi"`, `2`): int-or-string, with the quantity pattern
 * enforced on strings.
 */
function Quantity(options: K8sSchemaOptions = {}): TUnsafe<number | string> {
  return Type.Unsafe<number | string>({
    ...options,
    'x-kubernetes-int-or-string': true,
    anyOf: [{ type: 'integer' }, { type: 'string' }],
    pattern:
      '^(\\+|-)?(([0-9]+(\\.[0-9]*)?)|(\\.[0-9]+))(([KMGTPE]i)|[numkMGTPE]|([eE](\\+|-)?(([0-9]+(\\.[0-9]*)?)|(\\.[0-9]+))))?$',
  });
}

/**
 * A whole Kubernetes object embedded in a field (`x-kubernetes-embedded-resource`), like a
 * Pod template: `apiVersion` and `kind` are required, `metadata` is kept. Without a
 * schema every other field is kept as is (`x-kubernetes-preserve-unknown-fields`) and the
 * static type is `DynamicObject`; with an object schema its fields are typed and the rest
 * is pruned.
 */
function EmbeddedResource<T extends TSchema>(
  schema: T,
  options?: K8sSchemaOptions,
): TUnsafe<DynamicObject & Static<T>>;
function EmbeddedResource(options?: K8sSchemaOptions): TUnsafe<DynamicObject>;
function EmbeddedResource(
  schemaOrOptions?: TSchema | K8sSchemaOptions,
  options: K8sSchemaOptions = {},
): TUnsafe<DynamicObject> {
  const isSchema =
    schemaOrOptions !== undefined && (schemaOrOptions as { type?: unknown }).type === 'object';
  if (!isSchema) {
    return Type.Unsafe<DynamicObject>({
      ...(schemaOrOptions as K8sSchemaOptions | undefined),
      type: 'object',
      'x-kubernetes-embedded-resource': true,
      'x-kubernetes-preserve-unknown-fields': true,
    });
  }
  return Type.Unsafe<DynamicObject>({
    ...(schemaOrOptions as TSchema),
    ...options,
    'x-kubernetes-embedded-resource': true,
  });
}

/** Options of the `K8s` list builders: the schema options plus item-count bounds. */
export type K8sListOptions = K8sSchemaOptions & { minItems?: number; maxItems?: number };

/** An array schema of `item` with the given `x-kubernetes-list-*` markers. */
function typedList<T extends TSchema>(
  item: T,
  options: K8sListOptions,
  markers: Record<string, unknown>,
): TUnsafe<Static<T>[]> {
  return Type.Unsafe<Static<T>[]>({ ...options, type: 'array', items: item, ...markers });
}

/**
 * A list of objects identified by key fields (`x-kubernetes-list-type: map` with
 * `x-kubernetes-list-map-keys`): the API server rejects two items with the same keys and
 * server-side apply merges items by key. Keys must be required (or defaulted) scalar
 * fields of the item.
 */
function ListMap<T extends TSchema>(
  item: T,
  keys: readonly [Extract<keyof Static<T>, string>, ...Extract<keyof Static<T>, string>[]],
  options: K8sListOptions = {},
): TUnsafe<Static<T>[]> {
  return typedList(item, options, {
    'x-kubernetes-list-type': 'map',
    'x-kubernetes-list-map-keys': [...keys],
  });
}

/**
 * A list of unique scalars (`x-kubernetes-list-type: set`): the API server rejects
 * duplicates and server-side apply merges by value.
 */
function ListSet<T extends TSchema>(item: T, options: K8sListOptions = {}): TUnsafe<Static<T>[]> {
  return typedList(item, options, { 'x-kubernetes-list-type': 'set' });
}

/**
 * A list replaced as a whole by server-side apply (`x-kubernetes-list-type: atomic`).
 */
function AtomicList<T extends TSchema>(
  item: T,
  options: K8sListOptions = {},
): TUnsafe<Static<T>[]> {
  return typedList(item, options, { 'x-kubernetes-list-type': 'atomic' });
}

/**
 * One entry of a `status.conditions` list, with the rules of `metav1.Condition` (the type
 * every built-in status uses): `type`, `status`, `reason`, `message` and
 * `lastTransitionTime` are required; `reason` is CamelCase.
 */
const Condition = Type.Object({
  /** The condition's name, CamelCase or `foo.example.com/CamelCase`. */
  type: Type.String({ minLength: 1, maxLength: 316 }),
  /** `True`, `False` or `Unknown`. */
  status: Type.Union([Type.Literal('True'), Type.Literal('False'), Type.Literal('Unknown')]),
  /** The `metadata.generation` the condition was set for. */
  observedGeneration: Type.Optional(Type.Integer({ minimum: 0 })),
  /** When `status` last changed (RFC 3339, seconds). */
  lastTransitionTime: Type.String({ format: 'date-time' }),
  /** A CamelCase identifier of why the condition last changed. */
  reason: Type.String({
    minLength: 1,
    maxLength: 1024,
    pattern: '^[A-Za-z]([A-Za-z0-9_,:]*[A-Za-z0-9_])?$',
  }),
  /** A message for humans; may be empty. */
  message: Type.String({ maxLength: 32768 }),
});

/**
 * The standard `status.conditions` list: entries shaped like `metav1.Condition`, a list
 * map keyed by `type` (so server-side apply merges conditions by type), as built-in kinds
 * and controller-runtime's operators declare it.
 */
function Conditions(options: K8sListOptions = {}): TUnsafe<Static<typeof Condition>[]> {
  return ListMap(Condition, ['type'], options);
}

/**
 * Keeps unknown fields (`x-kubernetes-preserve-unknown-fields: true`). Without a schema:
 * a free-form object (`Record<string, unknown>`); with an object schema: its fields are
 * typed and validated, other fields are kept instead of pruned.
 */
function PreserveUnknown<T extends TSchema>(schema: T): T;
function PreserveUnknown(options?: K8sSchemaOptions): TUnsafe<Record<string, unknown>>;
function PreserveUnknown(schemaOrOptions?: TSchema | K8sSchemaOptions): TSchema {
  if (schemaOrOptions !== undefined && (schemaOrOptions as { type?: unknown }).type === 'object') {
    return { ...(schemaOrOptions as TSchema), 'x-kubernetes-preserve-unknown-fields': true };
  }
  return Type.Unsafe<Record<string, unknown>>({
    ...(schemaOrOptions as K8sSchemaOptions | undefined),
    type: 'object',
    'x-kubernetes-preserve-unknown-fields': true,
  });
}

/**
 * Attaches CEL validation rules (`x-kubernetes-validations`) to a schema; `self` is the
 * value of this node. The rules are rendered into the CRD and enforced by the API
 * server; `validate()` does not evaluate them. A string is shorthand for `{ rule }`.
 */
function Cel<T extends TSchema>(schema: T, rules: readonly (ValidationRule | string)[]): T {
  const existing =
    (schema as { 'x-kubernetes-validations'?: ValidationRule[] })['x-kubernetes-validations'] ?? [];
  const added = rules.map((r) => (typeof r === 'string' ? { rule: r } : { ...r }));
  return { ...schema, 'x-kubernetes-validations': [...existing, ...added] };
}

/** `T | null` (`nullable: true`): the field may be set to `null`. */
function Nullable<T extends TSchema>(schema: T, options: SchemaOptions = {}): TUnion<[T, TNull]> {
  return Type.Union([schema, Type.Null()], options);
}

/** A map from string keys to `value` (`additionalProperties`), e.g. labels. */
function StringMap<T extends TSchema>(
  value: T,
  options: K8sSchemaOptions & { maxProperties?: number } = {},
): TUnsafe<Record<string, Static<T>>> {
  return Type.Unsafe<Record<string, Static<T>>>({
    ...options,
    type: 'object',
    additionalProperties: value,
  });
}

/**
 * Schema builders for Kubernetes concepts that plain TypeBox lacks. Each returns a TypeBox
 * schema, so it composes with `Type.Object`, `Type.Optional`, … and carries its static type.
 */
export const K8s = {
  IntOrString,
  Quantity,
  EmbeddedResource,
  ListMap,
  ListSet,
  AtomicList,
  Conditions,
  PreserveUnknown,
  Cel,
  Nullable,
  Map: StringMap,
} as const;
