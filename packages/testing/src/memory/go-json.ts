/**
 * JSON text with map keys in the order Go's `encoding/json` writes them. kube-apiserver
 * writes every map with its keys sorted as text (bytes), and an object decoded here keeps
 * that order, except that JavaScript puts keys that look like array indices (`"9"`,
 * `"10"`) first, in numeric order. So the text `JSON.stringify` writes is used as is
 * unless it has such a key; only then is the value written again here, each object that
 * holds such a key with all its keys sorted as Go sorts them (no struct field looks like
 * an index, so such an object is always a map).
 */

import { bigIntegersSeen, keptLiteral, mayHoldBigIntegers } from './big-integers.js';

/** A member name that looks like an array index, right after `{` or `,` in JSON text. */
const INDEX_KEY = /[{,]"(?:0|[1-9][0-9]*)":/;
const INDEX = /^(?:0|[1-9][0-9]*)$/;

/** Byte (UTF-8) order, Go's order of strings; JavaScript's `<` compares UTF-16 units. */
function byteOrder(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a), Buffer.from(b));
}

/**
 * Writes `value` as `JSON.stringify` does, sorting the keys of objects that hold an index,
 * and writing an integer beyond 2^53 as the literal its holder keeps (big-integers.ts).
 */
function write(value: unknown, holder?: object, key?: string): string | undefined {
  if (typeof value === 'number' && holder && !Number.isSafeInteger(value)) {
    const literal = keptLiteral(holder, key!);
    if (literal !== undefined) return literal;
  }
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  const withJson = value as { toJSON?: () => unknown };
  if (typeof withJson.toJSON === 'function') return write(withJson.toJSON());
  if (Array.isArray(value)) {
    return `[${value.map((item, i) => write(item, value, String(i)) ?? 'null').join(',')}]`;
  }
  const record = value as Record<string, unknown>;
  const keys = Object.keys(record);
  if (keys.some((k) => INDEX.test(k))) keys.sort(byteOrder);
  const members: string[] = [];
  for (const k of keys) {
    const text = write(record[k], record, k);
    if (text !== undefined) members.push(`${JSON.stringify(k)}:${text}`);
  }
  return `{${members.join(',')}}`;
}

/**
 * The JSON text of `value` with map keys in Go's order (see the module comment) and the
 * integers beyond 2^53 a request wrote as it wrote them (only when some were kept and the
 * text has a run of digits that long is it written again).
 */
export function goJson(value: unknown): string {
  const text = JSON.stringify(value);
  const again = INDEX_KEY.test(text) || (bigIntegersSeen() && mayHoldBigIntegers(text));
  return again ? (write(value) ?? text) : text;
}

/** What Go's encoding/json escapes in strings by default (its HTML-safe output). */
const HTML_UNSAFE = /[<>&\u2028\u2029]/;
const HTML_UNSAFE_ALL = new RegExp(HTML_UNSAFE.source, 'g');
const HTML_ESCAPES: Record<string, string> = {
  '<': '\\u003c',
  '>': '\\u003e',
  '&': '\\u0026',
  '\u2028': '\\u2028',
  '\u2029': '\\u2029',
};

/**
 * JSON text with `<`, `>`, `&`, U+2028 and U+2029 escaped (`\u003c`, …), as Go's
 * encoding/json writes them unless told not to: kube-apiserver's JSON serializer leaves
 * the default on. These characters appear only inside strings in JSON text, so escaping
 * the text escapes the strings. Returns the same text when there is none (the usual case).
 */
export function goHtmlEscape(text: string): string {
  return HTML_UNSAFE.test(text) ? text.replace(HTML_UNSAFE_ALL, (c) => HTML_ESCAPES[c]!) : text;
}

/**
 * A JSON response body as kube-apiserver's JSON serializer sends it (`json.Encoder.Encode`):
 * HTML-escaped and followed by a newline.
 */
export function goEncoded(text: string): string {
  return `${goHtmlEscape(text)}\n`;
}

/**
 * An object as kube-apiserver's `WriteRawJSON` sends it (`/version`, an error whose
 * representation cannot be negotiated): indented by two spaces, HTML-escaped, no newline.
 * Such objects hold no map, so their member order is JavaScript's.
 */
export function goIndented(value: unknown): string {
  return goHtmlEscape(JSON.stringify(value, null, 2));
}

/** `value` with every object's keys in Go's order, as `write` writes its members. */
function sortedDeep(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) return `[${value.map(sortedDeep).join(',')}]`;
  const record = value as Record<string, unknown>;
  const keys = Object.keys(record)
    .filter((k) => record[k] !== undefined)
    .sort(byteOrder);
  return `{${keys.map((k) => `${JSON.stringify(k)}:${sortedDeep(record[k])}`).join(',')}}`;
}

/**
 * The JSON text Go's `json.Marshal` writes for `value` decoded into `map[string]any`:
 * every object's keys sorted as Go sorts them, HTML-escaped (the raw data of a
 * ControllerRevision is written so, and its hash taken over these bytes).
 */
export function goMapJson(value: unknown): string {
  return goHtmlEscape(sortedDeep(value));
}
