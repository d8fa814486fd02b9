/** kube-ts controller tasks: write→reconcile latency and reconcile dispatch rate. */

import type { ConfigMap } from '@kube-ts/k8s/core/v1';
import { Action, Controller, Reconciler } from '@kube-ts/runtime';
import { Subject } from 'rxjs';
import { WRITTEN_AT, wallClockMs } from '../fixtures.js';
import { dispatchKey } from '../protocol.js';
import { ChunkClock } from './chunk-clock.js';
import { type TaskOutcome, type WorkerContext, writtenAtOf } from './common.js';
import { type ClusterTask, configMapApi } from './kube-ts-api.js';

/** A reconciler that does nothing but call `onReconcile` with the object. */
class Probe extends Reconciler<ConfigMap> {
  constructor(private readonly onReconcile: (obj: ConfigMap) => void) {
    super();
  }

  override async reconcile(obj: ConfigMap): Promise<Action> {
    this.onReconcile(obj);
    return Action.awaitChange();
  }
}

/**
 * Records write→reconcile-start latencies after the initial pass, and the part of each from
 * the arrival of the chunk that carried the update, until told to stop.
 */
export async function latency(task: ClusterTask, ctx: WorkerContext): Promise<TaskOutcome> {
  const latencies: number[] = [];
  const client: number[] = [];
  const clock = new ChunkClock();
  clock.install();
  let readyAt = Number.POSITIVE_INFINITY;
  let initial = 0;
  let onInitialPass: () => void = () => {};
  const initialPass = new Promise<void>((r) => {
    onInitialPass = r;
  });
  const probe = new Probe((obj) => {
    const now = wallClockMs();
    const raw = obj.metadata?.annotations?.[WRITTEN_AT];
    const sinceChunk = clock.sinceArrivalOf(raw);
    const at = writtenAtOf(obj.metadata?.annotations, WRITTEN_AT);
    if (at > readyAt) {
      latencies.push(now - at);
      if (Number.isFinite(sinceChunk)) client.push(sinceChunk);
    } else if (++initial === task.objects) onInitialPass();
  });
  const sub = new Controller(configMapApi(task)).run(probe, undefined).subscribe();
  await initialPass;
  readyAt = wallClockMs();
  ctx.ready();
  await ctx.stopped;
  sub.unsubscribe();
  return { values: { count: latencies.length }, samples: latencies, clientSamples: client };
}

/**
 * Reconciles per second of full passes of a no-op reconciler, for each of the task's
 * concurrencies in turn (a fresh Controller each). Unbounded (0) is `Infinity`.
 */
export async function dispatch(task: ClusterTask & { kind: 'dispatch' }): Promise<TaskOutcome> {
  const values: Record<string, number> = {};
  for (const concurrency of task.concurrency) {
    values[dispatchKey(concurrency)] = await dispatchAt(task, concurrency);
  }
  return { values };
}

/** Median reconciles/s over the passes after the first, at one concurrency. */
async function dispatchAt(
  task: ClusterTask & { kind: 'dispatch' },
  concurrency: number,
): Promise<number> {
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
  const controller = new Controller(configMapApi(task)).reconcileAllOn(trigger).withConfig({
    concurrency: concurrency === 0 ? Number.POSITIVE_INFINITY : concurrency,
  });
  const sub = controller.run(probe, undefined).subscribe((result) => {
    if (!result.ok) onFailure(new Error(`reconcile failed: ${String(result.error)}`));
    else if (++done === task.objects) onPass(performance.now() - passStart);
  });
  const rates: number[] = [];
  try {
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
  } finally {
    sub.unsubscribe();
  }
  rates.sort((a, b) => a - b);
  return rates[Math.floor(rates.length / 2)] ?? Number.NaN;
}
