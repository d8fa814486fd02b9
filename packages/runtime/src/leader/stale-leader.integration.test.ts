import { Api, Client } from '@kube-ts/client';
import { resources } from '@kube-ts/core';
import type { Lease } from '@kube-ts/k8s/coordination/v1';
import type { ConfigMap } from '@kube-ts/k8s/core/v1';
import { useMemoryApiServer } from '@kube-ts/test-support';
import { pino } from 'pino';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { Action } from '../controller/action.js';
import { Controller } from '../controller/controller.js';
import { Reconciler } from '../controller/reconciler.js';
import { Manager } from '../manager/manager.js';
import { LeaderElector } from './leader-elector.js';

const logger = pino({ level: 'silent' });
const FAST = { leaseDurationMs: 1_000, renewDeadlineMs: 600, retryPeriodMs: 100, logger };

let configMaps: Api<ConfigMap>;
let leases: Api<Lease>;

const env = useMemoryApiServer(undefined, (server) => Client.fromKubeConfig(server.kubeConfig));

beforeAll(async () => {
  configMaps = Api.namespaced(env.client, resources.configMaps, 'default');
  leases = Api.namespaced(env.client, resources.leases, 'default');
});

/**
 * Freezes this thread for `ms` (no timer, no IO callback runs meanwhile), as SIGSTOP, a
 * frozen cgroup or a long GC pause would; returns the monotonic time it resumed at.
 */
function freezeEventLoop(ms: number): number {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
  return performance.now();
}

/** Requeues every object every 20 ms and records when each reconcile started. */
class BusyReconciler extends Reconciler<ConfigMap> {
  readonly starts: number[] = [];
  async reconcile(): Promise<Action> {
    this.starts.push(performance.now());
    return Action.requeue(20);
  }
}

describe('a leader paused longer than its lease', () => {
  it('starts no reconcile when it resumes: it steps down first', async () => {
    for (const name of ['stale-a', 'stale-b', 'stale-c']) {
      await configMaps.create({ metadata: { name, labels: { t: 'stale' } } });
    }
    const elector = new LeaderElector(leases, { name: 'stale-leader', ...FAST });
    const reconciler = new BusyReconciler();
    const manager = new Manager({ leaderElector: elector, port: 0, handleSignals: false, logger });
    manager.addController(
      'configmap',
      new Controller(configMaps, { labelSelector: 't=stale' }).withConfig({ logger }),
      (c) => c.run(reconciler),
    );
    const outcome = manager.start().then(
      () => undefined,
      (error: unknown) => error,
    );
    await vi.waitFor(() => expect(reconciler.starts.length).toBeGreaterThan(20), {
      timeout: 8_000,
      interval: 10,
    });
    // Longer than the lease: another replica may hold it by now.
    const resumedAt = freezeEventLoop(FAST.leaseDurationMs + 500);
    const failure = await outcome;
    expect(reconciler.starts.filter((t) => t >= resumedAt)).toEqual([]);
    expect(failure).toBeInstanceOf(Error);
    expect(String(failure)).toContain("lost leadership of lease 'stale-leader'");
    expect(elector.isLeader).toBe(false);
  });
});
