/**
 * Kubernetes `resource.Quantity` values (`500m`, `1Gi`, `1e3`) for the CEL `quantity`
 * library. Own code because no npm package implements the apimachinery grammar and its
 * exact comparisons; a quantity is kept as the exact rational `digits / 10^scale`.
 */

/** The pattern kube-apiserver quotes when a string is not a quantity. */
export const QUANTITY_PATTERN = '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$';

const GRAMMAR = /^([+-]?)(\d+\.?\d*|\.\d+)(Ki|Mi|Gi|Ti|Pi|Ei|[numkMGTPE]|[eE][+-]?\d+)?$/;

const BINARY: Readonly<Record<string, number>> = { Ki: 10, Mi: 20, Gi: 30, Ti: 40, Pi: 50, Ei: 60 };
const DECIMAL: Readonly<Record<string, number>> = {
  n: -9,
  u: -6,
  m: -3,
  k: 3,
  M: 6,
  G: 9,
  T: 12,
  P: 15,
  E: 18,
};

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

/** An exact quantity: `digits / 10^scale`. */
export class Quantity {
  /** @param digits the value times `10^scale`. @param scale a power of ten, `>= 0`. */
  constructor(
    /** The value times `10^scale`. */
    readonly digits: bigint,
    /** The power of ten `digits` is scaled by, `>= 0`. */
    readonly scale: number,
  ) {}

  /** Parses a quantity string; `undefined` when it is not one. */
  static parse(text: string): Quantity | undefined {
    const m = GRAMMAR.exec(text);
    if (!m) return undefined;
    const [, sign, number = '', suffix = ''] = m;
    const [whole = '', fraction = ''] = number.split('.');
    let digits = BigInt(`${whole}${fraction}` || '0');
    let scale = fraction.length;
    if (suffix in BINARY) digits *= 2n ** BigInt(BINARY[suffix] ?? 0);
    else {
      const exp = suffix in DECIMAL ? (DECIMAL[suffix] ?? 0) : suffix ? Number(suffix.slice(1)) : 0;
      if (Math.abs(exp) > 1000) return undefined;
      if (exp >= 0) digits *= 10n ** BigInt(exp);
      else scale -= exp;
    }
    return new Quantity(sign === '-' ? -digits : digits, scale);
  }

  /** -1, 0 or 1 as this is less than, equal to or greater than `other`. */
  compareTo(other: Quantity): number {
    const scale = Math.max(this.scale, other.scale);
    const a = this.digits * 10n ** BigInt(scale - this.scale);
    const b = other.digits * 10n ** BigInt(scale - other.scale);
    return a < b ? -1 : a > b ? 1 : 0;
  }

  /** The sum with another quantity. */
  add(other: Quantity): Quantity {
    const scale = Math.max(this.scale, other.scale);
    const a = this.digits * 10n ** BigInt(scale - this.scale);
    const b = other.digits * 10n ** BigInt(scale - other.scale);
    return new Quantity(a + b, scale);
  }

  /** The difference with another quantity. */
  sub(other: Quantity): Quantity {
    return this.add(new Quantity(-other.digits, other.scale));
  }

  /** -1, 0 or 1. */
  sign(): number {
    return this.digits < 0n ? -1 : this.digits > 0n ? 1 : 0;
  }

  /** Whether the value is a whole number that fits in an int64 (`isInteger()` in CEL). */
  isInteger(): boolean {
    const whole = this.wholePart();
    return whole !== undefined && whole >= INT64_MIN && whole <= INT64_MAX;
  }

  /** The value as an int64, `undefined` when it is fractional or out of range. */
  asInteger(): bigint | undefined {
    return this.isInteger() ? this.wholePart() : undefined;
  }

  /** The value as the nearest double. */
  asApproximateFloat(): number {
    return Number(this.digits) / 10 ** this.scale;
  }

  private wholePart(): bigint | undefined {
    const unit = 10n ** BigInt(this.scale);
    return this.digits % unit === 0n ? this.digits / unit : undefined;
  }
}
