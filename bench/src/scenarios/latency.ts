import type { Figure } from '../figure.js';
import { loadAverage } from '../machine.js';
import { figureOf, measure, type SubjectRuns } from '../measure.js';
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

/** What the `chunk→reaction` rows measure (see `workers/chunk-clock.ts`). */
const CLIENT_NOTE =
  "chunk→reaction: from the arrival of the network chunk that carried the update in the measured process to its reaction (the client's own part)";

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
  const loadBefore = loadAverage()[0];
  const runs = await measure({
    label: `[${ctx.backend.name}] ${scenario}`,
    subjects,
    runs: ctx.runs,
    task: () => ({ kind: 'latency', kubeconfig: ctx.backend.kubeconfigPath, namespace, objects }),
    hooks: () => ({
      // The default bound (180 s) is for the short scenarios; a long --duration needs more.
      timeoutMs: durationMs + 180_000,
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
  const loadAfter = loadAverage()[0];
  const rtt = roundTrips.length > 0 ? latencyPercentiles(roundTrips) : undefined;
  const rttNote = rtt
    ? `the write's own round trip took p50 ${rtt.p50.toFixed(1)} ms, p99 ${rtt.p99.toFixed(1)} ms`
    : 'no write completed';
  const pct = (which: 'p50' | 'p99' | 'max') => (r: WorkerResult) =>
    r.samples && r.samples.length > 0 ? latencyPercentiles(r.samples)[which] : Number.NaN;
  const own = (which: 'p50' | 'p99') => (r: WorkerResult) =>
    r.clientSamples && r.clientSamples.length > 0
      ? latencyPercentiles(r.clientSamples)[which]
      : Number.NaN;
  const received = (r: WorkerResult) => r.values.count ?? Number.NaN;
  const base = { backend: ctx.backend.name, scenario };
  const k = runs.get('kube-ts');
  const p = runs.get('peer');
  const f = runs.get('floor');
  const unit = { unit: 'ms', better: 'lower' as const };
  const pooledNote =
    `all runs pooled: ${pooled(runs, (r) => r.samples)}; ` +
    `load average (1 min) ${loadBefore} → ${loadAfter}`;
  const pooledOwnNote = `all runs pooled: ${pooled(runs, (r) => r.clientSamples)}`;
  return [
    figureOf(base, { ...unit, metric: 'latency p50', key: pct('p50') }, k, p, rttNote, f),
    figureOf(base, { ...unit, metric: 'latency p99', key: pct('p99') }, k, p, pooledNote, f),
    figureOf(base, { ...unit, metric: 'latency max', key: pct('max') }, k, p, undefined, f),
    figureOf(
      base,
      { ...unit, metric: 'chunk→reaction p50', key: own('p50') },
      k,
      p,
      CLIENT_NOTE,
      f,
    ),
    figureOf(
      base,
      { ...unit, metric: 'chunk→reaction p99', key: own('p99') },
      k,
      p,
      pooledOwnNote,
      f,
    ),
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

/**
 * p50 and p99 of every subject's samples of all runs together, with their count: the
 * per-run figures show the spread between runs, these the percentiles of the most samples.
 */
function pooled(
  runs: ReadonlyMap<Subject, SubjectRuns>,
  samplesOf: (r: WorkerResult) => readonly number[] | undefined,
): string {
  const parts: string[] = [];
  for (const [subject, { results }] of runs) {
    const all = results.flatMap((r) => samplesOf(r) ?? []);
    if (all.length === 0) continue;
    const { p50, p99 } = latencyPercentiles(all);
    parts.push(`${subject} p50 ${p50.toFixed(2)} ms, p99 ${p99.toFixed(1)} ms (n=${all.length})`);
  }
  return parts.length > 0 ? parts.join(', ') : 'no samples';
}
