/**
 * A histogram vector as client_golang keeps one: per label set, the observations counted
 * in fixed buckets (by upper bound, `le`), their sum and their count.
 */
import type { HistogramFamily, HistogramSample } from './exposition.js';

/** One label set's observations. */
interface Series {
  readonly labels: Readonly<Record<string, string>>;
  readonly bucketCounts: number[];
  sum: number;
  count: number;
}

/** A histogram family whose series are observed as requests end. */
export class Histogram {
  private readonly series = new Map<string, Series>();

  /** `buckets`: the upper bounds, ascending, as kube-apiserver declares them. */
  constructor(
    private readonly name: string,
    private readonly help: string,
    private readonly buckets: readonly number[],
  ) {}

  /** Counts `value` in the series of `labels` (a value above every bound only in `+Inf`). */
  observe(labels: Readonly<Record<string, string>>, value: number): void {
    const key = JSON.stringify(labels);
    let s = this.series.get(key);
    if (!s) {
      s = { labels, bucketCounts: this.buckets.map(() => 0), sum: 0, count: 0 };
      this.series.set(key, s);
    }
    const i = this.buckets.findIndex((bound) => value <= bound);
    if (i >= 0) s.bucketCounts[i]!++;
    s.sum += value;
    s.count++;
  }

  /** The family, for the exposition. */
  family(): HistogramFamily {
    const samples: HistogramSample[] = [...this.series.values()];
    return { name: this.name, help: this.help, type: 'histogram', buckets: this.buckets, samples };
  }
}
