import type { JSONSchemaProps } from '@kube-ts/k8s/apiextensions/v1';
import { Re2SyntaxError, re2RegExp } from './cel/re2.js';
import { type Correlated, correlatedItems, correlatedProperty } from './correlation.js';
import { childPath, indexPath } from './field-path.js';
import { matchesFormat } from './formats.js';
import { goFloat, goQuote } from './go-format.js';
import { isJsonObject, itemSchema, jsonEqual } from './json-schema.js';
import { checkListType } from './list-type.js';
import {
  invalidViolation,
  NO_FIELD,
  notSupportedViolation,
  requiredViolation,
  type SchemaViolation,
  tooLongViolation,
  tooManyViolation,
  typeInvalidViolation,
} from './violation.js';

/** The JSON type name of a value as the CRD validator reports it. */
export function jsonTypeOf(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'number';
  if (typeof value === 'string' || typeof value === 'boolean') return typeof value;
  return 'object';
}

function typeMatches(expected: string, actual: string): boolean {
  return expected === actual || (expected === 'number' && actual === 'integer');
}

/** `spec.replicas in body` — how the CRD validator names a field (` in body` at the root). */
function inBody(path: string): string {
  return `${path} in body`;
}

/**
 * Compiles a schema `pattern` as kube-apiserver does (Go's `regexp`, RE2 syntax; see
 * {@link re2RegExp}); `null` when Go refuses it.
 */
function compilePattern(pattern: string): RegExp | null {
  try {
    return re2RegExp(pattern);
  } catch (e) {
    if (e instanceof Re2SyntaxError) return null;
    throw e;
  }
}

function checkString(s: JSONSchemaProps, v: string, path: string, out: SchemaViolation[]): void {
  const length = [...v].length;
  if (s.maxLength !== undefined && length > s.maxLength) {
    out.push(tooLongViolation(path, s.maxLength));
  }
  if (s.minLength !== undefined && length < s.minLength) {
    out.push(
      invalidViolation(path, v, `${inBody(path)} should be at least ${s.minLength} chars long`),
    );
  }
  if (s.pattern !== undefined) {
    const re = compilePattern(s.pattern);
    if (re && !re.test(v)) {
      out.push(invalidViolation(path, v, `${inBody(path)} should match '${s.pattern}'`));
    }
  }
}

/** The numeric formats whose range the server enforces on a node of the given type. */
const CHECKED_FORMATS: Readonly<Record<string, readonly string[]>> = {
  integer: ['int32', 'int64'],
  number: ['float'],
};

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

/**
 * Whether a float64 passes the server's int64 range check, which reads back the float's
 * shortest decimal text (`9223372036854775808` is written `9223372036854776000`, beyond
 * an int64; JavaScript writes the same digits below 1e21, and an exponent above).
 */
function floatFitsInt64(v: number): boolean {
  const text = String(v);
  if (!/^-?[0-9]+$/.test(text)) return false;
  const value = BigInt(text);
  return value >= INT64_MIN && value <= INT64_MAX;
}

/**
 * Whether `v` fits the numeric `type` (with `format`), as the server's range check decides;
 * `float`: the value was decoded as a float64.
 */
function fitsNumericFormat(
  v: number,
  type: string,
  format: string | undefined,
  float: boolean,
): boolean {
  if (type === 'integer') {
    if (!Number.isInteger(v)) return false;
    if (format === 'int32') return v >= -(2 ** 31) && v <= 2 ** 31 - 1;
    return !float || floatFitsInt64(v);
  }
  return format === 'float' ? Math.abs(v) <= 3.4028234663852886e38 : true;
}

/** The format whose range the server checks on a node (`undefined`: its type's default). */
function checkedFormat(s: JSONSchemaProps): string | undefined {
  const type = s.type ?? '';
  return s.format !== undefined && CHECKED_FORMATS[type]?.includes(s.format) ? s.format : undefined;
}

/** `<prefix> value must be of type <type> …`, the server's range error, without a field. */
function outOfRange(s: JSONSchemaProps, prefix: string, path: string): SchemaViolation {
  const format = checkedFormat(s);
  const detail = format ? `with format ${format}` : '(default format)';
  return invalidViolation(
    NO_FIELD,
    '',
    `${prefix} value must be of type ${s.type} ${detail} in ${path}`,
  );
}

/**
 * The server's numeric range check: an integer node's value must be an integer (that
 * fits `int32` when so formatted), a `float` node's value must fit a float32. Reported
 * without a field, naming the path in the message, as the server does.
 */
function checkNumericRange(
  s: JSONSchemaProps,
  v: number,
  path: string,
  out: SchemaViolation[],
  float: boolean,
): void {
  if (s.type !== 'integer' && s.type !== 'number') return;
  if (fitsNumericFormat(v, s.type, checkedFormat(s), float)) return;
  out.push(outOfRange(s, 'Checked', path));
}

