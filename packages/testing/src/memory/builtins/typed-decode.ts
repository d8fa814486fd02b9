import { isInt64Literal } from '../big-integers.js';
import { isObject, type Json, type JsonObject, jsonWord } from '../json.js';
import { type JsonScan, keysInTextOrder } from '../json-scan.js';
import { base64ErrorOffset } from './base64.js';
import { goStruct } from './go-types.js';
import { decodeQuantity } from './quantities.js';
import { formatGoTime, parseGoTime } from './times.js';
import { fieldTypes } from './typed-fields.js';

/**
 * kube-apiserver's decoding of a built-in object into its Go type, as clients see it: a
 * value of the wrong JSON type is refused with Go's `encoding/json` error (`json: cannot
 * unmarshal string into Go struct field DeploymentSpec.spec.replicas of type int32`), a
 * time or quantity that does not parse with its type's own error; times and quantities
 * are rewritten in the form the server stores. The Go names in those errors come from
 * `go-types.json` (generated from the Go types by `scripts/go-types`): the OpenAPI
 * document the field types come from does not have them (`v1.Protocol`, `v1.ResourceList`).
 *
 * Two decoders, because kube-apiserver words their errors differently:
 * - `json`, the typed JSON decoder (sigs.k8s.io/json, Go's encoding/json) that reads
 *   create and update bodies and the results of JSON and merge patches. A type mismatch
 *   is remembered and decoding goes on (the first one is the error), while the errors of
 *   types with their own decoding (times, quantities, int-or-strings) stop it at once and
 *   win; mismatches name the innermost struct and the field path without list indices,
 *   map keys or `[]`, but with embedded structs (`livenessProbe.ProbeHandler.httpGet`).
 * - `unstructured`, the converter from maps (`runtime.DefaultUnstructuredConverter`) that
 *   reads the results of strategic merge patches and server-side apply: the first error
 *   stops it, and it names no field (`unrecognized type: int32`).
 */
export type Decoder = 'json' | 'unstructured';

/** Where a field is, as Go's decoder reports it, and whether it is in a `ResourceList`. */
interface Context {
  struct: string;
  path: string;
  resourceList?: boolean;
}

/** An error that stops decoding. */
class Stop {
  constructor(readonly text: string) {}
}

/**
 * Decodes `obj` (a built-in of OpenAPI definition `definition`) like kube-apiserver and
 * returns the decoder's error text, or undefined; times and quantities are rewritten in
 * place in their stored form. `scan`, the scan of the JSON text `obj` was parsed from,
 * gives what `JSON.parse` lost: number literals as written (Go refuses `1.0` for an
 * integer and keeps `1e3` as a quantity's text) and the text order of keys that look like
 * integers (JavaScript puts them first; Go reads in text order).
 */
export function decodeTyped(
  definition: string,
  obj: JsonObject,
  decoder: Decoder,
  scan?: JsonScan,
): string | undefined {
  let saved: string | undefined;
  const mismatch = (text: string) => {
    if (decoder === 'unstructured') throw new Stop(text);
    saved ??= text;
  };
  // The JSON path of a member, kept only when there is a text to look things up in.
  const member = (at: string | undefined, key: string | number, list: boolean) =>
    at === undefined ? undefined : list ? `${at}[${key}]` : at ? `${at}.${key}` : String(key);
  const walkStruct = (def: string, value: JsonObject, path: string, at: string | undefined) => {
    const fields = fieldTypes(def);
    const names = goStruct(def);
    if (!fields || !names) return;
    for (const key of Object.keys(value)) {
      const type = fields[key];
      const go = names[key];
      if (type === undefined || go === undefined || typeof go === 'string') continue;
      const via = go.e ?? [];
      const struct = via.at(-1) ?? String(names['~']);
      const goPath = [path, ...via, key].filter((p) => p !== '').join('.');
      walk(type, go.t, value, key, { struct, path: goPath }, member(at, key, false));
    }
  };
  const walk = (
    type: string,
    go: readonly string[],
    holder: JsonObject | Json[],
    key: string | number,
    ctx: Context,
    at: string | undefined,
  ) => {
    const value = (holder as Record<string | number, Json>)[key];
    if (value === undefined || value === null) return;
    const goType = go[0] ?? '';
    const wrong = () =>
      mismatch(
        decoder === 'json'
          ? typeError(jsonWord(value), goType, ctx)
          : convertError(value, type, goType),
      );
    if (type.startsWith('[]')) {
      if (!Array.isArray(value)) return wrong();
      for (let i = 0; i < value.length; i++) {
        walk(type.slice(2), go.slice(1), value, i, ctx, member(at, i, true));
      }
      return;
    }
    if (type.startsWith('{}')) {
      if (!isObject(value)) return wrong();
      const inner = goType === 'v1.ResourceList' ? { ...ctx, resourceList: true } : ctx;
      for (const k of mapKeys(value, scan, at)) {
        walk(type.slice(2), go.slice(1), value, k, inner, member(at, k, false));
      }
      return;
    }
    const literal = at === undefined ? undefined : scan?.numbers.get(at);
    // A []byte written as a list of numbers is read item by item from their literals.
    const itemLiteral = (i: number) =>
      at === undefined ? undefined : scan?.numbers.get(`${at}[${i}]`);
    const replaced = leaf(type, goType, value, literal, ctx, decoder, wrong, mismatch, itemLiteral);
    if (replaced !== undefined) (holder as Record<string | number, Json>)[key] = replaced;
    else if (fieldTypes(type)) {
      if (isObject(value)) walkStruct(type, value, ctx.path, at);
      else wrong();
    }
  };
  try {
    // Paths are followed only when the text has something JSON.parse lost.
    const lost = scan !== undefined && (scan.numbers.size > 0 || scan.digitKeys);
    walkStruct(definition, obj, '', lost ? '' : undefined);
  } catch (e) {
    if (e instanceof Stop) return e.text;
    throw e;
  }
  return saved;
}

