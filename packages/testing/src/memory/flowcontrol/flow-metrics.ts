/**
 * The `apiserver_flowcontrol_*` metric families of kube-apiserver's `/metrics` that tell
 * what API Priority and Fairness does, with its help texts: each priority level's nominal,
 * lower, upper and current limit in seats, and per priority level and FlowSchema the
 * requests dispatched, rejected (by reason), executing (and their seats) and waiting.
 */
import type { MetricSample, ValueFamily } from '../metrics/exposition.js';
import type { FlowSeries, FlowStats } from './flow-stats.js';

/** One priority level's limits. */
export interface LevelSeats {
  readonly name: string;
  readonly nominal: number;
  readonly lower: number;
  readonly upper: number;
  readonly current: number;
}

/** The families of the levels' limits and the flows' counts. */
export function flowControlFamilies(
  levels: readonly LevelSeats[],
  stats: FlowStats,
): ValueFamily[] {
  const perLevel = (pick: (l: LevelSeats) => number): MetricSample[] =>
    levels.map((l) => ({ labels: { priority_level: l.name }, value: pick(l) }));
  const perFlow = (series: FlowSeries[], pick: (s: FlowSeries) => number): MetricSample[] =>
    series.map((s) => ({
      labels: { priority_level: s.level, flow_schema: s.flowSchema },
      value: pick(s),
    }));
  const all = stats.allSeries();
  const rejected: MetricSample[] = [];
  for (const s of all) {
    for (const [reason, n] of s.rejected) {
      rejected.push({
        labels: { priority_level: s.level, flow_schema: s.flowSchema, reason },
        value: n,
      });
    }
  }
  const family = (
    name: string,
    type: ValueFamily['type'],
    help: string,
    samples: MetricSample[],
  ): ValueFamily => ({
    name: `apiserver_flowcontrol_${name}`,
    type,
    help,
    samples,
  });
  const dispatched = all.filter((s) => s.dispatched > 0);
  return [
    family(
      'current_executing_requests',
      'gauge',
      '[BETA] Number of requests in initial (for a WATCH) or any (for a non-WATCH) execution stage in the API Priority and Fairness subsystem',
      perFlow(dispatched, (s) => s.executing),
    ),
    family(
      'current_executing_seats',
      'gauge',
      '[BETA] Concurrency (number of seats) occupied by the currently executing (initial stage for a WATCH, any stage otherwise) requests in the API Priority and Fairness subsystem',
      perFlow(dispatched, (s) => s.executingSeats),
    ),
    family(
      'current_inqueue_requests',
      'gauge',
      '[BETA] Number of requests currently pending in queues of the API Priority and Fairness subsystem',
      perFlow(
        all.filter((s) => s.waited),
        (s) => s.waiting,
      ),
    ),
    family(
      'current_limit_seats',
      'gauge',
      '[ALPHA] current derived number of execution seats available to each priority level',
      perLevel((l) => l.current),
    ),
    family(
      'dispatched_requests_total',
      'counter',
      '[BETA] Number of requests executed by API Priority and Fairness subsystem',
      perFlow(dispatched, (s) => s.dispatched),
    ),
    family(
      'lower_limit_seats',
      'gauge',
      '[ALPHA] Configured lower bound on number of execution seats available to each priority level',
      perLevel((l) => l.lower),
    ),
    family(
      'nominal_limit_seats',
      'gauge',
      '[BETA] Nominal number of execution seats configured for each priority level',
      perLevel((l) => l.nominal),
    ),
    family(
      'rejected_requests_total',
      'counter',
      '[BETA] Number of requests rejected by API Priority and Fairness subsystem',
      rejected,
    ),
    family(
      'upper_limit_seats',
      'gauge',
      '[ALPHA] Configured upper bound on number of execution seats available to each priority level',
      perLevel((l) => l.upper),
    ),
  ];
}
