/**
 * The goals of issue 14 ("performance at the floor") and of issue 17 (sharding: per
 * replica objects and heap falling as 1/N) checked against the figures of one run: each
 * goal names the figures it applies to (by scenario number and metric), what it is
 * compared with (the floor, the peer, or the same backend's figure at one replica) and the
 * largest ratio that meets it. The bench prints this table under the main one, so every
 * run says where kube-ts stands.
 */
import { type Figure, floorRatioOf, ratioOf } from './figure.js';
import type { Summary } from './stats.js';
import { formatSummary, renderColumns } from './table.js';

/** One goal: kube-ts's median over `against`'s median must be at most `max`. */
interface Goal {
  readonly label: string;
  readonly scenario: number;
  readonly metric: string;
  readonly against: 'floor' | 'peer';
  readonly max: number;
}

/** Issue 14's goals (ratios of medians; all figures of these are "lower is better"). */
export const GOALS: readonly Goal[] = [
  {
    label: 'heap per object, watch open ≤ 1.05x floor',
    scenario: 3,
    metric: 'heap per object, watch open, default transform',
    against: 'floor',
    max: 1.05,
  },
  {
    label: 'CPU to a synced store ≤ 1.10x floor',
    scenario: 1,
    metric: 'CPU time to ready',
    against: 'floor',
    max: 1.1,
  },
  {
    label: 'client CPU per watch event ≤ 1.10x floor',
    scenario: 6,
    metric: 'CPU time per event',
    against: 'floor',
    max: 1.1,
  },
  { label: 'latency p50 ≤ peer', scenario: 8, metric: 'latency p50', against: 'peer', max: 1 },
  { label: 'latency p99 ≤ peer', scenario: 8, metric: 'latency p99', against: 'peer', max: 1 },
];

/**
 * Issue 17's goals on scenario 10: a figure at N replicas over a figure at one replica (of
 * the same backend), at most 1.25 / N — 1/N within the ±25% balance the ring keeps.
 */
interface ScaleGoal {
  readonly label: string;
  /** The figure at N replicas. */
  readonly metric: string;
  /** The figure at one replica it is compared with. */
  readonly baseline: string;
}

/** Issue 17's goals (both figures "lower is better"). */
export const SCALE_GOALS: readonly ScaleGoal[] = [
  {
    label: 'objects per replica ≤ 1.25/N × one replica',
    metric: 'objects per replica, largest',
    baseline: 'objects per replica, largest',
  },
  {
    label: 'heap of a replica without the sharder ≤ 1.25/N × one replica',
    metric: 'heap of a replica without the sharder, largest',
    baseline: 'heap per replica, largest',
  },
];

/** The replica count of a scenario 10 figure (`10 … , 4 replicas`), or undefined. */
function replicasOf(figure: Figure): number | undefined {
  const match = /^10 .*, (\d+) replicas?$/.exec(figure.scenario);
  return match === null ? undefined : Number(match[1]);
}

/** The rows of {@link SCALE_GOALS} for `figures`. */
function scaleRows(figures: readonly Figure[]): string[][] {
  const rows: string[][] = [];
  for (const goal of SCALE_GOALS) {
    for (const f of figures) {
      const n = replicasOf(f);
      if (n === undefined || n === 1 || f.metric !== goal.metric) continue;
      const one = figures.find(
        (o) => o.backend === f.backend && replicasOf(o) === 1 && o.metric === goal.baseline,
      );
      const a = f.kubeTs?.median;
      const b = one?.kubeTs?.median;
      const ratio = a === undefined || b === undefined || b === 0 ? undefined : a / b;
      const max = 1.25 / n;
      rows.push([
        goal.label,
        `${f.backend} · ${f.scenario}`,
        formatSummary(f.kubeTs),
        formatSummary(one?.kubeTs),
        ratio === undefined ? '—' : `${ratio.toFixed(2)}x`,
        ratio === undefined ? 'not measured' : ratio <= max ? 'yes' : `no (> ${max.toFixed(2)}x)`,
      ]);
    }
  }
  return rows;
}

/**
 * `yes` when the ratio of the medians meets `max`; a goal missed while kube-ts's range
 * (min–max over the runs) overlaps the other subject's says so (`no (ranges overlap)`):
 * the runs do not tell the two apart, e.g. scenario 8's latencies on a loaded machine.
 */
function verdict(
  ratio: number | undefined,
  max: number,
  a: Summary | undefined,
  b: Summary | undefined,
): string {
  if (ratio === undefined || a === undefined || b === undefined) return 'not measured';
  if (ratio <= max) return 'yes';
  return a.min <= b.max && b.min <= a.max ? 'no (ranges overlap)' : 'no';
}

/** Whether `figure` is one of scenario number `scenario`'s. */
function ofScenario(figure: Figure, scenario: number): boolean {
  return figure.scenario.startsWith(`${scenario} `);
}

/**
 * Renders one line per goal and matching figure (backend, scenario): the goal, where the
 * figure was measured, kube-ts's and the compared subject's (or one replica's)
 * `median (min–max)`, the ratio of the medians and whether it meets the goal. Goals without a figure in this run are
 * left out; returns `''` when no goal has one.
 */
export function renderGoals(figures: readonly Figure[]): string {
  const rows: string[][] = [];
  for (const goal of GOALS) {
    for (const f of figures) {
      if (!ofScenario(f, goal.scenario) || f.metric !== goal.metric) continue;
      const other = goal.against === 'floor' ? f.floor : f.peer;
      const ratio = goal.against === 'floor' ? floorRatioOf(f) : ratioOf(f);
      rows.push([
        goal.label,
        `${f.backend} · ${f.scenario}`,
        formatSummary(f.kubeTs),
        formatSummary(other),
        ratio === undefined ? '—' : `${ratio.toFixed(2)}x`,
        verdict(ratio, goal.max, f.kubeTs, other),
      ]);
    }
  }
  rows.push(...scaleRows(figures));
  if (rows.length === 0) return '';
  const header = [
    'goal (issues 14, 17)',
    'measured on',
    'kube-ts',
    'compared with',
    'ratio',
    'met',
  ];
  return renderColumns(header, rows);
}
