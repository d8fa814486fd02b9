import type { Figure } from '../figure.js';
import { figureOf, measure } from '../measure.js';
import type { ScenarioContext } from './context.js';

/** Scenario 1: time from start to a ready store over N ConfigMaps, and peak RSS. */
export async function syncScenario(ctx: ScenarioContext): Promise<Figure[]> {
  const figures: Figure[] = [];
  for (const objects of ctx.sizes.syncObjects) {
    const namespace = await ctx.dataset('cache', objects);
    const scenario = `1 initial sync (${objects})`;
    const runs = await measure({
      label: `[${ctx.backend.name}] ${scenario}`,
      subjects: ['kube-ts', 'peer', 'floor'],
      runs: ctx.runs,
      task: () => ({
        kind: 'sync',
        kubeconfig: ctx.backend.kubeconfigPath,
        namespace,
        objects,
        ...ctx.pageSizeOption,
      }),
      cpuProfDir: ctx.cpuProfDir,
    });
    const base = { backend: ctx.backend.name, scenario };
    const k = runs.get('kube-ts');
    const p = runs.get('peer');
    const f = runs.get('floor');
    figures.push(
      figureOf(
        base,
        { metric: 'time to store ready', unit: 'ms', better: 'lower', key: 'syncMs' },
        k,
        p,
        undefined,
        f,
      ),
      figureOf(
        base,
        {
          metric: 'sync throughput',
          unit: 'objects/s',
          better: 'higher',
          key: (r) => (objects / r.values.syncMs!) * 1000,
        },
        k,
        p,
        undefined,
        f,
      ),
      figureOf(
        base,
        { metric: 'CPU time to ready', unit: 'ms', better: 'lower', key: 'syncCpuMs' },
        k,
        p,
        undefined,
        f,
      ),
      figureOf(
        base,
        { metric: 'peak RSS', unit: 'MiB', better: 'lower', key: 'peakRssMiB' },
        k,
        p,
        undefined,
        f,
      ),
    );
  }
  return figures;
}
