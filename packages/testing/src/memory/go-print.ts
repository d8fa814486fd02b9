import { carryBigIntegers } from './big-integers.js';
import { isObject, type Json } from './json.js';

/**
 * A copy of a JSON value with object keys in byte order, the order Go's `encoding/json`
 * writes a `map[string]interface{}` in (kube-apiserver re-encodes patched objects so), with
 * the integer literals each holder keeps (big-integers.ts).
 */
export function sortedKeys(v: Json): Json {
  if (Array.isArray(v)) {
    const list = v.map(sortedKeys);
    carryBigIntegers(v, list);
    return list;
  }
  if (!isObject(v)) return v;
  const out: { [k: string]: Json } = {};
  for (const k of Object.keys(v).sort()) out[k] = sortedKeys(v[k]!);
  carryBigIntegers(v, out);
  return out;
}

/**
 * A decoded JSON value as Go's `fmt.Sprintf("%+v", v)` prints it (`map[a:1 b:[x y]]`),
 * which kube-apiserver puts in some error messages.
 */
export function goPrint(v: Json): string {
  if (v === null) return '<nil>';
  if (Array.isArray(v)) return `[${v.map(goPrint).join(' ')}]`;
  if (isObject(v)) {
    return `map[${Object.keys(v)
      .sort()
      .map((k) => `${k}:${goPrint(v[k]!)}`)
      .join(' ')}]`;
  }
  return String(v);
}

/**
 * A value decoded into `interface{}` as Go's `fmt.Sprintf("%#v", v)` prints it
 * (`map[string]interface {}{"a":1, "b":[]interface {}{"x"}}`), which structured-merge-diff
 * puts in its type errors; `mapType` names the Go type of its maps (go-yaml decodes into
 * `map[interface {}]interface {}`).
 */
export function goPrintSharp(v: Json, mapType = 'map[string]interface {}'): string {
  if (v === null) return 'interface {}(nil)';
  if (Array.isArray(v))
    return `[]interface {}{${v.map((x) => goPrintSharp(x, mapType)).join(', ')}}`;
  if (isObject(v)) {
    return `${mapType}{${Object.keys(v)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${goPrintSharp(v[k]!, mapType)}`)
      .join(', ')}}`;
  }
  return typeof v === 'string' ? JSON.stringify(v) : String(v);
}

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
  return goQuoteBytes(Buffer.from(s, 'utf8'));
}

/** A string list as Go's `fmt.Sprintf("%q", list)` prints it: `["a" "b"]`. */
export function goQuotedList(list: readonly string[]): string {
  return `[${list.map((x) => JSON.stringify(x)).join(' ')}]`;
}

/** A float as Go's `%f` prints it (six decimals). */
export function goFixed(n: number): string {
  return n.toFixed(6);
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
