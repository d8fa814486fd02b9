import { QUANTITY_PATTERN, Quantity } from '@kube-ts/schema/validation';

/**
 * `resource.Quantity` fields as kube-apiserver decodes and stores them: the text is parsed
 * with apimachinery's grammar (`@kube-ts/schema`'s `Quantity`) and written back as
 * apimachinery's `Quantity.String()` does, which is what every later read answers: the
 * text as sent when its parser found it canonical (`1Gi`, `1e3`, `1.G`), else the canonical
 * form (`0.5` → `500m`, `1.5Gi` → `1536Mi`, `2000m` → `2`). A `ResourceList` (container
 * requests and limits, quotas, limit ranges) is also rounded up to milli-units by the
 * server's defaulting (`1n` → `1m`). Own code because clients see these texts verbatim and
 * no npm package reproduces apimachinery's `ParseQuantity` and `CanonicalizeBytes`.
 */

/** apimachinery's `ErrFormatWrong`, the text of a value its grammar refuses. */
export const QUANTITY_FORMAT_ERROR = `quantities must match the regular expression '${QUANTITY_PATTERN}'`;
/** apimachinery's `ErrSuffix`: a number, then suffix characters that make no known suffix. */
const SUFFIX_ERROR = "unable to parse quantity's suffix";

/** What apimachinery's `parseQuantityString` reads before it looks the suffix up. */
const SHAPE = /^[+-]?\d*(\.\d*)?[eEinumkKMGTP]*[-+]?\d*$/;
const PARTS = /^[+-]?(\d*)(?:\.(\d*))?(.*)$/;
const BINARY_SUFFIXES = ['', 'Ki', 'Mi', 'Gi', 'Ti', 'Pi', 'Ei'];
/** The decimal suffixes by exponent, from `n` (-9) to `E` (18), as the canonical form writes them. */
const DECIMAL_SUFFIXES = ['n', 'u', 'm', '', 'k', 'M', 'G', 'T', 'P', 'E'];
const INT64_MAX = 2n ** 63n - 1n;

/**
 * Parses a quantity's text as `resource.Quantity.UnmarshalJSON` does (surrounding spaces
 * ignored) and returns the text the server stores (`milli`: rounded up to milli-units, as
 * for a `ResourceList`), or apimachinery's error text.
 */
export function decodeQuantity(text: string, milli = false): { text: string } | { error: string } {
  const trimmed = text.trim();
  const q = Quantity.parse(trimmed);
  if (!q) {
    return { error: trimmed !== '' && SHAPE.test(trimmed) ? SUFFIX_ERROR : QUANTITY_FORMAT_ERROR };
  }
  const format = formatOf(trimmed);
  const fast = fastPath(trimmed);
  if (fast && (!milli || fast.scale >= -3)) {
    return { text: fast.keep ? trimmed : canonical(q, format) };
  }
  return { text: canonical(roundUp(roundUp(q, 9), milli ? 3 : 9), format) };
}

/**
 * The canonical text of an exact sum of nano-units (quota usage), as `Quantity.String()`
 * writes a quantity of that value in the binary (`BinarySI`) or decimal (`DecimalSI`)
 * format.
 */
export function formatNanos(nanos: bigint, binary: boolean): string {
  return canonical(new Quantity(nanos, 9), binary ? 'BinarySI' : 'DecimalSI');
}

/**
 * `ParseQuantity`'s int64 fast path: the scale it stores the value at, and whether it keeps
 * the text as sent; undefined when the value takes its arbitrary-precision path.
 */
