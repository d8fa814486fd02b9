/**
 * YAML read as kube-apiserver reads it: sigs.k8s.io/yaml over go-yaml v2, a YAML 1.1
 * parser. Its plain scalars resolve differently from YAML 1.2's: `y`, `yes`, `on`, `off`
 * and the like are booleans, `0755` is octal, `0x1F`, `0o17`, `0b101` and `1_000` are
 * integers, `.5` and `1.` are floats, timestamps stay strings and nothing is sexagesimal
 * (`1:30` is a string). Own code because the `yaml` package's YAML 1.1 schema follows the
 * specification (sexagesimal numbers, timestamps, no `0o`), not go-yaml.
 */
import {
  type Document,
  isAlias,
  isMap,
  isScalar,
  isSeq,
  type Node,
  type ParseOptions,
  parseAllDocuments,
  parseDocument,
  type Scalar,
  type ScalarTag,
  type SchemaOptions,
  visit,
} from 'yaml';
import { keepBigInt } from './big-integers.js';
import { goFloat, goPrintSharp } from './go-print.js';
import { BAD_BINARY, goYamlSyntaxError } from './go-yaml-syntax.js';
import { isObject, type Json } from './json.js';

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
function goBigInteger(plain: string): bigint | undefined {
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
  return value;
}

