import type { Figure } from '../figure.js';
import { figureOf, measure } from '../measure.js';
import { dispatchKey, schedulerKey } from '../protocol.js';
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
  const scenario = `4 reconcile dispatch (${objects})`;
  const { dispatchConcurrency } = ctx.sizes;
  const runs = await measure({
    label: `[${ctx.backend.name}] ${scenario}`,
    subjects: ['kube-ts'],
    runs: ctx.runs,
    task: () => ({
      kind: 'dispatch',
      kubeconfig: ctx.backend.kubeconfigPath,
      namespace,
      objects,
      concurrency: dispatchConcurrency,
      passes: ctx.sizes.dispatchPasses,
    }),
    cpuProfDir: ctx.cpuProfDir,
  });
  for (const concurrency of dispatchConcurrency) {
    const c = concurrency === 0 ? 'unbounded' : String(concurrency);
    figures.push(
      figureOf(
        { backend: ctx.backend.name, scenario },
        {
          metric: `reconciles/s, concurrency ${c}`,
          unit: 'reconciles/s',
          better: 'higher',
          key: dispatchKey(concurrency),
        },
        runs.get('kube-ts'),
        undefined,
        NO_PEER,
      ),
    );
  }
  const cases = ctx.sizes.schedulerCases;
  const sched = await measure({
    label: `[${ctx.backend.name}] 4 scheduler alone`,
    subjects: ['kube-ts'],
    runs: ctx.runs,
    task: () => ({ kind: 'scheduler', cases }),
    cpuProfDir: ctx.cpuProfDir,
  });
  for (const c of cases) {
    const base = { backend: ctx.backend.name, scenario: `4 scheduler alone (${c.label})` };
    const k = sched.get('kube-ts');
    figures.push(
      figureOf(
        base,
        {
          metric: 'schedule() cost',
          unit: 'ns/request',
          better: 'lower',
          key: schedulerKey(c, 'scheduleNsPerRequest'),
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
          key: schedulerKey(c, 'cpuNsPerRequest'),
        },
        k,
        undefined,
        NO_PEER,
      ),
    );
  }
  return figures;
}
