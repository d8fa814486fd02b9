/**
 * Measured process for kube-ts. Each task loads only the modules it needs: the cache
 * tasks (`watcher` → `reflector` → `createStore`), the controller tasks (`Controller`), the
 * shared-cache task (two `Controller`s on one `Cache`), a sharded `Manager`'s replica, or
 * the `Scheduler` alone.
 */
import { Client } from '@kube-ts/client';
import type { Task } from '../protocol.js';
import { serveTask, type TaskOutcome, type WorkerContext, warmKubeconfig } from './common.js';

/**
 * The module a task runs in (imported before the task starts, see `serveTask`), with the
 * task's kubeconfig read once (see `warmKubeconfig`).
 */
async function load(task: Task) {
  warmKubeconfig(task, (path) => Client.fromDefault({ path }).close());
  switch (task.kind) {
    case 'sync':
    case 'ingest':
      return import('./kube-ts-store.js');
    case 'latency':
    case 'dispatch':
      return import('./kube-ts-controller.js');
    case 'shared':
      return import('./kube-ts-shared.js');
    case 'sharded':
      return import('./kube-ts-sharded.js');
    case 'scheduler':
      return import('./scheduler.js');
  }
}

async function handle(task: Task, ctx: WorkerContext): Promise<TaskOutcome> {
  switch (task.kind) {
    case 'sync':
    case 'ingest':
      return (await import('./kube-ts-store.js')).syncStore(task, ctx);
    case 'latency':
      return (await import('./kube-ts-controller.js')).latency(task, ctx);
    case 'dispatch':
      return (await import('./kube-ts-controller.js')).dispatch(task);
    case 'shared':
      return (await import('./kube-ts-shared.js')).sharedCache(task, ctx);
    case 'sharded':
      return (await import('./kube-ts-sharded.js')).shardedReplica(task, ctx);
    case 'scheduler':
      return (await import('./scheduler.js')).runSchedulerTask(task);
  }
}

serveTask(handle, load);
