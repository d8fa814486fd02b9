/** kube-ts cache tasks: `watcher` → `reflector` → `createStore`. */

import type { KubeObject } from '@kube-ts/core';
import { createStore, dropManagedFields, keepAll, reflector, watcher } from '@kube-ts/runtime';
import { BENCH_SELECTOR } from '../fixtures.js';
import {
  cpuMs,
  peakRssMiB,
  settledHeapUsed,
  type TaskOutcome,
  UpdateCounter,
  type WorkerContext,
} from './common.js';
import { type ClusterTask, cachedApi } from './kube-ts-api.js';

/**
 * `sync` (time to a ready store, peak RSS, optionally retained heap per object) and
 * `ingest` (update events per second and CPU per event once synced).
 */
/** Runs a `sync` or `ingest` task. */
export async function syncStore(
  task: ClusterTask & { kind: 'sync' | 'ingest' },
  ctx: WorkerContext,
): Promise<TaskOutcome> {
  const heapBefore = task.kind === 'sync' && task.heap ? await settledHeapUsed() : 0;
  const cpu0 = cpuMs();
  const t0 = performance.now();
  const api = cachedApi(task);
  const keep = task.kind === 'sync' && task.heap === 'keepManagedFields';
  const { reader, writer } = createStore<KubeObject>(keep ? { transform: keepAll } : {});
  const counter = new UpdateCounter(task.kind === 'ingest' ? task.updates : 0);
  const sub = reflector(
    writer,
    // The store's ingest transform given to the watcher too, as `Controller` and `Cache` do
    // (docs/watcher.md): each listed page is transformed as it arrives.
    watcher(api, {
      labelSelector: BENCH_SELECTOR,
      ...(keep ? {} : { transform: dropManagedFields }),
      ...(task.pageSize ? { pageSize: task.pageSize } : {}),
    }),
  ).subscribe({
    next: (event) => {
      if (event.type === 'Applied') counter.hit();
      // The watcher recovers by itself; say so, since a benchmark run should see none.
      else if (event.type === 'Error')
        process.stderr.write(`kube-ts watcher: ${event.error.message}\n`);
    },
    error: (err: unknown) => process.stderr.write(`kube-ts reflector failed: ${String(err)}\n`),
  });
  await reader.waitUntilReady();
  const syncMs = performance.now() - t0;
  if (reader.size !== task.objects)
    throw new Error(`store holds ${reader.size} objects, expected ${task.objects}`);

  if (task.kind === 'ingest') {
    // Collect the sync's garbage first, so the ingest's CPU time is the ingest's own.
    await settledHeapUsed();
    counter.start();
    ctx.ready();
    const { elapsedMs, cpuMs: cpu } = await counter.done;
    sub.unsubscribe();
    return {
      values: {
        eventsPerSecond: ((task.updates - 1) / elapsedMs) * 1000,
        cpuUsPerEvent: (cpu / task.updates) * 1000,
      },
    };
  }
  const values: Record<string, number> = {
    syncMs,
    peakRssMiB: peakRssMiB(),
    syncCpuMs: cpuMs() - cpu0,
  };
  if (task.heap) {
    // With the watch still open (as in a running operator), then after stopping it.
    values.heapPerObjectWatchOpenBytes = ((await settledHeapUsed()) - heapBefore) / reader.size;
    sub.unsubscribe();
    const heapAfter = await settledHeapUsed();
    values.heapPerObjectBytes = (heapAfter - heapBefore) / reader.size;
    // Keep the store alive until after the measurement.
    values.cached = reader.list().length;
  }
  return { values };
}
