/**
 * kube-ts `shared` task: two controllers that both own the benchmark ConfigMaps, on one
 * `Cache` (what `Manager.addController` gives its controllers: `withCache(manager.cache)`).
 * Each controller's main resource is a Secret selector that matches nothing, so its own
 * watch is of another resource and its store stays empty; what is measured is the owned
 * ConfigMaps.
 */
import { Api } from '@kube-ts/client';
import { type KubeObject, resources } from '@kube-ts/core';
import { Action, Cache, Controller, Reconciler } from '@kube-ts/runtime';
import type { Subscription } from 'rxjs';
import { BENCH_SELECTOR } from '../fixtures.js';
import { measureTwoViews } from '../two-views.js';
import type { TaskOutcome, WorkerContext } from './common.js';
import { type ClusterTask, clientOf } from './kube-ts-api.js';

class Idle extends Reconciler<KubeObject> {
  override async reconcile(): Promise<Action> {
    return Action.awaitChange();
  }
}

/** Runs a `shared` task (see `protocol.ts`). */
export async function sharedCache(task: ClusterTask, ctx: WorkerContext): Promise<TaskOutcome> {
  const client = clientOf(task);
  const secrets = Api.namespaced(client, resources.secrets, task.namespace);
  const configMaps = Api.namespaced(client, resources.configMaps, task.namespace);
  const cache = new Cache();
  const start = (role: string): Subscription =>
    new Controller(secrets, { labelSelector: `bench.kube-ts.dev/controller=${role}` })
      .owns(configMaps, { labelSelector: BENCH_SELECTOR })
      .withCache(cache)
      .run(new Idle(), undefined)
      .subscribe();
  const owned = () => cache.list(resources.configMaps, { namespace: task.namespace }).length;

  let first: Subscription | undefined;
  let second: Subscription | undefined;
  const values = await measureTwoViews(
    {
      startFirst: async () => {
        first = start('a');
        await cache.waitUntilReady();
        return owned();
      },
      startSecond: async () => {
        second = start('b');
        await cache.waitUntilReady();
      },
      cached: owned,
    },
    task.objects,
    ctx,
  );
  first?.unsubscribe();
  second?.unsubscribe();
  cache.stop();
  client.close();
  return { values };
}
