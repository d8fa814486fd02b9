/**
 * CEL's type conversions (`int()`, `uint()`, `double()`, `bool()`, `string()`, `bytes()`)
 * as cel-go performs them, with its range checks and its words for a refusal (`integer
 * overflow`, `unsigned integer overflow`, `type conversion error from 'string' to 'int'`,
 * `invalid UTF-8 in bytes, cannot convert to string`): shared by the planner's constant
 * folding (constant-folding.ts) and the calls run at evaluation (conversion-calls.ts).
 * Our own code: the evaluator converts with its own rules (`int(1e100)` is a value there,
 * its errors are worded otherwise).
 */

/** A constant as cel-go's planner holds it: a scalar it may convert, or something else. */
export type Constant =
  | { readonly t: 'int' | 'uint'; readonly v: bigint }
  | { readonly t: 'double'; readonly v: number }
  | { readonly t: 'string'; readonly v: string }
  | { readonly t: 'bytes'; readonly v: Uint8Array }
  | { readonly t: 'bool'; readonly v: boolean }
  | { readonly t: 'other' };

/** A conversion that fails, in cel-go's words (`why`). */
export class Refused {
  constructor(readonly why: string) {}
}

const INT_MIN = -(2n ** 63n);
const INT_MAX = 2n ** 63n - 1n;
const UINT_MAX = 2n ** 64n - 1n;

/** A hexadecimal float Go reads (`0x1.8p3`): mantissa digits and a binary exponent. */
const HEX_FLOAT = /^([+-]?)0[xX]([0-9a-fA-F]*)\.?([0-9a-fA-F]*)[pP]([+-]?\d+)$/;

/**
 * Go's `strconv.ParseFloat` of `s`, undefined when it refuses it (bad syntax, out of
 * range): decimal or hexadecimal (with a `p` exponent), `inf`/`infinity`/`nan` in any
 * case, an `_` only between digits.
 */
function parseFloat64(s: string): number | undefined {
  if (/^[+-]?(inf|infinity|nan)$/i.test(s)) return Number(s.replace(/inf(inity)?/i, 'Infinity'));
  const digit = /^[+-]?0[xX]/.test(s) ? '[0-9a-fA-F]' : '\\d';
  if (new RegExp(`_(?!${digit})|(?<!${digit}|^[+-]?0[xX])_`).test(s)) return undefined;
  const plain = s.replaceAll('_', '');
  const hex = HEX_FLOAT.exec(plain);
  let n: number;
  if (hex) {
    const [, sign, ints = '', fraction = '', exp = '0'] = hex;
    if (ints === '' && fraction === '') return undefined;
    const mantissa = Number.parseInt(`${ints}${fraction}`, 16);
    n = (sign === '-' ? -1 : 1) * mantissa * 2 ** (Number(exp) - 4 * fraction.length);
  } else {
    if (!/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(plain)) return undefined;
    n = Number(plain);
  }
  return Number.isFinite(n) ? n : undefined;
}

const typeError = (from: string, to: string) =>
  new Refused(`type conversion error from '${from}' to '${to}'`);

/** `int(c)` as cel-go converts it. */
function toInt(c: Constant): Constant | Refused {
  switch (c.t) {
    case 'int':
      return c;
    case 'uint':
      return c.v > INT_MAX ? new Refused('integer overflow') : { t: 'int', v: c.v };
    case 'double':
      if (!Number.isFinite(c.v) || c.v <= -(2 ** 63) || c.v >= 2 ** 63) {
        return new Refused('integer overflow');
      }
      return { t: 'int', v: BigInt(Math.trunc(c.v)) };
    case 'string': {
      const v = /^[+-]?\d+$/.test(c.v) ? BigInt(c.v) : undefined;
      return v === undefined || v < INT_MIN || v > INT_MAX
        ? typeError('string', 'int')
        : { t: 'int', v };
    }
    default:
      return { t: 'other' };
  }
}

/** `uint(c)` as cel-go converts it. */
function toUint(c: Constant): Constant | Refused {
  switch (c.t) {
    case 'uint':
      return c;
    case 'int':
      return c.v < 0n ? new Refused('unsigned integer overflow') : { t: 'uint', v: c.v };
    case 'double':
      if (!Number.isFinite(c.v) || c.v < 0 || c.v >= 2 ** 64) {
        return new Refused('unsigned integer overflow');
      }
      return { t: 'uint', v: BigInt(Math.trunc(c.v)) };
    case 'string': {
      const v = /^\d+$/.test(c.v) ? BigInt(c.v) : undefined;
      return v === undefined || v > UINT_MAX ? typeError('string', 'uint') : { t: 'uint', v };
    }
    default:
      return { t: 'other' };
  }
}

const GO_BOOLS: Readonly<Record<string, boolean>> = {
  '1': true,
  t: true,
  T: true,
  TRUE: true,
  true: true,
  True: true,
  '0': false,
  f: false,
  F: false,
  FALSE: false,
  false: false,
  False: false,
};

/**
 * `name(c)` for a conversion function `name`, as cel-go converts a value: the result, the
 * refusal, or `other` where this does not model it (the evaluator's conversion stands).
 */
export function convert(name: string, c: Constant): Constant | Refused {
  switch (name) {
    case 'int':
      return toInt(c);
    case 'uint':
      return toUint(c);
    case 'double': {
      if (c.t === 'int' || c.t === 'uint') return { t: 'double', v: Number(c.v) };
      if (c.t !== 'string') return c.t === 'double' ? c : { t: 'other' };
      const v = parseFloat64(c.v);
      return v === undefined ? typeError('string', 'double') : { t: 'double', v };
    }
    case 'bool':
      if (c.t !== 'string') return c.t === 'bool' ? c : { t: 'other' };
      return Object.hasOwn(GO_BOOLS, c.v)
        ? { t: 'bool', v: GO_BOOLS[c.v] as boolean }
        : typeError('string', 'bool');
    case 'string':
      if (c.t === 'bytes') {
        try {
          return { t: 'string', v: new TextDecoder('utf-8', { fatal: true }).decode(c.v) };
        } catch {
          return new Refused('invalid UTF-8 in bytes, cannot convert to string');
        }
      }
      if (c.t === 'int' || c.t === 'uint') return { t: 'string', v: String(c.v) };
      return c.t === 'string' || c.t === 'bool' ? { t: 'string', v: String(c.v) } : { t: 'other' };
    case 'bytes':
      return c.t === 'string' ? { t: 'bytes', v: new TextEncoder().encode(c.v) } : { t: 'other' };
    case 'dyn':
      return c;
    default:
      // duration, timestamp (their literals are checked when compiled), type.
      return { t: 'other' };
  }
}

/** A value of the evaluator as a {@link Constant} (`other` for a type not converted here). */
export function constantOf(v: unknown): Constant {
  if (typeof v === 'bigint') return { t: 'int', v };
  if (typeof v === 'number') return { t: 'double', v };
  if (typeof v === 'string') return { t: 'string', v };
  if (typeof v === 'boolean') return { t: 'bool', v };
  if (v instanceof Uint8Array) return { t: 'bytes', v };
  // The evaluator's uint is an object holding a bigint.
  if (v !== null && typeof v === 'object' && typeof v.valueOf() === 'bigint') {
    return { t: 'uint', v: v.valueOf() as bigint };
  }
  return { t: 'other' };
}