/** {@link goBigInteger} as a JavaScript number (rounded beyond 2^53). */
function goInteger(plain: string): number | undefined {
  const value = goBigInteger(plain);
  return value === undefined ? undefined : Number(value);
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
 * A plain scalar as go-yaml prints its resolved value with `%#v` (in `key … already set in
 * map`): a string quoted, an integer or a float in Go's form (`1e+06`), `<nil>` for null.
 */
export function goSharpPlain(text: string): string {
  const value = goPlainScalar(text);
  if (value === null) return '<nil>';
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value !== 'number') return String(value);
  const plain = text.replaceAll('_', '');
  return goInteger(plain) !== undefined && !text.startsWith('.') ? String(value) : goFloat(value);
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

/** `!!binary`: go-yaml decodes the base64 into a string (JSON then writes it as text). */
const GO_BINARY: ScalarTag = {
  tag: 'tag:yaml.org,2002:binary',
  resolve(text, onError) {
    const base64 = text.replace(/[\s]/g, '');
    if (base64.length % 4 !== 0 || !/^[A-Za-z0-9+/]*={0,2}$/.test(base64)) onError(BAD_BINARY);
    return Buffer.from(base64, 'base64').toString();
  },
};

/** Parser options that read YAML as go-yaml v2 does (its merge keys `<<` included). */
export const GO_YAML_OPTIONS: ParseOptions & SchemaOptions = {
  schema: 'failsafe',
  customTags: [GO_PLAIN, GO_BINARY],
  merge: true,
};

/** A YAML body kube-apiserver cannot read, with the words it gives (`yaml: line 3: …`). */
export class GoYamlError extends Error {}

/** The value of a node as go-yaml decodes it into `interface{}`, for `%#v`. */
function nodeValue(node: unknown): Json {
  const value = (node as { toJSON?: () => unknown } | null)?.toJSON?.() ?? null;
  return value as Json;
}

/**
 * What go-yaml and then sigs.k8s.io/yaml refuse in the keys of a parsed document: a key
 * that is a collection (`yaml: invalid map key: …`) and a null key (`~`, `null` or none),
 * which JSON cannot hold (`unsupported map key of type: …`).
 */
function checkKeys(text: string, node: unknown): void {
  if (isSeq(node)) for (const item of node.items) checkKeys(text, item);
  if (!isMap(node)) return;
  for (const pair of node.items) {
    const key = pair.key as Node | null;
    const keyAt = isScalar(key) && key.source === '' ? (key.range?.[0] ?? -1) : -1;
    if (!node.flow && text[keyAt] === ':') {
      // A block mapping entry `: value` without `?`: go-yaml's parser wants a key there.
      const line = text.slice(0, keyAt).split('\n').length - 1;
      throw new GoYamlError(`yaml: ${line > 0 ? `line ${line}: ` : ''}did not find expected key`);
    }
    if (isMap(key) || isSeq(key)) {
      const mapType = 'map[interface {}]interface {}';
      throw new GoYamlError(`yaml: invalid map key: ${goPrintSharp(nodeValue(key), mapType)}`);
    }
    if (key === null || (isScalar(key) && key.value === null)) {
      const value = pair.value === null ? null : nodeValue(pair.value);
      const shown = value === null ? '<nil>' : goPrintSharp(value, 'map[interface {}]interface {}');
      throw new GoYamlError(`unsupported map key of type: %!s(<nil>), key: <nil>, value: ${shown}`);
    }
    if (isScalar(key) && typeof key.value === 'number') floatKey(key);
    if (!isAlias(pair.value)) checkKeys(text, pair.value);
  }
}

/** sigs.k8s.io/yaml's names of the float keys Go cannot write in JSON. */
const SPECIAL_KEYS: Record<string, string> = { '+Inf': '.inf', '-Inf': '-.inf', NaN: '.nan' };

/**
 * Names a float map key as sigs.k8s.io/yaml does when it makes JSON of go-yaml's map:
 * `strconv.FormatFloat(key, 'g', -1, 32)` (`1e20:` is the key `"1e+20"`, `0.1:` `"0.1"`,
 * `1.0:` `"1"`), `.inf`, `-.inf` and `.nan` for what JSON cannot hold. Integer keys keep
 * the text JavaScript writes, which is Go's.
 */
function floatKey(key: Scalar): void {
  const value = key.value as number;
  const plain = String(key.source ?? '').replaceAll('_', '');
  if (goInteger(plain) !== undefined && !plain.startsWith('.')) return;
  const text = goFloat(value, 32);
  key.value = SPECIAL_KEYS[text] ?? text;
}

/**
 * The first value JSON cannot hold (`.nan`, `.inf`) in the order Go's `json.Marshal` meets
 * it (map keys sorted), as its error: `json: unsupported value: NaN`.
 */
function checkNumbers(value: Json): void {
  if (typeof value === 'number') {
    if (Number.isNaN(value)) throw new GoYamlError('json: unsupported value: NaN');
    if (!Number.isFinite(value)) {
      throw new GoYamlError(`json: unsupported value: ${value > 0 ? '+Inf' : '-Inf'}`);
    }
  } else if (Array.isArray(value)) {
    for (const item of value) checkNumbers(item);
  } else if (isObject(value)) {
    for (const k of Object.keys(value).sort()) checkNumbers(value[k]!);
  }
}

/**
 * Makes the integers beyond 2^53 of a parsed document bigints, which `keepBigInt` turns
 * back into numbers whose holders keep their literals: go-yaml reads them as int64s, and
 * sigs.k8s.io/yaml writes them exactly in the JSON kube-apiserver decodes.
 */
function exactIntegers(doc: Document): void {
  visit(doc, {
    Scalar(_key, node) {
      if (typeof node.value !== 'number' || Number.isSafeInteger(node.value)) return;
      const plain = String(node.source ?? '').replaceAll('_', '');
      const value = plain.startsWith('.') ? undefined : goBigInteger(plain);
      if (value !== undefined) node.value = value;
    },
  });
}

/**
 * Parses a YAML text as kube-apiserver does (its first document; duplicate keys: the last
 * wins, see duplicate-fields.ts), throwing a `GoYamlError` with go-yaml's or
 * sigs.k8s.io/yaml's words for what it cannot read.
 */
export function parseGoYaml(text: string): Json {
  const options = { ...GO_YAML_OPTIONS, uniqueKeys: false, prettyErrors: false };
  let doc = parseDocument(text, options);
  if (doc.errors.length > 0 && doc.errors.every((e) => e.code === 'MULTIPLE_DOCS')) {
    const [first] = parseAllDocuments(text, options) as (typeof doc)[];
    doc = first ?? doc;
  }
  if (doc.errors.length > 0) throw new GoYamlError(goYamlSyntaxError(text, doc.errors));
  checkKeys(text, doc.contents);
  exactIntegers(doc);
  let value: Json;
  try {
    value = doc.toJS({ reviver: keepBigInt }) as Json;
  } catch (e) {
    const alias = /Unresolved alias[^:]*: (.*)$/.exec((e as Error).message);
    if (alias) throw new GoYamlError(`yaml: unknown anchor '${alias[1]}' referenced`);
    throw e;
  }
  checkNumbers(value);
  return value;
}

/** The document of a YAML text as kube-apiserver reads it, for its errors. */
export function parseGoYamlDocument(text: string, uniqueKeys: boolean) {
  return parseDocument(text, { ...GO_YAML_OPTIONS, uniqueKeys, prettyErrors: false });
}
