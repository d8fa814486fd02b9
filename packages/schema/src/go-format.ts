/**
 * Values written as Go writes them, for messages that must read as kube-apiserver's: a
 * float64 as `%v` prints it, a string as `%q` (strconv.Quote) does, and a decoded JSON
 * value as `json.Marshal` writes it. Used by the schema checks' field errors and by
 * MemoryApiServer wherever it quotes Go's output.
 */

/**
 * The shortest digits of `x` that read back the same as a float of `bits` bits, in
 * exponent form (`1.5e+2` as JavaScript writes it).
 */
function shortestExponential(x: number, bits: 32 | 64): string {
  if (bits === 64) return x.toExponential();
  for (let digits = 1; digits < 9; digits++) {
    const text = x.toExponential(digits - 1);
    if (Math.fround(Number(text)) === x) return text;
  }
  return x.toExponential(8);
}

/**
 * A float as Go's `strconv.FormatFloat(x, 'g', -1, bits)` (and so `%v`, for a float64)
 * writes it: the shortest digits that read back the same at that size, in exponent form
 * (`1e+06`, `1e-05`) when the exponent is below -4 or at least 6. A float64 written at 32
 * bits is first rounded to a float32 (`1e39` is `+Inf`).
 */
export function goFloat(value: number, bits: 32 | 64 = 64): string {
  const x = bits === 32 ? Math.fround(value) : value;
  if (Number.isNaN(x)) return 'NaN';
  if (!Number.isFinite(x)) return x > 0 ? '+Inf' : '-Inf';
  if (x === 0) return Object.is(x, -0) ? '-0' : '0';
  const [mantissa, exp] = shortestExponential(Math.abs(x), bits).split('e') as [string, string];
  const sign = x < 0 ? '-' : '';
  const e = Number(exp);
  if (e < -4 || e >= 6) {
    return `${sign}${mantissa}e${e < 0 ? '-' : '+'}${String(Math.abs(e)).padStart(2, '0')}`;
  }
  const digits = mantissa.replace('.', '');
  const point = e + 1;
  if (point <= 0) return `${sign}0.${'0'.repeat(-point)}${digits}`;
  if (point >= digits.length) return `${sign}${digits}${'0'.repeat(point - digits.length)}`;
  return `${sign}${digits.slice(0, point)}.${digits.slice(point)}`;
}

/**
 * A string as Go's `strconv.Quote` writes it: `\` escapes for quotes, backslashes and
 * ASCII control characters (`\x01`, not JSON's `\u0001`), `\u` ones for other characters
 * that do not print (goQuoteBytes).
 */
export function goQuote(s: string): string {
  return goQuoteBytes(new TextEncoder().encode(s));
}

/**
 * Bytes as Go's `strconv.Quote` (`%q`) prints them: UTF-8 read rune by rune, printable
 * runes as they are, the usual backslash escapes, `\xNN` for a byte that is no UTF-8 or a
 * control byte, `\uNNNN` / `\UNNNNNNNN` for other runes that do not print.
 */
export function goQuoteBytes(bytes: Uint8Array): string {
  const named: Record<number, string> = {
    7: 'a',
    8: 'b',
    12: 'f',
    10: 'n',
    13: 'r',
    9: 't',
    11: 'v',
  };
  const decoder = new TextDecoder('utf-8', { fatal: true });
  let out = '"';
  for (let i = 0; i < bytes.length; ) {
    const b = bytes[i] ?? 0;
    const size = b < 0x80 ? 1 : b >= 0xf0 ? 4 : b >= 0xe0 ? 3 : b >= 0xc0 ? 2 : 0;
    let rune: string | undefined;
    try {
      rune = size > 0 ? decoder.decode(bytes.subarray(i, i + size)) : undefined;
    } catch {
      rune = undefined;
    }
    const code = rune?.codePointAt(0);
    if (rune === undefined || code === undefined || [...rune].length !== 1) {
      out += `\\x${b.toString(16).padStart(2, '0')}`;
      i++;
      continue;
    }
    i += size;
    if (rune === '"' || rune === '\\') out += `\\${rune}`;
    else if (named[code]) out += `\\${named[code]}`;
    else if (code < 0x20 || code === 0x7f) out += `\\x${code.toString(16).padStart(2, '0')}`;
    else if (rune === ' ' || /^[\p{L}\p{M}\p{N}\p{P}\p{S}]$/u.test(rune)) out += rune;
    else if (code < 0x10000) out += `\\u${code.toString(16).padStart(4, '0')}`;
    else out += `\\U${code.toString(16).padStart(8, '0')}`;
  }
  return `${out}"`;
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

const encoder = new TextEncoder();

/** Byte (UTF-8) order, Go's order of strings; JavaScript's `<` compares UTF-16 units. */
export function byteOrder(a: string, b: string): number {
  const [x, y] = [encoder.encode(a), encoder.encode(b)];
  for (let i = 0; i < x.length && i < y.length; i++) {
    if (x[i] !== y[i]) return x[i]! - y[i]!;
  }
  return x.length - y.length;
}

/** `value` with every object's keys in Go's order. */
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
 * every object's keys sorted as Go sorts them, HTML-escaped.
 */
export function goMapJson(value: unknown): string {
  return goHtmlEscape(sortedDeep(value));
}
