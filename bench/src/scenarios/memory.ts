import type { Figure } from '../figure.js';
import { figureOf, measure } from '../measure.js';
import type { ScenarioContext } from './context.js';

/**
 * Scenario 3: heap retained per cached object after a forced GC, with kube-ts's default
 * transform (managedFields dropped) both with the watch still open and after stopping it,
 * with managedFields kept, and for the peer and the floor (default transform only).
 */
export async function memoryScenario(ctx: ScenarioContext): Promise<Figure[]> {
  const objects = ctx.sizes.memoryObjects;
  const namespace = await ctx.dataset('cache', objects);
  const scenario = `3 retained heap (${objects})`;
  const task = (heap: 'default' | 'keepManagedFields') => ({
    kind: 'sync' as const,
    kubeconfig: ctx.backend.kubeconfigPath,
    namespace,
    objects,
    heap,
    ...ctx.pageSizeOption,
  });
  const label = `[${ctx.backend.name}] ${scenario}`;
  const runs = await measure({
    label,
    subjects: ['kube-ts', 'peer', 'floor'],
    runs: ctx.runs,
    task: () => task('default'),
    cpuProfDir: undefined,
  });
  const kept = await measure({
    label: `${label} managedFields kept`,
    subjects: ['kube-ts'],
    runs: ctx.runs,
    task: () => task('keepManagedFields'),
  });
  const base = { backend: ctx.backend.name, scenario };
  const metric = { unit: 'bytes/object', better: 'lower' as const, key: 'heapPerObjectBytes' };
  return [
    figureOf(
      base,
      {
        ...metric,
        metric: 'heap per object, watch open, default transform',
        key: 'heapPerObjectWatchOpenBytes',
      },
      runs.get('kube-ts'),
      runs.get('peer'),
      undefined,
      runs.get('floor'),
    ),
    figureOf(
      base,
      { ...metric, metric: 'heap per object, default transform' },
      runs.get('kube-ts'),
      runs.get('peer'),
      undefined,
      runs.get('floor'),
    ),
    figureOf(
      base,
      { ...metric, metric: 'heap per object, managedFields kept' },
      kept.get('kube-ts'),
      runs.get('peer'),
    ),
  ];
}
