import type { Figure } from '../figure.js';
import { figureOf, measure } from '../measure.js';
import type { ScenarioContext } from './context.js';

const NO_PEER = 'the peer has no controller';

/**
 * Scenario 4: reconciles per second of a Controller with a no-op reconciler over N objects
 * (full passes triggered by `reconcileAllOn`, the first pass not counted), at each
 * concurrency; then the Scheduler alone. kube-ts only: client-node has no controller.
 */
export async function dispatchScenario(ctx: ScenarioContext): Promise<Figure[]> {
  const objects = ctx.sizes.dispatchObjects;
  const namespace = await ctx.dataset('cache', objects);
  const figures: Figure[] = [];
  for (const concurrency of ctx.sizes.dispatchConcurrency) {
    const scenario = `4 reconcile dispatch (${objects})`;
    const c = concurrency === 0 ? 'unbounded' : String(concurrency);
    const runs = await measure({
      label: `[${ctx.backend.name}] ${scenario} concurrency ${c}`,
      subjects: ['kube-ts'],
      runs: ctx.runs,
      task: () => ({
        kind: 'dispatch',
        kubeconfig: ctx.backend.kubeconfigPath,
        namespace,
        objects,
        concurrency,
        passes: ctx.sizes.dispatchPasses,
      }),
      cpuProfDir: ctx.cpuProfDir,
    });
    figures.push(
      figureOf(
        { backend: ctx.backend.name, scenario },
        {
          metric: `reconciles/s, concurrency ${c}`,
          unit: 'reconciles/s',
          better: 'higher',
          key: 'reconcilesPerSecond',
        },
        runs.get('kube-ts'),
        undefined,
        NO_PEER,
      ),
    );
  }
  for (const { label, requests, keys } of ctx.sizes.schedulerCases) {
    const scenario = `4 scheduler alone (${label})`;
    const runs = await measure({
      label: `[${ctx.backend.name}] ${scenario}`,
      subjects: ['kube-ts'],
      runs: ctx.runs,
      task: () => ({ kind: 'scheduler', requests, keys }),
      cpuProfDir: ctx.cpuProfDir,
    });
    const base = { backend: ctx.backend.name, scenario };
    const k = runs.get('kube-ts');
    figures.push(
      figureOf(
        base,
        {
          metric: 'schedule() cost',
          unit: 'ns/request',
          better: 'lower',
          key: 'scheduleNsPerRequest',
        },
        k,
        undefined,
        NO_PEER,
      ),
      figureOf(
        base,
        {
          metric: 'CPU incl. emitting',
          unit: 'ns/request',
          better: 'lower',
          key: 'cpuNsPerRequest',
        },
        k,
        undefined,
        NO_PEER,
      ),
    );
  }
  return figures;
}
