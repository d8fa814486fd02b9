import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { latencyPercentiles, quantile, summarize } from './stats.js';

describe('summarize', () => {
  it('gives min, median and max of an odd number of samples', () => {
    expect(summarize([5, 1, 3])).toEqual({ min: 1, median: 3, max: 5, runs: 3 });
  });

  it('takes the mean of the two middle samples for an even count', () => {
    expect(summarize([4, 1, 2, 3])).toEqual({ min: 1, median: 2.5, max: 4, runs: 4 });
  });

  it('ignores non-finite samples (failed runs)', () => {
    expect(summarize([Number.NaN, 2, Number.POSITIVE_INFINITY])).toEqual({
      min: 2,
      median: 2,
      max: 2,
      runs: 1,
    });
  });

  it('throws when no finite sample is left', () => {
    expect(() => summarize([Number.NaN])).toThrow(RangeError);
  });

  it('keeps min ≤ median ≤ max for any samples', () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ noNaN: true, noDefaultInfinity: true }), { minLength: 1 }),
        (xs) => {
          const s = summarize(xs);
          expect(s.min).toBeLessThanOrEqual(s.median);
          expect(s.median).toBeLessThanOrEqual(s.max);
          expect(s.runs).toBe(xs.length);
        },
      ),
    );
  });
});

describe('quantile', () => {
  it('interpolates between the nearest ranks', () => {
    expect(quantile([0, 10], 0.25)).toBe(2.5);
    // Found by the property below: b - a overflowed to Infinity near Number.MAX_VALUE.
    const huge = quantile([-2.4948003869183998e293, 1.7976931348623133e308], 0.5);
    expect(Number.isFinite(huge)).toBe(true);
    expect(huge).toBeLessThanOrEqual(1.7976931348623133e308);
    expect(quantile([1, 2, 3, 4, 5], 0)).toBe(1);
    expect(quantile([1, 2, 3, 4, 5], 1)).toBe(5);
  });

  it('rejects an empty array and a q outside [0, 1]', () => {
    expect(() => quantile([], 0.5)).toThrow(RangeError);
    expect(() => quantile([1], 1.5)).toThrow(RangeError);
  });
});

describe('latencyPercentiles', () => {
  it('gives p50, p99 and max of unsorted samples', () => {
    const samples = Array.from({ length: 101 }, (_, i) => 100 - i);
    expect(latencyPercentiles(samples)).toEqual({ p50: 50, p99: 99, max: 100 });
  });
});
