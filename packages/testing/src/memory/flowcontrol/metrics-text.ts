/**
 * The `apiserver_flowcontrol_*` metrics of kube-apiserver's `/metrics` that tell what API
 * Priority and Fairness does, in the Prometheus text format as kube-apiserver writes it
 * (families by name, series by label values, labels by name, Go's shortest float form):
 * each priority level's nominal, lower, upper and current limit in seats, and per priority
 * level and FlowSchema the requests dispatched, rejected (by reason), executing (and their
 * seats) and waiting. The help texts are our own words.
 */
import { goFloat } from '../go-print.js';
import type { FlowSeries, FlowStats } from './flow-stats.js';

/** One priority level's limits. */
export interface LevelSeats {
  readonly name: string;
  readonly nominal: number;
  readonly lower: number;
  readonly upper: number;
  readonly current: number;
}

interface Sample {
  readonly labels: Readonly<Record<string, string>>;
  readonly value: number;
}

interface Family {
  readonly name: string;
  readonly help: string;
  readonly type: 'gauge' | 'counter';
  readonly samples: Sample[];
}

/** A label value escaped as the text format escapes it. */
function escapeLabel(v: string): string {
  return v.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
}

/** The sample's label values in label name order. */
function valuesOf(s: Sample): string[] {
  return Object.keys(s.labels)
    .sort()
    .map((k) => s.labels[k]!);
}

/** Samples by their label values, one label after another, as client_golang sorts them. */
function bySeries(a: Sample, b: Sample): number {
  const [va, vb] = [valuesOf(a), valuesOf(b)];
  for (let i = 0; i < va.length; i++) {
    if (va[i]! !== vb[i]!) return va[i]! < vb[i]! ? -1 : 1;
  }
  return 0;
}

function writeFamily(f: Family): string {
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

/** The metrics text of the levels' limits and the flows' counts. */
export function flowControlMetrics(levels: readonly LevelSeats[], stats: FlowStats): string {
  const perLevel = (pick: (l: LevelSeats) => number): Sample[] =>
    levels.map((l) => ({ labels: { priority_level: l.name }, value: pick(l) }));
  const perFlow = (series: FlowSeries[], pick: (s: FlowSeries) => number): Sample[] =>
    series.map((s) => ({
      labels: { priority_level: s.level, flow_schema: s.flowSchema },
      value: pick(s),
    }));
  const all = stats.allSeries();
  const rejected: Sample[] = [];
  for (const s of all) {
    for (const [reason, n] of s.rejected) {
      rejected.push({
        labels: { priority_level: s.level, flow_schema: s.flowSchema, reason },
        value: n,
      });
    }
  }
  const family = (name: string, type: Family['type'], help: string, samples: Sample[]) => ({
    name: `apiserver_flowcontrol_${name}`,
    type,
    help,
    samples,
  });
  const dispatched = all.filter((s) => s.dispatched > 0);
  const families: Family[] = [
    family(
      'current_executing_requests',
      'gauge',
      'Requests of a priority level and flow schema being served now',
      perFlow(dispatched, (s) => s.executing),
    ),
    family(
      'current_executing_seats',
      'gauge',
      'Seats held by the requests of a priority level and flow schema being served now',
      perFlow(dispatched, (s) => s.executingSeats),
    ),
    family(
      'current_inqueue_requests',
      'gauge',
      'Requests of a priority level and flow schema waiting in its queues now',
      perFlow(
        all.filter((s) => s.waited),
        (s) => s.waiting,
      ),
    ),
    family(
      'current_limit_seats',
      'gauge',
      'The seats a priority level may use now',
      perLevel((l) => l.current),
    ),
    family(
      'dispatched_requests_total',
      'counter',
      'Requests a priority level and flow schema started serving',
      perFlow(dispatched, (s) => s.dispatched),
    ),
    family(
      'lower_limit_seats',
      'gauge',
      'The seats a priority level keeps however much it lends',
      perLevel((l) => l.lower),
    ),
    family(
      'nominal_limit_seats',
      'gauge',
      'The seats a priority level is configured with',
      perLevel((l) => l.nominal),
    ),
    family(
      'rejected_requests_total',
      'counter',
      'Requests a priority level and flow schema refused, by reason',
      rejected,
    ),
    family(
      'upper_limit_seats',
      'gauge',
      'The seats a priority level may use at most, borrowing',
      perLevel((l) => l.upper),
    ),
  ];
  return families.map(writeFamily).join('');
}
