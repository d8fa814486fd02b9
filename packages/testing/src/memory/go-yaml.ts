/**
 * YAML read as kube-apiserver reads it: sigs.k8s.io/yaml over go-yaml v2, a YAML 1.1
 * parser. Its plain scalars resolve differently from YAML 1.2's: `y`, `yes`, `on`, `off`
 * and the like are booleans, `0755` is octal, `0x1F`, `0o17`, `0b101` and `1_000` are
 * integers, `.5` and `1.` are floats, timestamps stay strings and nothing is sexagesimal
 * (`1:30` is a string). Own code because the `yaml` package's YAML 1.1 schema follows the
 * specification (sexagesimal numbers, timestamps, no `0o`), not go-yaml.
 */
import { type ParseOptions, parse, parseDocument, type ScalarTag, type SchemaOptions } from 'yaml';
import type { Json } from './json.js';

const TRUE = new Set(['y', 'Y', 'yes', 'Yes', 'YES', 'true', 'True', 'TRUE', 'on', 'On', 'ON']);
const FALSE = new Set(['n', 'N', 'no', 'No', 'NO', 'false', 'False', 'FALSE', 'off', 'Off', 'OFF']);
const NULL = new Set(['', '~', 'null', 'Null', 'NULL']);
const SPECIAL: Record<string, number> = {
  '.nan': Number.NaN,
  '.NaN': Number.NaN,
  '.NAN': Number.NaN,
  '.inf': Number.POSITIVE_INFINITY,
  '.Inf': Number.POSITIVE_INFINITY,
  '.INF': Number.POSITIVE_INFINITY,
  '+.inf': Number.POSITIVE_INFINITY,
  '+.Inf': Number.POSITIVE_INFINITY,
  '+.INF': Number.POSITIVE_INFINITY,
  '-.inf': Number.NEGATIVE_INFINITY,
  '-.Inf': Number.NEGATIVE_INFINITY,
  '-.INF': Number.NEGATIVE_INFINITY,
};

/** Go's `strconv.ParseInt(s, 0, 64)` syntax (sign, then a `0x`/`0o`/`0b`/`0` prefix or none). */
const GO_INT = /^([-+]?)(?:0[xX]([0-9a-fA-F]+)|0[oO]?([0-7]+)|0[bB]([01]+)|([1-9][0-9]*|0))$/;
/** go-yaml's float syntax (its `yamlStyleFloat`). */
const GO_FLOAT = /^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$/;
const INT64_MIN = -(2n ** 63n);
const UINT64_MAX = 2n ** 64n - 1n;

/** An integer as go-yaml reads it: in int64 (or, unsigned, uint64) range, else undefined. */
function goInteger(plain: string): number | undefined {
  const m = GO_INT.exec(plain);
  if (!m) return undefined;
  const [, sign, hex, octal, binary, decimal] = m;
  const digits = hex
    ? `0x${hex}`
    : octal !== undefined
      ? `0o${octal}`
      : binary !== undefined
        ? `0b${binary}`
        : (decimal ?? '0');
  const magnitude = BigInt(digits);
  const value = sign === '-' ? -magnitude : magnitude;
  // ParseInt takes int64 with a sign; ParseUint takes up to uint64 without one.
  if (value < INT64_MIN || value > (sign === '' ? UINT64_MAX : 2n ** 63n - 1n)) return undefined;
  return Number(value);
}

/**
 * The value of a plain (unquoted, untagged) scalar as go-yaml v2's `resolve` gives it:
 * the words it knows, then by its first character an integer, a float or a string.
 */
export function goPlainScalar(text: string): Json {
  if (TRUE.has(text)) return true;
  if (FALSE.has(text)) return false;
  if (NULL.has(text)) return null;
  const special = SPECIAL[text];
  if (special !== undefined) return special;
  const first = text[0] ?? '';
  if (first === '.') return GO_FLOAT.test(text) ? Number(text) : text;
  if (!/[-+0-9]/.test(first)) return text;
  const plain = text.replaceAll('_', '');
  const integer = goInteger(plain);
  if (integer !== undefined) return integer;
  return GO_FLOAT.test(plain) ? Number(plain) : text;
}

/**
 * Every plain scalar goes through `goPlainScalar` (the tag name is ours alone), but `<<`,
 * left to the merge key tag that comes after it.
 */
const GO_PLAIN: ScalarTag = {
  tag: 'tag:kube-ts.dev,2026:go-plain',
  default: true,
  test: /^(?!<<$)/,
  resolve: goPlainScalar,
};

/** Parser options that read YAML as go-yaml v2 does (its merge keys `<<` included). */
export const GO_YAML_OPTIONS: ParseOptions & SchemaOptions = {
  schema: 'failsafe',
  customTags: [GO_PLAIN],
  merge: true,
};

/** Parses a YAML text as kube-apiserver does (duplicate keys: the last wins; see duplicate-fields.ts). */
export function parseGoYaml(text: string): Json {
  return parse(text, { ...GO_YAML_OPTIONS, uniqueKeys: false }) as Json;
}

/** The document of a YAML text as kube-apiserver reads it, for its errors. */
export function parseGoYamlDocument(text: string, uniqueKeys: boolean) {
  return parseDocument(text, { ...GO_YAML_OPTIONS, uniqueKeys, prettyErrors: false });
}
