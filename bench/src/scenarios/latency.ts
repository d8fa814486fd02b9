import type { Figure } from '../figure.js';
import { figureOf, measure } from '../measure.js';
import type { Subject } from '../protocol.js';
import { latencyPercentiles } from '../stats.js';
import type { WorkerResult } from '../worker-host.js';
import type { ScenarioContext } from './context.js';

/**
 * Scenario 5: at a steady update rate, the time from the writer sending an update (its
 * wall-clock time is in an annotation) to kube-ts starting the reconcile of that object
 * (to the peer calling its `update` handler). Each run gives p50/p99/max; the table shows
 * those over the runs.
 */
export function latencyScenario(ctx: ScenarioContext): Promise<Figure[]> {
  const { latencyRate: rate, latencyDurationMs: durationMs } = ctx.sizes;
  return steadyLatency(ctx, 5, rate, durationMs, ['kube-ts', 'peer']);
}

/**
 * Scenario 8 (issue 14 item 5): the same at a rate every backend absorbs (100 updates/s),
 * so that the figure is the client's reaction and not the server's write backlog; with the
 * floor, whose figure is write → in its cache (it has no reconciler: the least any
 * cache-fed reaction can take).
 */
export function steadyLatencyScenario(ctx: ScenarioContext): Promise<Figure[]> {
  const { steadyRate: rate, steadyDurationMs: durationMs } = ctx.sizes;
  return steadyLatency(ctx, 8, rate, durationMs, ['kube-ts', 'peer', 'floor']);
}

async function steadyLatency(
  ctx: ScenarioContext,
  number: number,
  rate: number,
  durationMs: number,
  subjects: readonly Subject[],
): Promise<Figure[]> {
  const objects = ctx.sizes.churnObjects;
  const namespace = await ctx.dataset('churn', objects);
  const scenario = `${number} write→reconcile latency (${rate}/s, ${durationMs / 1000} s)`;
  const roundTrips: number[] = [];
  let seq = 0;
  const runs = await measure({
    label: `[${ctx.backend.name}] ${scenario}`,
    subjects,
    runs: ctx.runs,
    task: () => ({ kind: 'latency', kubeconfig: ctx.backend.kubeconfigPath, namespace, objects }),
    hooks: () => ({
      onReady: async (_child, stop) => {
        const written = await ctx.writer.steady(namespace, objects, rate, durationMs, seq);
        seq += written.sent;
        roundTrips.push(...written.roundTripsMs);
        // Let the last events arrive before asking for the samples.
        await new Promise((r) => setTimeout(r, 500));
        stop();
      },
    }),
    cpuProfDir: ctx.cpuProfDir,
  });
  const rtt = roundTrips.length > 0 ? latencyPercentiles(roundTrips) : undefined;
  const rttNote = rtt
    ? `the write's own round trip took p50 ${rtt.p50.toFixed(1)} ms, p99 ${rtt.p99.toFixed(1)} ms`
    : 'no write completed';
  const pct = (which: 'p50' | 'p99' | 'max') => (r: WorkerResult) =>
    r.samples && r.samples.length > 0 ? latencyPercentiles(r.samples)[which] : Number.NaN;
  const received = (r: WorkerResult) => r.values.count ?? Number.NaN;
  const base = { backend: ctx.backend.name, scenario };
  const k = runs.get('kube-ts');
  const p = runs.get('peer');
  const f = runs.get('floor');
  const unit = { unit: 'ms', better: 'lower' as const };
  return [
    figureOf(base, { ...unit, metric: 'latency p50', key: pct('p50') }, k, p, rttNote, f),
    figureOf(base, { ...unit, metric: 'latency p99', key: pct('p99') }, k, p, undefined, f),
    figureOf(base, { ...unit, metric: 'latency max', key: pct('max') }, k, p, undefined, f),
    figureOf(
      base,
      { metric: 'updates seen', unit: 'count', better: 'higher', key: received },
      k,
      p,
      `${Math.round((rate * durationMs) / 1000)} written per run`,
      f,
    ),
  ];
}
