/**
 * JSON text with map keys in the order Go's `encoding/json` writes them. kube-apiserver
 * writes every map with its keys sorted as text (bytes), and an object decoded here keeps
 * that order, except that JavaScript puts keys that look like array indices (`"9"`,
 * `"10"`) first, in numeric order. So the text `JSON.stringify` writes is used as is
 * unless it has such a key; only then is the value written again here, each object that
 * holds such a key with all its keys sorted as Go sorts them (no struct field looks like
 * an index, so such an object is always a map).
 */

import { byteOrder, goHtmlEscape } from '@kube-ts/schema/validation';
import { bigIntegersSeen, keptLiteral, mayHoldBigIntegers } from './big-integers.js';

export { goHtmlEscape, goMapJson } from '@kube-ts/schema/validation';

/** A member name that looks like an array index, right after `{` or `,` in JSON text. */
const INDEX_KEY = /[{,]"(?:0|[1-9][0-9]*)":/;
const INDEX = /^(?:0|[1-9][0-9]*)$/;

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
