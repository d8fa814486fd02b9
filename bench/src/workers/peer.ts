/**
 * Measured process for the peer: @kubernetes/client-node's informer (`makeInformer`, a
 * `ListWatch` over the typed `listNamespacedConfigMap` or `listNamespacedPod`), used the
 * way its README shows. It has no shared cache (two controllers: two informers) and no
 * metadata-only informer.
 */
import {
  CoreV1Api,
  KubeConfig,
  type KubernetesObject,
  makeInformer,
} from '@kubernetes/client-node';
import { BENCH_SELECTOR, WRITTEN_AT, wallClockMs } from '../fixtures.js';
import type { ClusterTask, Task } from '../protocol.js';
import { measureTwoViews } from '../two-views.js';
import { ChunkClock } from './chunk-clock.js';
import {
  cpuMs,
  peakRssMiB,
  serveTask,
  settledHeapUsed,
  type TaskOutcome,
  UpdateCounter,
  type WorkerContext,
  warmKubeconfig,
  writtenAtOf,
} from './common.js';

function informerFor(task: ClusterTask) {
  const { kubeconfig, namespace } = task;
  const kc = new KubeConfig();
  kc.loadFromFile(kubeconfig);
  // client-node refuses plain http unless skipTLSVerify is set (MemoryApiServer serves http).
  kc.loadFromOptions({
    clusters: kc.clusters.map((c) =>
      c.server.startsWith('http:') ? { ...c, skipTLSVerify: true } : c,
    ),
    users: kc.users,
    contexts: kc.contexts,
    currentContext: kc.currentContext,
  });
  const core = kc.makeApiClient(CoreV1Api);
  const query = { namespace, labelSelector: BENCH_SELECTOR };
  const resource = task.resource ?? 'configmaps';
  return makeInformer<KubernetesObject>(
    kc,
    `/api/v1/namespaces/${namespace}/${resource}`,
    resource === 'pods'
      ? () => core.listNamespacedPod(query)
      : () => core.listNamespacedConfigMap(query),
    BENCH_SELECTOR,
  );
}

/** Two controllers that own the ConfigMaps: an informer each (see `protocol.ts`). */
async function shared(task: ClusterTask, ctx: WorkerContext): Promise<TaskOutcome> {
  let first: ReturnType<typeof informerFor> | undefined;
  let second: ReturnType<typeof informerFor> | undefined;
  const values = await measureTwoViews(
    {
      startFirst: async () => {
        first = informerFor(task);
        await first.start();
        return first.list(task.namespace).length;
      },
      startSecond: () => {
        second = informerFor(task);
        return second.start();
      },
      cached: () => (first?.list().length ?? 0) + (second?.list().length ?? 0),
    },
    task.objects,
    ctx,
  );
  await first?.stop();
  await second?.stop();
  return { values };
}

async function handle(task: Task, ctx: WorkerContext): Promise<TaskOutcome> {
  if (task.kind === 'dispatch' || task.kind === 'scheduler' || task.kind === 'sharded') {
    throw new Error(`the peer has no equivalent of the ${task.kind} scenario`);
  }
  if (task.metadataOnly) throw new Error('the peer has no metadata-only informer');
  if (task.kind === 'shared') return shared(task, ctx);
  const heapBefore = task.kind === 'sync' && task.heap ? await settledHeapUsed() : 0;
  const cpu0 = cpuMs();
  const t0 = performance.now();
  const informer = informerFor(task);
  let failure: unknown;
  informer.on('error', (err) => {
    failure = err;
  });
  const counter = new UpdateCounter(task.kind === 'ingest' ? task.updates : 0);
  const latencies: number[] = [];
  const client: number[] = [];
  if (task.kind === 'ingest') informer.on('update', () => counter.hit());
  if (task.kind === 'latency') {
    const clock = new ChunkClock();
    clock.install();
    informer.on('update', (obj) => {
      const now = wallClockMs();
      const sinceChunk = clock.sinceArrivalOf(obj.metadata?.annotations?.[WRITTEN_AT]);
      const at = writtenAtOf(obj.metadata?.annotations, WRITTEN_AT);
      if (Number.isFinite(at)) {
        latencies.push(now - at);
        if (Number.isFinite(sinceChunk)) client.push(sinceChunk);
      }
    });
  }
  // start() resolves once the list is cached and the watch is open: the store is ready.
  await informer.start();
  if (failure) throw failure;
  const syncMs = performance.now() - t0;
  const size = informer.list(task.namespace).length;
  if (size !== task.objects)
    throw new Error(`informer holds ${size} objects, expected ${task.objects}`);

  switch (task.kind) {
    case 'sync': {
      const values: Record<string, number> = {
        syncMs,
        peakRssMiB: peakRssMiB(),
        syncCpuMs: cpuMs() - cpu0,
      };
      if (task.heap) {
        // With the watch still open (as in a running operator), then after stopping it.
        values.heapPerObjectWatchOpenBytes = ((await settledHeapUsed()) - heapBefore) / size;
        await informer.stop();
        const heapAfter = await settledHeapUsed();
        values.heapPerObjectBytes = (heapAfter - heapBefore) / size;
        // Keep the cache alive until after the measurement.
        values.cached = informer.list().length;
      }
      return { values };
    }
    case 'ingest': {
      // Collect the sync's garbage first, so the ingest's CPU time is the ingest's own.
      await settledHeapUsed();
      counter.start();
      ctx.ready();
      const { elapsedMs, cpuMs: cpu } = await counter.done;
      await informer.stop();
      return {
        values: {
          eventsPerSecond: ((task.updates - 1) / elapsedMs) * 1000,
          cpuUsPerEvent: (cpu / task.updates) * 1000,
        },
      };
    }
    case 'latency': {
      ctx.ready();
      await ctx.stopped;
      await informer.stop();
      return { values: { count: latencies.length }, samples: latencies, clientSamples: client };
    }
  }
}

serveTask(handle, async (task) => {
  warmKubeconfig(task, (path) => new KubeConfig().loadFromFile(path));
});
