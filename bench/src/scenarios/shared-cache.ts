import type { Figure } from '../figure.js';
import { figureOf, measure, type SubjectRuns } from '../measure.js';
import type { Subject } from '../protocol.js';
import type { ScenarioContext } from './context.js';

/**
 * Scenario 9, the Manager's shared cache and metadata-only ownership (issue 15):
 *
 * - two controllers that both own the benchmark ConfigMaps: the ConfigMap watches the
 *   server has open with both running (counted by the server: MemoryApiServer's
 *   `openWatchesOf`, kube-apiserver's `apiserver_longrunning_requests`, less what was open
 *   before), and the retained heap of the first and of the second controller's view, per
 *   object. kube-ts: two `Controller`s on one `Cache`; the peer: an informer each.
 * - retained heap per cached Pod, full and metadata-only (`PartialObjectMetadata`):
 *   kube-ts's watcher through `api.metadata()` and the floor with the same `Accept` header;
 *   client-node has no metadata-only informer, so its column is full Pods.
 */
export async function sharedCacheScenario(ctx: ScenarioContext): Promise<Figure[]> {
  return [...(await sharedWatch(ctx)), ...(await metadataOnly(ctx))];
}

async function sharedWatch(ctx: ScenarioContext): Promise<Figure[]> {
  const objects = ctx.sizes.memoryObjects;
  const namespace = await ctx.dataset('cache', objects);
  const scenario = `9 two controllers own ConfigMaps (${objects})`;
  const baseline = await ctx.backend.watchesOf('', 'configmaps');
  const watches = new Map<Subject, number[]>();
  const runs = await measure({
    label: `[${ctx.backend.name}] ${scenario}`,
    subjects: ['kube-ts', 'peer'],
    runs: ctx.runs,
    task: () => ({ kind: 'shared', kubeconfig: ctx.backend.kubeconfigPath, namespace, objects }),
    hooks: (subject) => ({
      onReady: async (_child, stop) => {
        const open = (await ctx.backend.watchesOf('', 'configmaps')) - baseline;
        watches.set(subject, [...(watches.get(subject) ?? []), open]);
        stop();
      },
    }),
  });
  const counted = (subject: Subject): SubjectRuns => ({
    results: (watches.get(subject) ?? []).map((n) => ({ values: { watches: n } })),
    errors: [],
  });
  const base = { backend: ctx.backend.name, scenario };
  const heap = { unit: 'bytes/object', better: 'lower' as const };
  return [
    figureOf(
      base,
      {
        metric: 'ConfigMap watches on the server',
        unit: 'watches',
        better: 'lower',
        key: 'watches',
      },
      counted('kube-ts'),
      counted('peer'),
    ),
    figureOf(
      base,
      { ...heap, metric: "heap of the first controller's view", key: 'firstViewBytesPerObject' },
      runs.get('kube-ts'),
      runs.get('peer'),
    ),
    figureOf(
      base,
      { ...heap, metric: "heap of the second controller's view", key: 'secondViewBytesPerObject' },
      runs.get('kube-ts'),
      runs.get('peer'),
    ),
  ];
}

async function metadataOnly(ctx: ScenarioContext): Promise<Figure[]> {
  const objects = ctx.sizes.podObjects;
  const namespace = await ctx.dataset('pods', objects);
  const scenario = `9 owned Pods, full or metadata-only (${objects})`;
  const label = `[${ctx.backend.name}] ${scenario}`;
  const task = (metadata: boolean) => ({
    kind: 'sync' as const,
    kubeconfig: ctx.backend.kubeconfigPath,
    namespace,
    objects,
    heap: 'default' as const,
    resource: 'pods' as const,
    ...(metadata ? { metadataOnly: true } : {}),
  });
  const full = await measure({
    label: `${label} full`,
    subjects: ['kube-ts', 'peer', 'floor'],
    runs: ctx.runs,
    task: () => task(false),
  });
  const meta = await measure({
    label: `${label} metadata-only`,
    subjects: ['kube-ts', 'floor'],
    runs: ctx.runs,
    task: () => task(true),
  });
  const base = { backend: ctx.backend.name, scenario };
  const metric = {
    unit: 'bytes/object',
    better: 'lower' as const,
    key: 'heapPerObjectWatchOpenBytes',
  };
  return [
    figureOf(
      base,
      { ...metric, metric: 'heap per Pod, full' },
      full.get('kube-ts'),
      full.get('peer'),
      undefined,
      full.get('floor'),
    ),
    figureOf(
      base,
      { ...metric, metric: 'heap per Pod, metadata-only' },
      meta.get('kube-ts'),
      full.get('peer'),
      'peer: full Pods (client-node has no metadata-only informer); floor: metadata-only',
      meta.get('floor'),
    ),
  ];
}