/**
 * How kube-openapi compares a value with one of the node's bounds (a float64 as the CRD
 * holds it): a bound that does not fit the node's type and format (`maximum: 1.5` of an
 * integer) is reported so, and compared as a float64; one that fits is truncated to an
 * int64 when the value is one (a JSON integer, also in a `number` node), and printed so.
 */
function boundOf(
  s: JSONSchemaProps,
  bound: number,
  prefix: string,
  path: string,
  out: SchemaViolation[],
  valueIsInt: boolean,
): { limit: number; shown: string; int: boolean } {
  const fits =
    (s.type !== 'integer' && s.type !== 'number') ||
    fitsNumericFormat(bound, s.type, checkedFormat(s), true);
  if (!fits) out.push(outOfRange(s, prefix, path));
  if (fits && valueIsInt) {
    const limit = Math.trunc(bound);
    return { limit, shown: String(limit), int: true };
  }
  return { limit: bound, shown: goFloat(bound), int: false };
}

function checkNumber(
  s: JSONSchemaProps,
  v: number,
  path: string,
  out: SchemaViolation[],
  float: boolean,
): void {
  checkNumericRange(s, v, path, out, float);
  // A float64 value is quoted as `%v` writes a float64 (`1e+08`), an int64 as is.
  const asFloat = float || !Number.isInteger(v);
  const fail = (detail: string) => out.push(invalidViolation(path, v, detail, asFloat));
  // kube-openapi's order: multipleOf, minimum, maximum.
  if (s.multipleOf !== undefined) {
    const { limit, shown, int } = boundOf(s, s.multipleOf, 'MultipleOf', path, out, !asFloat);
    if (limit <= 0) {
      // A factor truncated to 0 (`0.5` of a `number` node, for an integer value).
      out.push(
        invalidViolation(
          path,
          limit,
          `factor MultipleOf declared for ${path} must be positive: ${shown}`,
          !int,
        ),
      );
    } else if (int ? v % limit !== 0 : notMultiple(v, limit)) {
      fail(`${inBody(path)} should be a multiple of ${shown}`);
    }
  }
  if (s.minimum !== undefined) {
    const { limit, shown } = boundOf(s, s.minimum, 'Minimum boundary', path, out, !asFloat);
    if (s.exclusiveMinimum ? v <= limit : v < limit) {
      const rel = s.exclusiveMinimum ? 'greater than' : 'greater than or equal to';
      fail(`${inBody(path)} should be ${rel} ${shown}`);
    }
  }
  if (s.maximum !== undefined) {
    const { limit, shown } = boundOf(s, s.maximum, 'Maximum boundary', path, out, !asFloat);
    if (s.exclusiveMaximum ? v >= limit : v > limit) {
      const rel = s.exclusiveMaximum ? 'less than' : 'less than or equal to';
      fail(`${inBody(path)} should be ${rel} ${shown}`);
    }
  }
}

/** kube-openapi's float64 multipleOf check (a factor below 1 divides by its inverse). */
function notMultiple(v: number, factor: number): boolean {
  const q = factor < 1 ? (1 / factor) * v : v / factor;
  return Math.abs(q - Math.round(q)) > 1e-9;
}

function checkArray(
  s: JSONSchemaProps,
  v: unknown[],
  path: string,
  out: SchemaViolation[],
  floats: Floats,
  old: Correlated,
): void {
  if (s.maxItems !== undefined && v.length > s.maxItems) {
    out.push(tooManyViolation(path, v.length, s.maxItems));
  }
  if (s.minItems !== undefined && v.length < s.minItems) {
    // The server quotes the number of items, not the list.
    const detail = `${inBody(path)} should have at least ${s.minItems} items`;
    out.push(invalidViolation(path, v.length, detail));
  }
  if (s.uniqueItems && v.some((item, i) => v.slice(0, i).some((prev) => jsonEqual(prev, item)))) {
    out.push(invalidViolation(path, v, `${inBody(path)} shouldn't contain duplicates`));
  }
  const items = itemSchema(s);
  if (items) {
    const oldItem = correlatedItems(s, old);
    for (let i = 0; i < v.length; i++)
      validateNode(items, v[i], indexPath(path, i), out, floats, oldItem(v[i]));
  }
  out.push(...checkListType(s, v, path));
}

