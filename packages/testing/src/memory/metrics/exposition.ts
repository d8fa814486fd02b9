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

/** A metric family: its name, help text (with kube's stability prefix) and series. */
export interface MetricFamily {
  readonly name: string;
  readonly help: string;
  readonly type: 'gauge' | 'counter';
  readonly samples: readonly MetricSample[];
}

/** A label value escaped as the text format escapes it. */
function escapeLabel(v: string): string {
  return v.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
}

/** The sample's label values in label name order. */
function valuesOf(s: MetricSample): string[] {
  return Object.keys(s.labels)
    .sort()
    .map((k) => s.labels[k]!);
}

/** Samples by their label values, one label after another, as client_golang sorts them. */
function bySeries(a: MetricSample, b: MetricSample): number {
  const [va, vb] = [valuesOf(a), valuesOf(b)];
  for (let i = 0; i < va.length; i++) {
    if (va[i]! !== vb[i]!) return va[i]! < vb[i]! ? -1 : 1;
  }
  return 0;
}

function writeFamily(f: MetricFamily): string {
  if (f.samples.length === 0) return '';
  const lines = [`# HELP ${f.name} ${f.help}`, `# TYPE ${f.name} ${f.type}`];
  const sorted = [...f.samples].sort(bySeries);
  for (const s of sorted) {
    const labels = Object.keys(s.labels)
      .sort()
      .map((k) => `${k}="${escapeLabel(s.labels[k]!)}"`)
      .join(',');
    lines.push(`${f.name}{${labels}} ${goFloat(s.value)}`);
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
