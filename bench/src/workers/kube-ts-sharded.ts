/** kube-ts sharded-controller task: one replica of a sharded Manager (scenario 10). */

import { Api } from '@kube-ts/client';
import { resources } from '@kube-ts/core';
import type { ConfigMap } from '@kube-ts/k8s/core/v1';
import {
  Action,
  Controller,
  LeaderElector,
  Manager,
  Reconciler,
  shardLabels,
} from '@kube-ts/runtime';
import { Subject } from 'rxjs';
import { BENCH_SELECTOR } from '../fixtures.js';
import { settledHeapUsed, type TaskOutcome, type WorkerContext } from './common.js';
import { type ClusterTask, clientOf } from './kube-ts-api.js';

type ShardedTask = ClusterTask & { kind: 'sharded' };

/** A reconciler that only counts. */
class Counter extends Reconciler<ConfigMap> {
  count = 0;

  override async reconcile(): Promise<Action> {
    this.count++;
    return Action.awaitChange();
  }
}

/**
 * Lease timing of the benchmark's replicas: longer than the defaults (15 s / 10 s / 2 s),
 * so that a loaded machine (every replica, the server and the parent on a few cores) does
 * not make a replica miss its renew deadline; what is measured is scale, not failover.
 */
const TIMING = { leaseDurationMs: 40_000, renewDeadlineMs: 30_000, retryPeriodMs: 2_000 };

/**
 * Joins the ring and, once told (`stop`, sent when every object is assigned), measures:
 * the objects of its shard, the median reconciles/s of full passes over them, and the
 * retained heap above the process's own before the Manager started (its caches: the
 * shard's ConfigMaps and, on the replica that leads, the sharder's metadata of every
 * object).
 */
export async function shardedReplica(task: ShardedTask, ctx: WorkerContext): Promise<TaskOutcome> {
  const baseline = await settledHeapUsed();
  const client = clientOf(task);
  const leases = Api.namespaced(client, resources.leases, task.namespace);
  const configMaps = Api.namespaced(client, resources.configMaps, task.namespace);
  const leaderElector = new LeaderElector(leases, {
    name: `${task.ring}-leader`,
    identity: task.identity,
    ...TIMING,
  });
  const manager = new Manager({
    port: 0,
    handleSignals: false,
    leaderElector,
    sharding: { ring: task.ring, leases, identity: task.identity, ...TIMING },
  });
  const trigger = new Subject<void>();
  const counter = new Counter();
  const controller = new Controller(configMaps, { labelSelector: BENCH_SELECTOR }).reconcileAllOn(
    trigger,
  );
  manager.addController('bench', controller, (c) => c.run(counter));
  // The Manager ends only when stopped, or when it lost a Lease: then the run failed.
  let ended: unknown;
  const running = manager.start().then(
    () => {
      ended ??= new Error('the manager stopped before the measurement');
    },
    (error: unknown) => {
      ended ??= error;
    },
  );
  /** Resolves once `check` holds, checking every `ms`; rejects when the Manager ended. */
  const until = async (check: () => boolean, ms = 100): Promise<void> => {
    while (!check()) {
      if (ended !== undefined) throw ended;
      await new Promise((r) => setTimeout(r, ms));
    }
  };
  try {
    ctx.ready();
    let told = false;
    void ctx.stopped.then(() => {
      told = true;
    });
    await until(() => told);
    // Every object is assigned: wait until this replica's store holds its shard, and has
    // reconciled each object once.
    const selector = `${BENCH_SELECTOR},${shardLabels(task.ring).shard}=${task.identity}`;
    const { items } = await configMaps.metadata().list({ labelSelector: selector });
    const objects = items.length;
    await until(() => controller.store.isReady && controller.store.list().length === objects);
    await until(() => counter.count >= objects);
    const rates: number[] = [];
    for (let pass = 0; pass < task.passes; pass++) {
      const from = counter.count;
      const started = performance.now();
      trigger.next();
      await until(() => counter.count >= from + objects, 5);
      rates.push((objects / (performance.now() - started)) * 1000);
    }
    rates.sort((a, b) => a - b);
    const heapBytes = (await settledHeapUsed()) - baseline;
    return {
      values: {
        objects,
        reconcilesPerSecond: rates[Math.floor(rates.length / 2)] ?? Number.NaN,
        heapMiB: heapBytes / 2 ** 20,
        sharder: leaderElector.isLeader ? 1 : 0,
      },
    };
  } finally {
    await manager.stop();
    await running;
    client.close();
  }
}
