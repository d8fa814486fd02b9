import type { JSONSchemaProps } from '@kube-ts/k8s/apiextensions/v1';
import { validateCelRules } from './cel/rules.js';
import { itemSchema } from './json-schema.js';
import {
  invalidViolation,
  NO_FIELD,
  type SchemaViolation,
  type ViolationReason,
} from './violation.js';

/** Violations after which the API server does not run CEL rules (its "blocking" errors). */
const BLOCKING: ReadonlySet<ViolationReason> = new Set([
  'FieldValueNotSupported',
  'FieldValueRequired',
  'FieldValueTooLong',
  'FieldValueTooMany',
  'FieldValueTypeInvalid',
]);

/** `true` when the schema carries `x-kubernetes-validations` (CEL rules) anywhere. */
export function hasCelRules(schema: JSONSchemaProps): boolean {
  if (schema['x-kubernetes-validations']?.length) return true;
  const items = itemSchema(schema);
  const children: JSONSchemaProps[] = [
    ...Object.values(schema.properties ?? {}),
    ...(typeof schema.additionalProperties === 'object' ? [schema.additionalProperties] : []),
    ...(items ? [items] : []),
    ...(schema.allOf ?? []),
  ];
  return children.some(hasCelRules);
}

/**
 * The notice the API server appends when a schema with CEL rules has blocking violations
 * (required, type, enum, too long, too many), because it then skips the CEL rules:
 * `<nil>: Invalid value: null: some validation rules were not checked because the object
 * was invalid; correct the existing errors to complete validation`. `undefined` when the
 * server would not add it.
 */
export function celSkippedNotice(
  schema: JSONSchemaProps,
  violations: readonly SchemaViolation[],
): SchemaViolation | undefined {
  if (!hasCelRules(schema) || !violations.some((v) => BLOCKING.has(v.reason))) return undefined;
  return invalidViolation(
    NO_FIELD,
    null,
    'some validation rules were not checked because the object was invalid; correct the existing errors to complete validation',
  );
}

/**
 * The CEL step of kube-apiserver's validation of a custom resource, after the schema
 * checks found `earlier`: when those include a blocking error, only the notice that the
 * rules were skipped (see {@link celSkippedNotice}); otherwise the failures of the
 * `x-kubernetes-validations` rules (see `validateCelRules`).
 *
 * @param schema the schema whose rules run (a version's `openAPIV3Schema`, or its
 *   `status` property for a status write, with `path` `status`).
 * @param obj the value as it would be stored (defaulted and pruned).
 * @param earlier the violations the schema checks found.
 * @param old the stored value, on an update (for transition rules and ratcheting).
 * @param path where `obj` sits in the object (`''` for the root).
 * @param warnings receives the rule failures ratcheted away, as kube-apiserver's warnings.
 */
export function celViolations(
  schema: JSONSchemaProps,
  obj: unknown,
  earlier: readonly SchemaViolation[],
  old?: unknown,
  path = '',
  warnings?: string[],
): SchemaViolation[] {
  const notice = celSkippedNotice(schema, earlier);
  return notice ? [notice] : validateCelRules(schema, obj, old, path, warnings);
}