function fastPath(text: string): { scale: number; keep: boolean } | undefined {
  if (text === '0') return { scale: 0, keep: true };
  const [, whole = '', denom = '', suffix = ''] = PARTS.exec(text) ?? [];
  const num = whole.replace(/^0+/, '') || '0';
  const binary = BINARY_SUFFIXES.indexOf(suffix);
  if (binary > 0) {
    const exponent = binary * 10;
    if (denom !== '' || 15 - num.length - Math.trunc((exponent * 3) / 10) - 1 < 0) return undefined;
    const value = BigInt(num);
    if (value << BigInt(exponent) > INT64_MAX) return undefined;
    return { scale: 0, keep: (value & 7n) !== 0n };
  }
  // The power of ten the suffix stands for (`k` 3, `m` -3, `e6` 6), as the grammar reads it.
  const unit = Quantity.parse(`1${suffix}`);
  if (!unit) return undefined;
  const exponent = unit.digits.toString().length - 1 - unit.scale;
  const scale = exponent - denom.length;
  if (18 - num.length - denom.length < 0 || scale < -9) return undefined;
  const shifted = num + denom;
  return { scale, keep: scale % 3 === 0 && !shifted.endsWith('000') && shifted[0] !== '0' };
}

type Format = 'DecimalSI' | 'DecimalExponent' | 'BinarySI';

/** The format a quantity's suffix gives it, which its canonical form keeps. */
function formatOf(text: string): Format {
  const suffix = PARTS.exec(text)?.[3] ?? '';
  if (BINARY_SUFFIXES.indexOf(suffix) > 0) return 'BinarySI';
  return /^[eE]/.test(suffix) ? 'DecimalExponent' : 'DecimalSI';
}

/** Rounds up (away from zero) to `digits` decimals, as apimachinery's `RoundUp`. */
function roundUp(q: Quantity, digits: number): Quantity {
  if (q.scale <= digits) return q;
  const div = 10n ** BigInt(q.scale - digits);
  const magnitude = q.digits < 0n ? -q.digits : q.digits;
  const up = (magnitude + div - 1n) / div;
  return new Quantity(q.digits < 0n ? -up : up, digits);
}

/** apimachinery's `Quantity.String()`: its `CanonicalizeBytes` for the three formats. */
function canonical(q: Quantity, format: Format): string {
  if (q.digits === 0n) return '0';
  if (format === 'BinarySI') {
    const unit = 10n ** BigInt(q.scale);
    const whole = q.digits % unit === 0n ? q.digits / unit : undefined;
    // Small or fractional binary quantities are written as decimal ones (no rounding).
    if (whole !== undefined && (whole >= 1024n || whole <= -1024n)) {
      let n = whole;
      let i = 0;
      while (i < BINARY_SUFFIXES.length - 1 && n % 1024n === 0n) {
        n /= 1024n;
        i++;
      }
      return `${n}${BINARY_SUFFIXES[i]}`;
    }
    format = 'DecimalSI';
  }
  // The mantissa without trailing zeros, then the exponent lowered to a multiple of 3.
  let mantissa = q.digits;
  let exponent = -q.scale;
  while (mantissa % 10n === 0n) {
    mantissa /= 10n;
    exponent++;
  }
  const down = ((exponent % 3) + 3) % 3;
  mantissa *= 10n ** BigInt(down);
  exponent -= down;
  if (format === 'DecimalExponent')
    return exponent === 0 ? `${mantissa}` : `${mantissa}e${exponent}`;
  const suffix = exponent % 3 === 0 ? DECIMAL_SUFFIXES[exponent / 3 + 3] : undefined;
  return suffix === undefined ? `${mantissa}e${exponent}` : `${mantissa}${suffix}`;
}

/** Go's `Quantity.Value()`: the value rounded up to a whole number. */
export function wholeValue(q: Quantity): bigint {
  const unit = 10n ** BigInt(q.scale);
  const whole = q.digits / unit;
  return q.digits > whole * unit ? whole + 1n : whole;
}

/** Go's `Quantity.MilliValue()`: the value in milli-units, rounded up. */
export function milliValue(q: Quantity): bigint {
  return wholeValue(new Quantity(q.digits * 1000n, q.scale));
}

/** The largest value whose milli-units fit in an int64 (`resource.MaxMilliValue`). */
const MAX_MILLI = INT64_MAX / 1000n;

/** Whether every value is small enough to be compared in milli-units, as Go prefers there. */
export function fitsMilli(...values: Quantity[]): boolean {
  return values.every((q) => wholeValue(q) <= MAX_MILLI);
}
