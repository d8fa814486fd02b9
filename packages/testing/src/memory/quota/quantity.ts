/**
 * Resource quantities (`500m`, `252Mi`, `1.5`, `2e3`) as exact integers of nano-units, for
 * ResourceQuota accounting: sums and comparisons must be exact (kube-apiserver's
 * resource.Quantity is exact too), which floating point is not for `0.1 + 0.2`.
 */

const BINARY: Record<string, bigint> = {
  Ki: 1n << 10n,
  Mi: 1n << 20n,
  Gi: 1n << 30n,
  Ti: 1n << 40n,
  Pi: 1n << 50n,
  Ei: 1n << 60n,
};
const DECIMAL: Record<string, number> = {
  n: -9,
  u: -6,
  m: -3,
  '': 0,
  k: 3,
  M: 6,
  G: 9,
  T: 12,
  P: 15,
  E: 18,
};
const NANO = 1_000_000_000n;

/** A quantity in nano-units, and whether it was written with a binary suffix. */
export interface Quantity {
  nanos: bigint;
  binary: boolean;
}

/** Parses a quantity; undefined when it is not one. */
export function parseQuantity(v: unknown): Quantity | undefined {
  const text = typeof v === 'number' ? String(v) : v;
  if (typeof text !== 'string') return undefined;
  const m = /^([+-]?)(\d*)(?:\.(\d*))?(?:([eE][+-]?\d+)|(Ki|Mi|Gi|Ti|Pi|Ei)|([numkMGTPE]))?$/.exec(
    text,
  );
  if (!m || (m[2] === '' && (m[3] ?? '') === '')) return undefined;
  const digits = `${m[2]}${m[3] ?? ''}`;
  let exp10 = -(m[3]?.length ?? 0);
  let factor = 1n;
  if (m[4]) exp10 += Number(m[4].slice(1));
  else if (m[5]) factor = BINARY[m[5]]!;
  else exp10 += DECIMAL[m[6] ?? '']!;
  // nanos = digits * 10^(exp10 + 9) * factor, rounded up like Kubernetes rounds to nano.
  const shift = exp10 + 9;
  let nanos: bigint;
  if (shift >= 0) nanos = BigInt(digits) * 10n ** BigInt(shift) * factor;
  else {
    const div = 10n ** BigInt(-shift);
    const num = BigInt(digits) * factor;
    nanos = (num + div - 1n) / div;
  }
  return { nanos: m[1] === '-' ? -nanos : nanos, binary: m[5] !== undefined };
}

/** The canonical text of a quantity (binary suffixes kept when exact, else decimal). */
export function formatQuantity(q: Quantity): string {
  const { nanos } = q;
  if (nanos % NANO !== 0n) {
    if (nanos % 1_000_000n === 0n) return `${nanos / 1_000_000n}m`;
    if (nanos % 1000n === 0n) return `${nanos / 1000n}u`;
    return `${nanos}n`;
  }
  const units = nanos / NANO;
  if (q.binary && units !== 0n) {
    for (const suffix of ['Ei', 'Pi', 'Ti', 'Gi', 'Mi', 'Ki']) {
      const f = BINARY[suffix]!;
      if (units % f === 0n) return `${units / f}${suffix}`;
    }
  }
  return String(units);
}

/** A quantity of `n` units (an object count). */
export function countQuantity(n: number): Quantity {
  return { nanos: BigInt(n) * NANO, binary: false };
}
