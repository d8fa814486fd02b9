/** Minimum, median and maximum of one figure over its runs. */
export interface Summary {
  /** Smallest sample. */
  readonly min: number;
  /** Median sample (mean of the two middle samples for an even count). */
  readonly median: number;
  /** Largest sample. */
  readonly max: number;
  /** Number of samples. */
  readonly runs: number;
}

/**
 * Summarizes the samples of one figure. Non-finite samples (a run that produced no
 * value) are ignored; throws a RangeError when no finite sample is left.
 */
export function summarize(samples: readonly number[]): Summary {
  const sorted = samples.filter(Number.isFinite).sort((a, b) => a - b);
  if (sorted.length === 0) throw new RangeError('summarize: no finite sample');
  return {
    min: sorted[0]!,
    median: quantile(sorted, 0.5),
    max: sorted[sorted.length - 1]!,
    runs: sorted.length,
  };
}

/**
 * The `q`-quantile (0 ≤ q ≤ 1) of samples that are already sorted ascending, with linear
 * interpolation between the two nearest ranks (so `quantile(s, 0.5)` is the median).
 * Throws a RangeError on an empty array or a `q` outside [0, 1].
 */
export function quantile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) throw new RangeError('quantile: no sample');
  if (!(q >= 0 && q <= 1)) throw new RangeError(`quantile: q must be in [0, 1], got ${q}`);
  const pos = (sorted.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  const a = sorted[lo]!;
  const b = sorted[hi]!;
  const t = pos - lo;
  if (t === 0) return a;
  // Weighted sum, not a + (b - a) * t: b - a overflows for samples near ±Number.MAX_VALUE.
  // Clamped, because rounding may step just outside [a, b].
  return Math.min(Math.max((1 - t) * a + t * b, a), b);
}

/** p50, p99 and max of a set of latency samples (unsorted is fine). */
export function latencyPercentiles(samples: readonly number[]): {
  p50: number;
  p99: number;
  max: number;
} {
  const sorted = [...samples].sort((a, b) => a - b);
  return {
    p50: quantile(sorted, 0.5),
    p99: quantile(sorted, 0.99),
    max: sorted[sorted.length - 1] ?? Number.NaN,
  };
}
