/**
 * A counter vector as client_golang keeps one: a count per label set, series made when
 * first counted (or up front, at 0, for those a component creates when it registers).
 */
import type { ValueFamily } from './exposition.js';

/** A counter family whose series are counted as things happen. */
export class Counter {
  private readonly series = new Map<string, { labels: Record<string, string>; value: number }>();

  /** `initial`: the series that exist from the start, at 0. */
  constructor(
    private readonly name: string,
    private readonly help: string,
    initial: readonly Readonly<Record<string, string>>[] = [],
  ) {
    for (const labels of initial) this.series.set(JSON.stringify(labels), { labels, value: 0 });
  }

  /** Adds 1 to the series of `labels`. */
  inc(labels: Readonly<Record<string, string>>): void {
    const key = JSON.stringify(labels);
    const s = this.series.get(key);
    if (s) s.value++;
    else this.series.set(key, { labels, value: 1 });
  }

  /** The family, for the exposition. */
  family(): ValueFamily {
    return {
      name: this.name,
      help: this.help,
      type: 'counter',
      samples: [...this.series.values()],
    };
  }
}
