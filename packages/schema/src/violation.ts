/**
 * Schema violations in the shape kube-apiserver reports them: the cause `reason`
 * (`FieldValueRequired`, …), the `field` path and the cause `message`, so that a
 * violation can be turned into a Status cause as it is.
 */

import { goFloat, goMapJson, goQuote } from './go-format.js';

/** The cause reasons the API server uses for field errors (`metav1.CauseType`). */
export type ViolationReason =
  | 'FieldValueRequired'
  | 'FieldValueInvalid'
  | 'FieldValueTypeInvalid'
  | 'FieldValueNotSupported'
  | 'FieldValueTooLong'
  | 'FieldValueTooMany'
  | 'FieldValueDuplicate'
  | 'FieldValueForbidden';

/** One way a value fails a schema. */
export interface SchemaViolation {
  /** The path of the failing field, e.g. `spec.items[0].name` (`''` for the root). */
  readonly field: string;
  /** The cause reason the API server reports for this kind of failure. */
  readonly reason: ViolationReason;
  /**
   * The cause message as the API server writes it, without the field, e.g.
   * `Invalid value: 0: spec.replicas in body should be greater than or equal to 1`.
   */
  readonly message: string;
}

/**
 * Renders a bad value the way kube-apiserver's field errors show it: a string as Go's `%q`
 * writes it (`"\u2028"`), a number as `%v` writes an int64 or, when `float` (or not whole),
 * a float64 (`1e+08`), a boolean as is, anything else as `json.Marshal` writes it (map keys
 * sorted, `<`, `>` and `&` escaped: `{"a":"x\u003cy"}`).
 *
 * @param float the value was decoded as a float64 (a whole number written `1.0` or `1e8`).
 */
export function renderValue(value: unknown, float = false): string {
  if (value === undefined) return 'null';
  if (typeof value === 'string') return goQuote(value);
  if (typeof value === 'number') {
    return float || !Number.isInteger(value) ? goFloat(value) : String(value);
  }
  if (typeof value === 'boolean') return String(value);
  return goMapJson(value);
}

/**
 * An enum value as the CRD validator lists it among the supported ones: a string quoted,
 * anything else its `json.Marshal` text, quoted (`"5"`, `"{\"a\":\"b\"}"`).
 */
function renderSupported(value: unknown): string {
  return goQuote(typeof value === 'string' ? value : goMapJson(value));
}

function make(field: string, reason: ViolationReason, message: string): SchemaViolation {
  return { field, reason, message };
}

function withDetail(head: string, detail: string | undefined): string {
  return detail ? `${head}: ${detail}` : head;
}

/** A missing required field (`Required value`). */
export function requiredViolation(field: string, detail?: string): SchemaViolation {
  return make(field, 'FieldValueRequired', withDetail('Required value', detail));
}

/**
 * A value that breaks a constraint (`Invalid value: <v>: <detail>`); `float`: the value
 * was decoded as a float64 (see {@link renderValue}).
 */
export function invalidViolation(
  field: string,
  value: unknown,
  detail: string,
  float = false,
): SchemaViolation {
  return make(
    field,
    'FieldValueInvalid',
    withDetail(`Invalid value: ${renderValue(value, float)}`, detail),
  );
}

/** A value of the wrong type or format (`Invalid value: <v>: <detail>`). */
export function typeInvalidViolation(
  field: string,
  value: unknown,
  detail: string,
): SchemaViolation {
  return make(
    field,
    'FieldValueTypeInvalid',
    withDetail(`Invalid value: ${renderValue(value)}`, detail),
  );
}

/**
 * A value outside an enum (`Unsupported value: <v>: supported values: "a", "b"`); `float`:
 * the value was decoded as a float64.
 */
export function notSupportedViolation(
  field: string,
  value: unknown,
  supported: readonly unknown[],
  float = false,
): SchemaViolation {
  const listed = supported.map(renderSupported).join(', ');
  const detail = supported.length > 0 ? `supported values: ${listed}` : undefined;
  return make(
    field,
    'FieldValueNotSupported',
    withDetail(`Unsupported value: ${renderValue(value, float)}`, detail),
  );
}

/** A string longer than `maxLength` (the value itself is not repeated). */
export function tooLongViolation(field: string, max: number): SchemaViolation {
  const unit = max === 1 ? 'byte' : 'bytes';
  return make(field, 'FieldValueTooLong', `Too long: may not be more than ${max} ${unit}`);
}

/** A list or object with too many entries. */
export function tooManyViolation(field: string, actual: number, max: number): SchemaViolation {
  const unit = max === 1 ? 'item' : 'items';
  return make(field, 'FieldValueTooMany', `Too many: ${actual}: must have at most ${max} ${unit}`);
}

/** A repeated item in a `set` or `map` list (`Duplicate value: <v>`). */
export function duplicateViolation(field: string, value: unknown): SchemaViolation {
  return make(field, 'FieldValueDuplicate', `Duplicate value: ${renderValue(value)}`);
}

/**
 * The field the API server reports for errors that are not tied to one field (the
 * `allOf`/`anyOf`/`oneOf`/`not` summaries and numeric-format range errors): a nil path,
 * printed as `<nil>`. The failing field is named inside the message instead.
 */
export const NO_FIELD = '<nil>';

/** One violation as one line: `spec.replicas: Invalid value: 0: …`. */
export function formatViolation(v: SchemaViolation): string {
  return v.field === '' ? v.message : `${v.field}: ${v.message}`;
}

/**
 * The message of the 422 Status the API server returns for these violations, e.g.
 * `Widget.example.com "w1" is invalid: spec.replicas: Required value` (several
 * violations are listed in brackets, comma-separated).
 *
 * @param qualifiedKind `Kind.group` (just `Kind` for the core group).
 * @param name the object's name.
 */
export function invalidObjectMessage(
  qualifiedKind: string,
  name: string,
  violations: readonly SchemaViolation[],
): string {
  const lines = violations.map(formatViolation);
  const body = lines.length === 1 ? lines[0] : `[${lines.join(', ')}]`;
  return `${qualifiedKind} ${JSON.stringify(name)} is invalid: ${body}`;
}