/**
 * A map's keys in the order Go's decoder reads them: the text's. `Object.keys` puts keys
 * that look like array indices first, so only then is the text asked.
 */
function mapKeys(value: JsonObject, scan: JsonScan | undefined, at: string | undefined): string[] {
  const keys = Object.keys(value);
  if (scan === undefined || at === undefined || !INDEX_LIKE.test(keys[0] ?? '')) return keys;
  const inText = keysInTextOrder(scan, at).filter((k) => Object.hasOwn(value, k));
  return inText.length === keys.length ? inText : keys;
}

/** A key JavaScript orders before the others (an array index). */
const INDEX_LIKE = /^(?:0|[1-9]\d{0,9})$/;

/**
 * Checks a leaf value of OpenAPI type `type` (Go type `goType`); returns its stored form
 * when decoding rewrites it. Calls `wrong` for a value of the wrong JSON type, `mismatch`
 * with the text of another error that decoding goes on after.
 */
function leaf(
  type: string,
  goType: string,
  value: Json,
  literal: string | undefined,
  ctx: Context,
  decoder: Decoder,
  wrong: () => void,
  mismatch: (text: string) => void,
  itemLiteral: (index: number) => string | undefined,
): Json | undefined {
  switch (type) {
    case 'string':
      if (typeof value !== 'string') wrong();
      return undefined;
    case 'boolean':
      if (typeof value !== 'boolean') wrong();
      return undefined;
    case 'number':
      if (typeof value !== 'number') wrong();
      return undefined;
    case 'integer':
      // Go's strconv.ParseInt reads the literal: `1.0` and `1e2` are not integers to it.
      if (typeof value !== 'number') wrong();
      else if (
        decoder === 'json' &&
        (!fitsInteger(value, goType, literal) || isFraction(literal))
      ) {
        mismatch(typeError(`number ${literal ?? String(value)}`, goType, ctx));
      } else if (decoder === 'unstructured' && !Number.isInteger(value)) wrong();
      return undefined;
    case 'byte':
      return byteField(value, ctx, decoder, wrong, mismatch, itemLiteral);
    case 'Time':
    case 'MicroTime': {
      // metav1.Time's own UnmarshalJSON reads a string (a stop), then parses it.
      if (typeof value !== 'string') throw new Stop(ownTypeError(value, 'string', ctx, decoder));
      const parsed = parseGoTime(type, value);
      if (typeof parsed === 'string') throw new Stop(parsed);
      return formatGoTime(type, parsed);
    }
    case 'IntOrString':
      // intstr.IntOrString's UnmarshalJSON: a string, else an int32.
      if (typeof value === 'string') return undefined;
      if (typeof value !== 'number') throw new Stop(ownTypeError(value, 'int32', ctx, decoder));
      if (!fitsInteger(value, 'int32') || (decoder === 'json' && isFraction(literal))) {
        const word = `number ${literal ?? String(value)}`;
        throw new Stop(ownTypeError(value, 'int32', ctx, decoder, word));
      }
      return undefined;
    case 'Quantity': {
      // resource.Quantity's UnmarshalJSON parses the JSON text of any value but a string;
      // the defaulting of a ResourceList then rounds it up to milli-units.
      const text = typeof value === 'string' ? value : (literal ?? JSON.stringify(value));
      const decoded = decodeQuantity(text, ctx.resourceList === true);
      if ('error' in decoded) throw new Stop(decoded.error);
      return decoded.text;
    }
    default:
      return undefined;
  }
}