function checkObject(
  s: JSONSchemaProps,
  v: Record<string, unknown>,
  path: string,
  out: SchemaViolation[],
  floats: Floats,
  old: Correlated,
): void {
  const keys = Object.keys(v);
  if (s.maxProperties !== undefined && keys.length > s.maxProperties) {
    out.push(tooManyViolation(path, keys.length, s.maxProperties));
  }
  if (s.minProperties !== undefined && keys.length < s.minProperties) {
    out.push(
      invalidViolation(
        path,
        keys.length,
        `${inBody(path)} should have at least ${s.minProperties} properties`,
      ),
    );
  }
  for (const name of s.required ?? []) {
    if (!Object.hasOwn(v, name)) out.push(requiredViolation(childPath(path, name)));
  }
  if (s['x-kubernetes-embedded-resource']) {
    for (const name of ['apiVersion', 'kind']) {
      const field = v[name];
      if (typeof field !== 'string' || field === '') {
        out.push(requiredViolation(childPath(path, name)));
      }
    }
  }
  for (const key of keys) {
    const child = childPath(path, key);
    // kube-apiserver never ratchets a resource's apiVersion and kind.
    const oldChild =
      path === '' && (key === 'apiVersion' || key === 'kind')
        ? undefined
        : correlatedProperty(old, key);
    const prop = s.properties && Object.hasOwn(s.properties, key) ? s.properties[key] : undefined;
    if (prop) {
      validateNode(prop, v[key], child, out, floats, oldChild);
    } else if (typeof s.additionalProperties === 'object') {
      validateNode(s.additionalProperties, v[key], child, out, floats, oldChild);
    } else if (s.additionalProperties === false) {
      // Reported on the object (the server names the key in the message and as the value).
      out.push(
        invalidViolation(
          path === '' ? NO_FIELD : path,
          key,
          `${inBody(`${path}.${key}`)} is a forbidden property`,
        ),
      );
    }
  }
}

/**
 * `allOf`/`anyOf`/`oneOf`/`not`. The server reports their summaries without a field
 * (`<nil>`), naming the node inside the message, followed by the closest branch's errors.
 */
function checkJunctors(
  s: JSONSchemaProps,
  v: unknown,
  path: string,
  out: SchemaViolation[],
  floats: Floats,
  old: Correlated,
): void {
  const run = (sub: JSONSchemaProps): SchemaViolation[] => {
    const found: SchemaViolation[] = [];
    validateNode(sub, v, path, found, floats, old);
    return found;
  };
  const summary = (text: string): SchemaViolation =>
    invalidViolation(NO_FIELD, '', `${JSON.stringify(path)} ${text}`);
  const fewest = (results: SchemaViolation[][]): SchemaViolation[] =>
    results.reduce<SchemaViolation[] | undefined>(
      (best, r) => (best === undefined || r.length < best.length ? r : best),
      undefined,
    ) ?? [];
  if (s.anyOf) {
    const results = s.anyOf.map(run);
    if (!results.some((r) => r.length === 0)) {
      out.push(summary('must validate at least one schema (anyOf)'), ...fewest(results));
    }
  }
  if (s.oneOf) {
    const results = s.oneOf.map(run);
    const passed = results.filter((r) => r.length === 0).length;
    if (passed === 0) {
      out.push(summary('must validate one and only one schema (oneOf). Found none valid'));
      out.push(...fewest(results));
    } else if (passed > 1) {
      out.push(
        summary(
          `must validate one and only one schema (oneOf). Found ${passed} valid alternatives`,
        ),
      );
    }
  }
  if (s.allOf) {
    const results = s.allOf.map(run);
    const passed = results.filter((r) => r.length === 0).length;
    for (const r of results) out.push(...r);
    if (passed < results.length) {
      const none = passed === 0 ? '. None validated' : '';
      out.push(summary(`must validate all the schemas (allOf)${none}`));
    }
  }
  if (s.not && run(s.not).length === 0) {
    out.push(summary('must not validate the schema (not)'));
  }
}

/**
 * The type error the server reports: with a format on a non-string node, it names the
 * format and the data's Go number format (`must be of type int32: "float64"`).
 */
function typeMismatch(
  s: JSONSchemaProps,
  v: unknown,
  actual: string,
  path: string,
): SchemaViolation {
  if (s.format !== undefined && typeof v !== 'string' && !Array.isArray(v)) {
    const dataFormat = typeof v === 'number' ? (Number.isInteger(v) ? 'int64' : 'float64') : '';
    return typeInvalidViolation(
      path,
      dataFormat,
      `${inBody(path)} must be of type ${s.format}: "${dataFormat}"`,
    );
  }
  return typeInvalidViolation(
    path,
    actual,
    `${inBody(path)} must be of type ${s.type}: "${actual}"`,
  );
}

/** The field paths whose numbers were decoded as float64s (see SchemaValidationOptions). */
type Floats = ReadonlySet<string> | undefined;

