/** Label names and values of one series, e.g. `{ controller: 'Widget', result: 'success' }`. */
export type Labels = Readonly<Record<string, string>>;

type Kind = 'counter' | 'gauge' | 'histogram';

/** The common part of the metric families. */
abstract class Family {
  /** The metric name, e.g. `controller_runtime_reconcile_total`. */
  readonly name: string;
  readonly #help: string;
  readonly #kind: Kind;

  protected constructor(name: string, help: string, kind: Kind) {
    if (!/^[a-zA-Z_:][a-zA-Z0-9_:]*$/.test(name)) {
      throw new TypeError(`invalid Prometheus metric name '${name}'`);
    }
    this.name = name;
    this.#help = help;
    this.#kind = kind;
  }

  /** The family in the Prometheus text format (HELP, TYPE, then its samples). */
  render(): string {
    const help = this.#help.replace(/\\/g, '\\\\').replace(/\n/g, '\\n');
    const lines = [`# HELP ${this.name} ${help}`, `# TYPE ${this.name} ${this.#kind}`];
    for (const sample of this.samples()) lines.push(sample);
    return `${lines.join('\n')}\n`;
  }

  protected abstract samples(): string[];
}

/** A monotonically increasing count per label set. */
export class Counter extends Family {
  readonly #values = new Map<string, { labels: Labels; value: number }>();

  /** A counter family; register it with {@link MetricsRegistry.add}. */
  constructor(name: string, help: string) {
    super(name, help, 'counter');
  }

  /** Adds `by` (default 1, must be >= 0) to the series of `labels`. */
  inc(labels: Labels = {}, by = 1): void {
    if (!(by >= 0)) throw new RangeError(`${this.name}: a counter only increases (got ${by})`);
    const key = labelKey(labels);
    const entry = this.#values.get(key);
    if (entry === undefined) this.#values.set(key, { labels, value: by });
    else entry.value += by;
  }

  /** The current value of the series of `labels` (0 when never incremented). */
  get(labels: Labels = {}): number {
    return this.#values.get(labelKey(labels))?.value ?? 0;
  }

  protected samples(): string[] {
    return [...this.#values.values()].map((e) => sample(this.name, e.labels, e.value));
  }
}

/** A value per label set that is read when scraped (a function) or set directly. */
export class Gauge extends Family {
  readonly #values = new Map<string, { labels: Labels; read: () => number }>();

  /** A gauge family; register it with {@link MetricsRegistry.add}. */
  constructor(name: string, help: string) {
    super(name, help, 'gauge');
  }

  /** Sets the series of `labels` to `value`. */
  set(labels: Labels, value: number): void {
    this.#values.set(labelKey(labels), { labels, read: () => value });
  }

  /** Reads the series of `labels` from `read()` at each scrape. */
  track(labels: Labels, read: () => number): void {
    this.#values.set(labelKey(labels), { labels, read });
  }

  /** The current value of the series of `labels` (`undefined` when it has none). */
  get(labels: Labels = {}): number | undefined {
    return this.#values.get(labelKey(labels))?.read();
  }

  protected samples(): string[] {
    return [...this.#values.values()].map((e) => sample(this.name, e.labels, e.read()));
  }
}

/** Observations counted into cumulative buckets per label set, with their sum and count. */
export class Histogram extends Family {
  readonly #buckets: readonly number[];
  readonly #values = new Map<
    string,
    { labels: Labels; counts: number[]; sum: number; count: number }
  >();

  /** A histogram family with upper bounds `buckets` (ascending; `+Inf` is implied). */
  constructor(name: string, help: string, buckets: readonly number[]) {
    super(name, help, 'histogram');
    this.#buckets = [...buckets].sort((a, b) => a - b);
  }

  /** Records one observation of `value` in the series of `labels`. */
  observe(labels: Labels, value: number): void {
    const key = labelKey(labels);
    let entry = this.#values.get(key);
    if (entry === undefined) {
      entry = { labels, counts: this.#buckets.map(() => 0), sum: 0, count: 0 };
      this.#values.set(key, entry);
    }
    for (let i = 0; i < this.#buckets.length; i++) {
      if (value <= (this.#buckets[i] as number)) entry.counts[i] = (entry.counts[i] ?? 0) + 1;
    }
    entry.sum += value;
    entry.count += 1;
  }

  /** The number of observations of the series of `labels`. */
  count(labels: Labels = {}): number {
    return this.#values.get(labelKey(labels))?.count ?? 0;
  }

  protected samples(): string[] {
    const out: string[] = [];
    for (const e of this.#values.values()) {
      this.#buckets.forEach((le, i) => {
        out.push(
          sample(`${this.name}_bucket`, { ...e.labels, le: formatNumber(le) }, e.counts[i] ?? 0),
        );
      });
      out.push(sample(`${this.name}_bucket`, { ...e.labels, le: '+Inf' }, e.count));
      out.push(sample(`${this.name}_sum`, e.labels, e.sum));
      out.push(sample(`${this.name}_count`, e.labels, e.count));
    }
    return out;
  }
}

/** A metric family of any kind. */
export type Metric = Counter | Gauge | Histogram;

/**
 * A set of metric families rendered together in the Prometheus text exposition format
 * (version 0.0.4), as served on `/metrics`. Names are unique within a registry.
 */
export class MetricsRegistry {
  readonly #families = new Map<string, Metric>();

  /** Registers `metric` and returns it; a second family with the same name is a TypeError. */
  add<M extends Metric>(metric: M): M {
    if (this.#families.has(metric.name)) {
      throw new TypeError(`metric ${metric.name} is already registered`);
    }
    this.#families.set(metric.name, metric);
    return metric;
  }

  /** Every family in registration order, in the Prometheus text format. */
  render(): string {
    return [...this.#families.values()].map((f) => f.render()).join('');
  }
}

/** The content type of {@link MetricsRegistry.render}'s output. */
export const PROMETHEUS_CONTENT_TYPE = 'text/plain; version=0.0.4; charset=utf-8';

function labelKey(labels: Labels): string {
  return JSON.stringify(Object.entries(labels).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

function sample(name: string, labels: Labels, value: number): string {
  const pairs = Object.entries(labels).map(([k, v]) => `${k}="${escapeLabel(v)}"`);
  return `${name}${pairs.length ? `{${pairs.join(',')}}` : ''} ${formatNumber(value)}`;
}

function escapeLabel(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
}

function formatNumber(value: number): string {
  if (Number.isNaN(value)) return 'NaN';
  if (value === Number.POSITIVE_INFINITY) return '+Inf';
  if (value === Number.NEGATIVE_INFINITY) return '-Inf';
  return String(value);
}
