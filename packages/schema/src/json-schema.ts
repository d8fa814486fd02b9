/**
 * One CEL validation rule as it appears under `x-kubernetes-validations` in a CRD schema.
 * kube-ts renders these rules into the CRD, and `validate()` and MemoryApiServer evaluate
 * them as kube-apiserver does (see docs/schema.md).
 */
export interface ValidationRule {
  /** The CEL expression, e.g. `self.minReplicas <= self.maxReplicas`. */
  rule: string;
  /** The message shown when the rule fails. */
  message?: string;
  /** A CEL expression that computes the message. */
  messageExpression?: string;
  /** The cause reason reported when the rule fails (e.g. `FieldValueForbidden`). */
  reason?:
    | 'FieldValueInvalid'
    | 'FieldValueForbidden'
    | 'FieldValueRequired'
    | 'FieldValueDuplicate';
  /** A JSON path (relative to the node) that the failure is reported at. */
  fieldPath?: string;
  /**
   * For a transition rule: `true` to run it on creates too, with `oldSelf` an `optional`
   * (`oldSelf.hasValue()`, `oldSelf.orValue(x)`) instead of skipping it there.
   */
  optionalOldSelf?: boolean;
}

/** The value types of an OpenAPI v3 schema node as Kubernetes accepts them. */
export type SchemaType = 'object' | 'array' | 'string' | 'integer' | 'number' | 'boolean';

/**
 * An OpenAPI v3 schema node in the Kubernetes dialect, exactly as it is written in a
 * CustomResourceDefinition's `openAPIV3Schema` (wire names, including the `x-kubernetes-*`
 * extensions). Fields that the structural-schema rules forbid (`$ref`, `definitions`, …)
 * are listed so that the structural-schema check can name them.
 */
export interface JSONSchemaProps {
  type?: SchemaType;
  format?: string;
  title?: string;
  description?: string;
  nullable?: boolean;
  default?: unknown;
  example?: unknown;
  enum?: unknown[];
  required?: string[];
  properties?: Record<string, JSONSchemaProps>;
  additionalProperties?: JSONSchemaProps | boolean;
  items?: JSONSchemaProps;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: boolean;
  exclusiveMaximum?: boolean;
  multipleOf?: number;
  minLength?: number;
  maxLength?: number;
  pattern?: string;
  minItems?: number;
  maxItems?: number;
  uniqueItems?: boolean;
  minProperties?: number;
  maxProperties?: number;
  allOf?: JSONSchemaProps[];
  anyOf?: JSONSchemaProps[];
  oneOf?: JSONSchemaProps[];
  not?: JSONSchemaProps;
  /** The value is an integer or a string (Kubernetes `IntOrString`); `type` must be unset. */
  'x-kubernetes-int-or-string'?: boolean;
  /** Unknown fields below this node are kept instead of pruned. */
  'x-kubernetes-preserve-unknown-fields'?: boolean;
  /** The node is a whole Kubernetes object: `apiVersion`, `kind` and `metadata` are kept and checked. */
  'x-kubernetes-embedded-resource'?: boolean;
  /** How server-side apply merges the list, and which uniqueness the server enforces. */
  'x-kubernetes-list-type'?: 'atomic' | 'set' | 'map';
  /** For `list-type: map`: the item fields that identify an item. */
  'x-kubernetes-list-map-keys'?: string[];
  /** How server-side apply merges the object. */
  'x-kubernetes-map-type'?: 'atomic' | 'granular';
  /** CEL rules (rendered into the CRD; evaluated by the API server only). */
  'x-kubernetes-validations'?: ValidationRule[];
  /** Forbidden in structural schemas; present so it can be reported. */
  $ref?: string;
  /** Forbidden in structural schemas; present so it can be reported. */
  $schema?: string;
  /** Forbidden in structural schemas; present so it can be reported. */
  id?: string;
  /** Forbidden in structural schemas; present so it can be reported. */
  definitions?: Record<string, JSONSchemaProps>;
  /** Forbidden in structural schemas; present so it can be reported. */
  patternProperties?: Record<string, JSONSchemaProps>;
  /** Forbidden in structural schemas; present so it can be reported. */
  dependencies?: Record<string, unknown>;
  /** Forbidden in structural schemas; present so it can be reported. */
  additionalItems?: JSONSchemaProps | boolean;
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
