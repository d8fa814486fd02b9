import type { ChaosResult } from './chaos-run.js';

/** The figures of a chaos suite run (what docs/chaos.md records). */
export interface ChaosSummary {
  readonly backend: string | undefined;
  readonly passed: number;
  readonly total: number;
  /** Faults injected over all runs, by kind, and in total. */
  readonly faults: Record<string, number>;
  readonly faultsTotal: number;
  /** Time from healing to settled, over the runs that settled, in ms. */
  readonly settleMs: { readonly p50: number; readonly max: number } | undefined;
  readonly failures: readonly string[];
  readonly text: string;
}

/** Sums up the results of one backend's runs. */
export function summarize(results: readonly ChaosResult[]): ChaosSummary {
  const faults: Record<string, number> = {};
  for (const r of results) {
    for (const [k, n] of Object.entries(r.faults)) faults[k] = (faults[k] ?? 0) + n;
  }
  const faultsTotal = Object.values(faults).reduce((a, b) => a + b, 0);
  const settle = results
    .flatMap((r) => (r.settleMs === undefined ? [] : [r.settleMs]))
    .sort((a, b) => a - b);
  const settleMs =
    settle.length === 0
      ? undefined
      : {
          p50: Math.round(settle[Math.floor((settle.length - 1) / 2)] as number),
          max: Math.round(settle.at(-1) as number),
        };
  const passed = results.filter((r) => r.passed).length;
  const failures = results.flatMap((r) => (r.passed ? [] : [`seed ${r.seed}: ${r.failure}`]));
  const backend = results[0]?.backend;
  const text = [
    `chaos [${backend}]: ${passed}/${results.length} runs passed, ${faultsTotal} faults injected ` +
      `(${Object.entries(faults)
        .sort()
        .map(([k, n]) => `${k} ${n}`)
        .join(
          ', ',
        )}), time to settle p50 ${settleMs?.p50 ?? '-'} ms, max ${settleMs?.max ?? '-'} ms`,
    ...failures.map((f) => `  FAILED ${f}`),
  ].join('\n');
  return { backend, passed, total: results.length, faults, faultsTotal, settleMs, failures, text };
}
