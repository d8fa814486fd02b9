/**
 * The goals of issue 14 ("performance at the floor") checked against the figures of one
 * run: each goal names the figures it applies to (by scenario number and metric), the
 * subject it is compared with (the floor or the peer) and the largest ratio that meets it.
 * The bench prints this table under the main one, so every run says where kube-ts stands.
 */
import { type Figure, floorRatioOf, ratioOf } from './figure.js';
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

/** Whether `figure` is one of scenario number `scenario`'s. */
function ofScenario(figure: Figure, scenario: number): boolean {
  return figure.scenario.startsWith(`${scenario} `);
}

/**
 * Renders one line per goal and matching figure (backend, scenario): the goal, where the
 * figure was measured, kube-ts's and the compared subject's `median (min–max)`, the ratio
 * of the medians and whether it meets the goal. Goals without a figure in this run are
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
        ratio === undefined ? 'not measured' : ratio <= goal.max ? 'yes' : 'no',
      ]);
    }
  }
  if (rows.length === 0) return '';
  const header = ['goal (issue 14)', 'measured on', 'kube-ts', 'compared with', 'ratio', 'met'];
  return renderColumns(header, rows);
}