/**
 * A `[]byte` field: base64 text (Go's decoder also takes a list of bytes, each read from its
 * literal: `1.0` is not a byte to it; such a list is stored as its base64 text).
 */
function byteField(
  value: Json,
  ctx: Context,
  decoder: Decoder,
  wrong: () => void,
  mismatch: (text: string) => void,
  itemLiteral: (index: number) => string | undefined,
): Json | undefined {
  if (typeof value === 'string') {
    const at = base64ErrorOffset(value);
    if (at === undefined) return undefined;
    const text = `illegal base64 data at input byte ${at}`;
    // Go's decoder remembers this one and goes on, like a type mismatch.
    mismatch(decoder === 'json' ? text : `error decoding from json: ${text}`);
    return undefined;
  }
  if (!Array.isArray(value)) {
    wrong();
    return undefined;
  }
  let bytes = true;
  value.forEach((b, i) => {
    // The converter wraps an integer out of a byte's range; the JSON decoder refuses it.
    const literal = decoder === 'json' ? itemLiteral(i) : undefined;
    if (typeof b === 'number' && Number.isInteger(b) && !isFraction(literal)) {
      if (decoder === 'unstructured' || (b >= 0 && b <= 255)) return;
    }
    bytes = false;
    if (decoder === 'unstructured') mismatch(convertError(b, 'integer', 'uint8'));
    else {
      const word = typeof b === 'number' ? `number ${literal ?? String(b)}` : jsonWord(b);
      mismatch(typeError(word, 'uint8', ctx));
    }
  });
  return bytes ? Buffer.from(value.map((b) => Number(b) & 0xff)).toString('base64') : undefined;
}

/** Whether a number literal has a fraction or an exponent (Go's ParseInt refuses it). */
function isFraction(literal: string | undefined): boolean {
  return literal !== undefined && /[.eE]/.test(literal);
}

/** Whether a JSON number decodes into the Go integer type without error. */
function fitsInteger(value: number, goType: string, literal?: string): boolean {
  if (!Number.isInteger(value)) return false;
  if (goType === 'int32') return value >= -(2 ** 31) && value < 2 ** 31;
  // Beyond 2^53 the value is rounded: the literal says whether it fits an int64.
  if (literal !== undefined && !Number.isSafeInteger(value)) return isInt64Literal(literal);
  return Math.abs(value) < 2 ** 63;
}

/** Go's `UnmarshalTypeError` text with the field it was decoding. */
function typeError(word: string, goType: string, ctx: Context): string {
  return `json: cannot unmarshal ${word} into Go struct field ${ctx.struct}.${ctx.path} of type ${goType}`;
}

/**
 * The error of a type that decodes itself (a time, an int-or-string) with a nested
 * `json.Unmarshal`: the typed decoder adds the field to it, the converter does not.
 */
function ownTypeError(
  value: Json,
  goType: string,
  ctx: Context,
  decoder: Decoder,
  word = jsonWord(value),
): string {
  if (decoder === 'json') return typeError(word, goType, ctx);
  return `json: cannot unmarshal ${word} into Go value of type ${goType}`;
}

/** The Go kind of a value in an unstructured map (`sigs.k8s.io/json` reads integers as int64). */
function goKind(value: Json): string {
  if (Array.isArray(value)) return 'slice';
  if (typeof value === 'object') return 'map';
  if (typeof value === 'number') return Number.isInteger(value) ? 'int64' : 'float64';
  return typeof value === 'boolean' ? 'bool' : 'string';
}

/** `runtime.DefaultUnstructuredConverter`'s error for a value of the wrong type. */
function convertError(value: Json, type: string, goType: string): string {
  const kind = goKind(value);
  if (type.startsWith('[]') || type === 'byte') return `cannot restore slice from ${kind}`;
  if (type.startsWith('{}')) return `cannot restore map from ${kind}`;
  if (fieldTypes(type)) return `cannot restore struct from: ${kind}`;
  // Go converts between numbers, and from an integer to a string, then refuses some.
  const destination = { string: 'string', boolean: 'bool', number: 'float64' }[type] ?? goType;
  if (kind === 'int64' && type === 'string') return `cannot convert int64 to ${goType}`;
  if (kind === 'float64' && type === 'integer') return `cannot convert float64 to ${goType}`;
  return `unrecognized type: ${destination}`;
}
