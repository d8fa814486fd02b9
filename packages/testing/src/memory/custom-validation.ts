import type { JSONSchemaProps } from '@kube-ts/schema';
import {
  applyDefaults,
  celViolations,
  pruneUnknownFields,
  validateAgainstSchema,
} from '@kube-ts/schema/validation';
import { carryBigIntegersDeep, float64Paths } from './big-integers.js';
import type { StatusCause } from './errors.js';
import type { JsonObject } from './json.js';

/** `… in spec.n`: the field a cause without one (`<nil>`) names in its message. */
const NAMED_FIELD = / in ([^ ]+)$/;

/**
 * The field a schema cause is ordered by: its own, or, without one (`<nil>`: the range
 * check of `Checked value must be of type integer … in spec.n`), the one its message
 * names, so that it comes among that field's causes in the order the validator made them.
 */
function sortField(cause: { field: string; message: string }): string {
  if (cause.field !== '<nil>') return cause.field;
  return NAMED_FIELD.exec(cause.message)?.[1] ?? cause.field;
}

/**
 * Prepares a custom resource like kube-apiserver does with its CRD's openAPIV3Schema:
 * prunes unknown fields (unless `x-kubernetes-preserve-unknown-fields`), applies
 * `default`s, then validates (types, required, enum, bounds, pattern, list types, ...),
 * then runs the `x-kubernetes-validations` CEL rules (`old`: the stored object, on an
 * update: a node the update leaves as stored may keep failing, as kube-apiserver ratchets
 * validation, a CEL rule's failure then pushed to `warnings`). Mutates `obj` in place and
 * returns the validation causes (empty when valid).
 */
export function prepareCustomResource(
  schema: JsonObject | undefined,
  obj: JsonObject,
  old?: JsonObject,
  warnings?: string[],
): StatusCause[] {
  if (!schema) return [];
  const s = schema as unknown as JSONSchemaProps;
  const pruned = pruneUnknownFields(s, obj, { resourceRoot: true }) as JsonObject;
  const defaulted = applyDefaults(s, pruned) as JsonObject;
  carryBigIntegersDeep(obj, defaulted);
  for (const k of Object.keys(obj)) delete obj[k];
  Object.assign(obj, defaulted);
  // kube-apiserver reports schema causes ordered by field path, then the list types'
  // duplicates (a pass of their own there), then the CEL rules' failures (or, when the
  // schema checks found a blocking error, a notice that it skipped them).
  const found = validateAgainstSchema(s, obj, '', { float64Paths: float64Paths(obj), old });
  const duplicate = (c: { reason: string }) => (c.reason === 'FieldValueDuplicate' ? 1 : 0);
  // An update checks the list types only when the stored object passes them (that pass
  // ratchets the whole object, not node by node).
  const storedDuplicates =
    old !== undefined && found.some(duplicate) && validateAgainstSchema(s, old).some(duplicate);
  const violations = storedDuplicates ? found.filter((v) => !duplicate(v)) : found;
  const causes = violations
    .map((v) => ({ reason: v.reason, message: v.message, field: v.field }))
    .sort((a, b) => {
      const [x, y] = [sortField(a), sortField(b)];
      return duplicate(a) - duplicate(b) || (x < y ? -1 : x > y ? 1 : 0);
    });
  for (const v of celViolations(s, obj, violations, old, '', warnings)) {
    causes.push({ reason: v.reason, message: v.message, field: v.field });
  }
  return causes;
}
