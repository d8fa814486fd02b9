import type { Figure } from '../figure.js';
import { figureOf, measure, progress } from '../measure.js';
import type { ScenarioContext } from './context.js';

/**
 * Scenario 2: M updates streamed to a synced store — events per second and CPU time per
 * event in the measured process.
 *
 * On `memory`, the measured process is paused (SIGSTOP) while the updates are written and
 * resumed afterwards, so it drains a backlog at its own full speed and the figure is the
 * client's ingest rate, not the writer's. kube-apiserver closes watchers that fall that
 * far behind, so on `kube-apiserver` the updates are streamed live and events/s is bounded
 * by the write rate (CPU time per event is the comparable figure there).
 */
export async function ingestScenario(ctx: ScenarioContext): Promise<Figure[]> {
  const objects = ctx.sizes.churnObjects;
  const updates = ctx.sizes.ingestUpdates;
  const namespace = await ctx.dataset('churn', objects);
  const paused = ctx.backend.name === 'memory';
  const scenario = `2 watch ingest (${updates} updates${paused ? ', backlog' : ', live'})`;
  const writeRates: number[] = [];
  let seq = 0;
  const runs = await measure({
    label: `[${ctx.backend.name}] ${scenario}`,
    subjects: ['kube-ts', 'peer', 'floor'],
    runs: ctx.runs,
    task: () => ({
      kind: 'ingest',
      kubeconfig: ctx.backend.kubeconfigPath,
      namespace,
      objects,
      updates,
    }),
    hooks: () => ({
      onReady: async (child) => {
        if (paused) child.kill('SIGSTOP');
        try {
          writeRates.push(await ctx.writer.burst(namespace, objects, updates, seq));
          seq += updates;
        } finally {
          if (paused) child.kill('SIGCONT');
        }
      },
    }),
    cpuProfDir: ctx.cpuProfDir,
  });
  const sorted = [...writeRates].sort((a, b) => a - b);
  const note = `writer sustained ${Math.round(sorted[sorted.length >> 1] ?? 0)} updates/s (median)`;
  progress(`  ${note}`);
  const base = { backend: ctx.backend.name, scenario };
  const k = runs.get('kube-ts');
  const p = runs.get('peer');
  const f = runs.get('floor');
  return [
    figureOf(
      base,
      { metric: 'events per second', unit: 'events/s', better: 'higher', key: 'eventsPerSecond' },
      k,
      p,
      note,
      f,
    ),
    figureOf(
      base,
      { metric: 'CPU time per event', unit: 'µs', better: 'lower', key: 'cpuUsPerEvent' },
      k,
      p,
      undefined,
      f,
    ),
  ];
}
