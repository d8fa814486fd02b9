/**
 * Metrics in the Prometheus text format (0.0.4) as kube-apiserver's `/metrics` writes them
 * through client_golang: families by name, each with its help and type, series by label
 * values, labels by name, values in Go's shortest float form; a family without series is
 * left out. Our own writer rather than `prom-client`: kube-apiserver's families are
 * computed here from the server's state when scraped (gauges over open requests, counters
 * kept by the server), and prom-client's registry orders and formats series its own way.
 */
import { goFloat } from '../go-print.js';

/** One series of a family: its labels and value. */
export interface MetricSample {
  readonly labels: Readonly<Record<string, string>>;
  readonly value: number;
}

/**
 * One series of a histogram: its labels, the count of observations in each bucket (by the
 * family's upper bounds, not cumulative), their sum and their count.
 */
export interface HistogramSample {
  readonly labels: Readonly<Record<string, string>>;
  readonly bucketCounts: readonly number[];
  readonly sum: number;
  readonly count: number;
}

/** A gauge or counter family: its name, help text (with kube's stability prefix) and series. */
export interface ValueFamily {
  readonly name: string;
  readonly help: string;
  readonly type: 'gauge' | 'counter';
  readonly samples: readonly MetricSample[];
}

/** A histogram family: its name, help text, buckets and series. */
export interface HistogramFamily {
  readonly name: string;
  readonly help: string;
  readonly type: 'histogram';
  /** The buckets' upper bounds, ascending (`+Inf` is implied). */
  readonly buckets: readonly number[];
  readonly samples: readonly HistogramSample[];
}

/** A metric family of `/metrics`. */
export type MetricFamily = ValueFamily | HistogramFamily;

/** A label value escaped as the text format escapes it. */
function escapeLabel(v: string): string {
  return v.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
}

/** The sample's label values in label name order. */
function valuesOf(s: { readonly labels: Readonly<Record<string, string>> }): string[] {
  return Object.keys(s.labels)
    .sort()
    .map((k) => s.labels[k]!);
}

/** Samples by their label values, one label after another, as client_golang sorts them. */
function bySeries(
  a: { readonly labels: Readonly<Record<string, string>> },
  b: { readonly labels: Readonly<Record<string, string>> },
): number {
  const [va, vb] = [valuesOf(a), valuesOf(b)];
  for (let i = 0; i < va.length; i++) {
    if (va[i]! !== vb[i]!) return va[i]! < vb[i]! ? -1 : 1;
  }
  return 0;
}

/** The labels' text, by name, then `extra` (a bucket's `le`, which client_golang writes last). */
function labelText(labels: Readonly<Record<string, string>>, extra = ''): string {
  const pairs = Object.keys(labels)
    .sort()
    .map((k) => `${k}="${escapeLabel(labels[k]!)}"`);
  if (extra) pairs.push(extra);
  return pairs.join(',');
}

/** A histogram's lines: cumulative buckets up to `+Inf`, then the sum and the count. */
function histogramLines(name: string, buckets: readonly number[], s: HistogramSample): string[] {
  const lines: string[] = [];
  let cumulative = 0;
  buckets.forEach((bound, i) => {
    cumulative += s.bucketCounts[i] ?? 0;
    lines.push(`${name}_bucket{${labelText(s.labels, `le="${goFloat(bound)}"`)}} ${cumulative}`);
  });
  lines.push(`${name}_bucket{${labelText(s.labels, 'le="+Inf"')}} ${s.count}`);
  lines.push(`${name}_sum{${labelText(s.labels)}} ${goFloat(s.sum)}`);
  lines.push(`${name}_count{${labelText(s.labels)}} ${s.count}`);
  return lines;
}

function writeFamily(f: MetricFamily): string {
  if (f.samples.length === 0) return '';
  const lines = [`# HELP ${f.name} ${f.help}`, `# TYPE ${f.name} ${f.type}`];
  if (f.type === 'histogram') {
    for (const s of [...f.samples].sort(bySeries))
      lines.push(...histogramLines(f.name, f.buckets, s));
  } else {
    for (const s of [...f.samples].sort(bySeries)) {
      lines.push(`${f.name}{${labelText(s.labels)}} ${goFloat(s.value)}`);
    }
  }
  return `${lines.join('\n')}\n`;
}

/** The text of `families`, by name. */
export function exposition(families: readonly MetricFamily[]): string {
  return [...families]
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
    .map(writeFamily)
    .join('');
}
