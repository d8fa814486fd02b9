/**
 * Measured process for kube-ts: `watcher` → `reflector` → `createStore` for the cache
 * scenarios, `Controller` for dispatch and latency, `Scheduler` alone for the scheduler.
 */
import { Api, Client } from '@kube-ts/client';
import { resources } from '@kube-ts/core';
import { Action, Controller, createStore, Reconciler, reflector, watcher } from '@kube-ts/runtime';
import { KubeConfig, type V1ConfigMap } from '@kubernetes/client-node';
import { Subject } from 'rxjs';
import { WRITTEN_AT, wallClockMs } from '../fixtures.js';
import type { Task } from '../protocol.js';
import {
  cpuMs,
  peakRssMiB,
  serveTask,
  settledHeapUsed,
  type TaskOutcome,
  UpdateCounter,
  type WorkerContext,
  writtenAtOf,
} from './common.js';
import { runSchedulerTask } from './scheduler.js';

type ClusterTask = Exclude<Task, { kind: 'scheduler' }>;

function configMapApi(task: ClusterTask): Api<V1ConfigMap> {
  const kc = new KubeConfig();
  kc.loadFromFile(task.kubeconfig);
  return Api.namespaced(Client.fromKubeConfig(kc), resources.configMaps, task.namespace);
}

async function syncStore(
  task: ClusterTask & { kind: 'sync' | 'ingest' },
  ctx: WorkerContext,
): Promise<TaskOutcome> {
  const heapBefore = task.kind === 'sync' && task.heap ? await settledHeapUsed() : 0;
  const cpu0 = cpuMs();
  const t0 = performance.now();
  const api = configMapApi(task);
  const { reader, writer } = createStore<V1ConfigMap>(
    task.kind === 'sync' && task.heap === 'keepManagedFields'
      ? { transform: (o: V1ConfigMap) => o }
      : {},
  );
  const counter = new UpdateCounter(task.kind === 'ingest' ? task.updates : 0);
  const sub = reflector(writer, watcher(api)).subscribe((event) => {
    if (event.type === 'Applied') counter.hit();
  });
  await reader.waitUntilReady();
  const syncMs = performance.now() - t0;
  if (reader.size !== task.objects)
    throw new Error(`store holds ${reader.size} objects, expected ${task.objects}`);

  if (task.kind === 'ingest') {
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
    sub.unsubscribe();
    const heapAfter = await settledHeapUsed();
    values.heapPerObjectBytes = (heapAfter - heapBefore) / reader.size;
    // Keep the store alive until after the measurement.
    values.cached = reader.list().length;
  }
  return { values };
}

/** A reconciler that does nothing but call `onReconcile` with the object. */
class Probe extends Reconciler<V1ConfigMap> {
  constructor(private readonly onReconcile: (obj: V1ConfigMap) => void) {
    super();
  }

  override async reconcile(obj: V1ConfigMap): Promise<Action> {
    this.onReconcile(obj);
    return Action.awaitChange();
  }
}

async function latency(task: ClusterTask, ctx: WorkerContext): Promise<TaskOutcome> {
  const latencies: number[] = [];
  let readyAt = Number.POSITIVE_INFINITY;
  let initial = 0;
  let onInitialPass: () => void = () => {};
  const initialPass = new Promise<void>((r) => {
    onInitialPass = r;
  });
  const probe = new Probe((obj) => {
    const now = wallClockMs();
    const at = writtenAtOf(obj.metadata?.annotations, WRITTEN_AT);
    if (at > readyAt) latencies.push(now - at);
    else if (++initial === task.objects) onInitialPass();
  });
  const sub = new Controller(configMapApi(task)).run(probe, undefined).subscribe();
  await initialPass;
  readyAt = wallClockMs();
  ctx.ready();
  await ctx.stopped;
  sub.unsubscribe();
  return { values: { count: latencies.length }, samples: latencies };
}

async function dispatch(task: ClusterTask & { kind: 'dispatch' }): Promise<TaskOutcome> {
  const trigger = new Subject<void>();
  let started = 0;
  let done = 0;
  let passStart = 0;
  let onPass: (ms: number) => void = () => {};
  let onFailure: (err: Error) => void = () => {};
  const failed = new Promise<never>((_, reject) => {
    onFailure = reject;
  });
  const probe = new Probe(() => {
    if (started++ === 0) passStart = performance.now();
  });
  const controller = new Controller(configMapApi(task))
    .reconcileAllOn(trigger)
    .withConfig({ concurrency: task.concurrency });
  const sub = controller.run(probe, undefined).subscribe((result) => {
    if (!result.ok) onFailure(new Error(`reconcile failed: ${String(result.error)}`));
    else if (++done === task.objects) onPass(performance.now() - passStart);
  });
  const rates: number[] = [];
  for (let pass = 0; pass < task.passes; pass++) {
    const passDone = new Promise<number>((r) => {
      onPass = r;
    });
    started = 0;
    done = 0;
    if (pass > 0) trigger.next();
    const elapsed = await Promise.race([passDone, failed]);
    // The first pass also waits for the initial list; only later passes are pure dispatch.
    if (pass > 0) rates.push((task.objects / elapsed) * 1000);
  }
  sub.unsubscribe();
  rates.sort((a, b) => a - b);
  return { values: { reconcilesPerSecond: rates[Math.floor(rates.length / 2)] ?? Number.NaN } };
}

async function handle(task: Task, ctx: WorkerContext): Promise<TaskOutcome> {
  switch (task.kind) {
    case 'sync':
    case 'ingest':
      return syncStore(task, ctx);
    case 'latency':
      return latency(task, ctx);
    case 'dispatch':
      return dispatch(task);
    case 'scheduler':
      return runSchedulerTask(task);
  }
}

serveTask(handle);
