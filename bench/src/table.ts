import { type Figure, floorRatioOf, ratioOf } from './figure.js';
import type { Summary } from './stats.js';

/** Formats a number with about 3 significant digits, without exponent notation. */
export function formatNumber(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  const abs = Math.abs(value);
  if (abs >= 100) return Math.round(value).toLocaleString('en-US');
  if (abs >= 10) return value.toFixed(1);
  if (abs >= 1) return value.toFixed(2);
  if (abs === 0) return '0';
  return value.toPrecision(3);
}

/** `median (min–max)` of a summary, or `—` when there is none. */
export function formatSummary(summary: Summary | undefined): string {
  if (!summary) return '—';
  return `${formatNumber(summary.median)} (${formatNumber(summary.min)}–${formatNumber(summary.max)})`;
}

/** A ratio as `1.23x ↓` (the arrow tells whether higher or lower is better), or `—`. */
function formatRatio(ratio: number | undefined, better: Figure['better']): string {
  return ratio === undefined ? '—' : `${ratio.toFixed(2)}x ${better === 'higher' ? '↑' : '↓'}`;
}

/**
 * Renders figures as one plain-text table with the columns backend, scenario, metric,
 * unit, kube-ts, peer, floor, kube-ts/floor and kube-ts/peer (medians divided, with an
 * arrow telling whether higher or lower is better). Columns are padded to their widest
 * cell.
 */
export function renderTable(figures: readonly Figure[]): string {
  const header = [
    'backend',
    'scenario',
    'metric',
    'unit',
    'kube-ts',
    'peer',
    'floor',
    'kube-ts/floor',
    'kube-ts/peer',
  ];
  const rows = figures.map((f) => [
    f.backend,
    f.scenario,
    f.metric,
    f.unit,
    formatSummary(f.kubeTs),
    formatSummary(f.peer),
    formatSummary(f.floor),
    formatRatio(floorRatioOf(f), f.better),
    formatRatio(ratioOf(f), f.better),
  ]);
  return renderColumns(header, rows);
}

/** Renders a header and rows as plain-text columns, each padded to its widest cell. */
export function renderColumns(
  header: readonly string[],
  rows: readonly (readonly string[])[],
): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: readonly string[]) =>
    cells
      .map((c, i) => c.padEnd(widths[i]!))
      .join(' │ ')
      .trimEnd();
  const rule = widths.map((w) => '─'.repeat(w)).join('─┼─');
  return [line(header), rule, ...rows.map(line)].join('\n');
}