/**
 * Validates one node into `found`, and passes what it found on to `out` unless the node is
 * ratcheted: kube-apiserver keeps the errors of a node (its subtree's included) only when
 * the update changed it from its correlated stored value.
 */
function validateNode(
  s: JSONSchemaProps,
  v: unknown,
  path: string,
  out: SchemaViolation[],
  floats: Floats,
  old: Correlated,
): void {
  const found: SchemaViolation[] = [];
  checkNode(s, v, path, found, floats, old);
  if (found.length > 0 && !(old !== undefined && jsonEqual(old.value, v))) out.push(...found);
}

function checkNode(
  s: JSONSchemaProps,
  v: unknown,
  path: string,
  out: SchemaViolation[],
  floats: Floats,
  old: Correlated,
): void {
  const float = typeof v === 'number' && floats?.has(path) === true;
  const actual = float ? 'number' : jsonTypeOf(v);
  // A float64 that is a whole number JSON holds exactly is an integer to the server.
  const floatInteger = float && s.type === 'integer' && Number.isSafeInteger(v);
  if (actual === 'null' && s.nullable) return;
  if (s['x-kubernetes-int-or-string']) {
    if (actual !== 'integer' && actual !== 'string') {
      out.push(
        typeInvalidViolation(
          path,
          actual,
          `${inBody(path)} must be of type integer,string: "${actual}"`,
        ),
      );
      return;
    }
  } else if (s.type !== undefined && !typeMatches(s.type, actual) && !floatInteger) {
    out.push(typeMismatch(s, v, actual, path));
    // The server's number checks still run on a float on an integer node; nothing else.
    if (typeof v === 'number' && s.type === 'integer') checkNumber(s, v, path, out, float);
    return;
  }
  if (s.enum && !s.enum.some((e) => jsonEqual(e, v))) {
    out.push(notSupportedViolation(path, v, s.enum, float));
  }
  const stringNode = s.type === undefined || s.type === 'string';
  if (
    typeof v === 'string' &&
    s.format !== undefined &&
    stringNode &&
    !matchesFormat(s.format, v)
  ) {
    out.push(
      typeInvalidViolation(path, v, `${inBody(path)} must be of type ${s.format}: ${goQuote(v)}`),
    );
  }
  if (typeof v === 'string') checkString(s, v, path, out);
  else if (typeof v === 'number') checkNumber(s, v, path, out, float);
  else if (Array.isArray(v)) checkArray(s, v, path, out, floats, old);
  else if (isJsonObject(v)) checkObject(s, v, path, out, floats, old);
  checkJunctors(s, v, path, out, floats, old);
}

/** How a value was decoded and what it replaces, for {@link validateAgainstSchema}. */
export interface SchemaValidationOptions {
  /**
   * The field paths (`spec.n`, `spec.list[0]`) of the whole numbers decoded as float64s:
   * kube-apiserver decodes a custom resource's number that is not an int64 literal (beyond
   * int64, a fraction or an exponent) as a float64, whose type is `number`, an `integer`
   * only while JSON holds it exactly (up to 2^53 - 1). Without it every whole number is an
   * integer, as JavaScript cannot tell.
   */
  readonly float64Paths?: ReadonlySet<string>;
  /**
   * The stored value, on an update: as kube-apiserver ratchets validation, a node the update
   * leaves equal to its stored value (properties correlated by name, map-list items by
   * their keys; other list items never) may keep failing, so its violations are not
   * reported.
   */
  readonly old?: unknown;
}

/**
 * Validates a JSON value against a Kubernetes-dialect OpenAPI v3 schema the way the API
 * server's CRD validator does, and returns every violation (empty when valid).
 *
 * Guarantees: a type mismatch is reported once per node and its children are not
 * checked further; `nullable: true` accepts `null`; unknown object fields are not
 * violations (the server prunes them first, see {@link pruneUnknownFields}); defaults are
 * not applied (see {@link applyDefaults}); `x-kubernetes-list-type` `set`/`map`
 * uniqueness is enforced; `x-kubernetes-validations` (CEL) rules are NOT evaluated.
 *
 * @param schema the schema (usually a CRD version's `openAPIV3Schema`).
 * @param value the decoded JSON value.
 * @param path the field path of `value`, used as the prefix of every reported field.
 * @param options how the numbers of `value` were decoded and, on an update, the stored value
 *   (see {@link SchemaValidationOptions}).
 */
export function validateAgainstSchema(
  schema: JSONSchemaProps,
  value: unknown,
  path = '',
  options: SchemaValidationOptions = {},
): SchemaViolation[] {
  const out: SchemaViolation[] = [];
  const old = options.old === undefined ? undefined : { value: options.old };
  validateNode(schema, value, path, out, options.float64Paths, old);
  return out;
}
