import { Api, Client } from '@kube-ts/client';
import { resources } from '@kube-ts/core';
import type { Lease } from '@kube-ts/k8s/coordination/v1';
import type { ConfigMap } from '@kube-ts/k8s/core/v1';
import { useMemoryApiServer } from '@kube-ts/test-support';
import { pino } from 'pino';
import { Counter } from 'prom-client';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { Action } from '../controller/action.js';
import { Controller } from '../controller/controller.js';
import { Reconciler } from '../controller/reconciler.js';
import { LeaderElector } from '../leader/leader-elector.js';
import { readRecord } from '../leader/lease-record.js';
import { Manager } from './manager.js';
import type { ManagerOptions } from './options.js';
import type { Runnable } from './runnable.js';

const logger = pino({ level: 'silent' });
const WAIT = { timeout: 8_000, interval: 20 };
const FAST = { leaseDurationMs: 1_000, renewDeadlineMs: 600, retryPeriodMs: 100, logger };

let configMaps: Api<ConfigMap>;
let leases: Api<Lease>;
let n = 0;

const env = useMemoryApiServer(undefined, (server) => Client.fromKubeConfig(server.kubeConfig));

beforeAll(async () => {
  configMaps = Api.namespaced(env.client, resources.configMaps, 'default');
  leases = Api.namespaced(env.client, resources.leases, 'default');
});

function manager(opts: ManagerOptions = {}): Manager {
  return new Manager({ port: 0, handleSignals: false, logger, ...opts });
}

async function get(
  m: Manager,
  path: string,
): Promise<{ status: number; body: string; type: string }> {
  const res = await fetch(`http://127.0.0.1:${m.address?.port}${path}`);
  return {
    status: res.status,
    body: await res.text(),
    type: res.headers.get('content-type') ?? '',
  };
}

/** The value of one sample line of `/metrics` (undefined when absent). */
async function sample(m: Manager, series: string): Promise<number | undefined> {
  const { body } = await get(m, '/metrics');
  const line = body.split('\n').find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

/** Reconciles by the behaviour named in the ConfigMap's data.mode. */
class ModeReconciler extends Reconciler<ConfigMap> {
  calls = 0;
  #again = true;
  async reconcile(cm: ConfigMap): Promise<Action> {
    this.calls++;
    switch (cm.data?.mode) {
      case 'again': // once at once, then done
        if (!this.#again) return Action.awaitChange();
        this.#again = false;
        return Action.requeue(0);
      case 'fail':
        throw new Error('injected reconcile failure');
      case 'requeue':
        return Action.requeue(60_000);
      default:
        return Action.awaitChange();
    }
  }
  override errorPolicy(): Action {
    return Action.requeue(60_000);
  }
}

/** A runnable that runs until aborted, with a switchable readiness. */
function task(name: string, extra: Partial<Runnable> = {}) {
  const state = { ready: false, started: 0, aborted: false };
  const runnable: Runnable = {
    name,
    isReady: () => state.ready,
    start: (signal) =>
      new Promise<void>((resolve) => {
        state.started++;
        signal.addEventListener('abort', () => {
          state.aborted = true;
          resolve();
        });
      }),
    ...extra,
  };
  return { runnable, state };
}

describe('Manager over HTTP', () => {
  it('serves /healthz, 404 and 405', async () => {
    const m = manager();
    const done = m.start();
    await vi.waitFor(() => expect(m.address).toBeDefined(), WAIT);
    expect(m.address?.address).toBe('127.0.0.1');
    expect(await get(m, '/healthz')).toMatchObject({ status: 200, body: 'ok\n' });
    expect((await get(m, '/nope')).status).toBe(404);
    const post = await fetch(`http://127.0.0.1:${m.address?.port}/healthz`, { method: 'POST' });
    expect(post.status).toBe(405);
    await m.stop();
    await done;
    await expect(fetch(`http://127.0.0.1:${m.address?.port}/healthz`)).rejects.toThrow();
  });

  it('/readyz flips with the runnables and is 503 while shutting down', async () => {
    const m = manager();
    const t = task('cache');
    let release!: () => void;
    const slow: Runnable = {
      name: 'slow',
      start: (signal) =>
        new Promise<void>((resolve) => {
          signal.addEventListener('abort', () => {
            release = resolve;
          });
        }),
    };
    m.add(t.runnable).add(slow);
    const done = m.start();
    await vi.waitFor(() => expect(t.state.started).toBe(1), WAIT);
    expect(await get(m, '/readyz')).toMatchObject({ status: 503, body: 'not ready: cache\n' });
    t.state.ready = true;
    expect(await get(m, '/readyz')).toMatchObject({ status: 200, body: 'ok\n' });
    const stopping = m.stop();
    await vi.waitFor(() => expect(release).toBeDefined(), WAIT);
    expect(await get(m, '/readyz')).toMatchObject({
      status: 503,
      body: 'not ready: shutting down\n',
    });
    release();
    await stopping;
    await done;
  });

  it('metrics counters move after reconciles, under controller-runtime names', async () => {
    const label = `mgr-${n++}`;
    const reconciler = new ModeReconciler();
    const m = manager();
    m.addController(
      'configmap',
      new Controller(configMaps, { labelSelector: `t=${label}` }).withConfig({
        concurrency: 3,
        logger,
      }),
      (c) => c.run(reconciler),
    );
    const done = m.start();
    const c = 'controller="configmap"';
    await vi.waitFor(async () => expect((await get(m, '/readyz')).status).toBe(200), WAIT);
    expect(await sample(m, `controller_runtime_reconcile_total{${c},result="success"}`)).toBe(0);
    for (const mode of ['ok', 'fail', 'requeue', 'again']) {
      await configMaps.create({
        metadata: { name: `${label}-${mode}`, labels: { t: label } },
        data: { mode },
      });
    }
    await vi.waitFor(() => expect(reconciler.calls).toBe(5), WAIT);
    await vi.waitFor(
      async () =>
        expect(await sample(m, `controller_runtime_reconcile_time_seconds_count{${c}}`)).toBe(5),
      WAIT,
    );
    expect(await sample(m, `controller_runtime_reconcile_total{${c},result="success"}`)).toBe(2);
    expect(await sample(m, `controller_runtime_reconcile_total{${c},result="error"}`)).toBe(1);
    expect(await sample(m, `controller_runtime_reconcile_total{${c},result="requeue_after"}`)).toBe(
      1,
    );
    expect(await sample(m, `controller_runtime_reconcile_total{${c},result="requeue"}`)).toBe(1);
    expect(await sample(m, `controller_runtime_reconcile_errors_total{${c}}`)).toBe(1);
    expect(await sample(m, `controller_runtime_max_concurrent_reconciles{${c}}`)).toBe(3);
    expect(await sample(m, `controller_runtime_active_workers{${c}}`)).toBe(0);
    // 4 changes, the immediate requeue, and 2 requeues still pending (the requeue and the
    // error backoff).
    expect(await sample(m, 'workqueue_adds_total{name="configmap"}')).toBe(7);
    expect(await sample(m, 'workqueue_depth{name="configmap"}')).toBe(2);
    const { type, body } = await get(m, '/metrics');
    expect(type).toBe('text/plain; version=0.0.4; charset=utf-8');
    expect(body).toContain('# TYPE controller_runtime_reconcile_time_seconds histogram');
    expect(body).toContain(`controller_runtime_reconcile_time_seconds_bucket{le="+Inf",${c}} 5`);
    // client-go's work-queue families, labelled with the controller's name.
    const q = 'name="configmap"';
    expect(await sample(m, `workqueue_work_duration_seconds_count{${q}}`)).toBe(5);
    expect(await sample(m, `workqueue_queue_duration_seconds_count{${q}}`)).toBe(5);
    expect(await sample(m, `workqueue_retries_total{${q}}`)).toBe(0); // errorPolicy chose
    expect(await sample(m, `workqueue_unfinished_work_seconds{${q}}`)).toBe(0);
    expect(await sample(m, `workqueue_longest_running_processor_seconds{${q}}`)).toBe(0);
    expect(await sample(m, `kube_ts_reconcile_timeouts_total{${c}}`)).toBe(0);
    expect(await sample(m, `kube_ts_reconcile_abandoned{${c}}`)).toBe(0);
    // Your own metrics, in the same registry, on the same endpoint.
    new Counter({ name: 'my_operator_things_total', help: 'Things.', registers: [m.registry] }).inc(
      3,
    );
    expect(await sample(m, 'my_operator_things_total')).toBe(3);
    await m.stop();
    await done;
  });

  it('a controller (and its cached watch) is not ready until its main store has its initial list', async () => {
    const label = `mgr-${n++}`;
    const path = '/api/v1/namespaces/default/configmaps';
    env.server.faults.failNext(1_000, { method: 'GET', path }, 500);
    const m = manager();
    m.addController(
      'unlisted',
      new Controller(configMaps, { labelSelector: `t=${label}` }).withConfig({ logger }),
      (c) => c.run(new ModeReconciler()),
    );
    const done = m.start();
    try {
      await vi.waitFor(async () => expect((await get(m, '/readyz')).status).toBe(503), WAIT);
      expect((await get(m, '/readyz')).body).toBe(
        'not ready: unlisted\n' +
          `not ready: cache: configmaps (v1) in namespace 'default' labels 't=${label}' has not synced\n`,
      );
    } finally {
      env.server.faults.reset();
    }
    await vi.waitFor(async () => expect((await get(m, '/readyz')).status).toBe(200), WAIT);
    await m.stop();
    await done;
  });

  it('a port in use: start() rejects naming the address', async () => {
    const first = manager();
    const done = first.start();
    await vi.waitFor(() => expect(first.address).toBeDefined(), WAIT);
    const second = manager({ port: first.address?.port ?? 1 });
    await expect(second.start()).rejects.toThrow(
      /cannot serve probes and metrics on 127\.0\.0\.1:\d+ .*EADDRINUSE.*choose another host or port/,
    );
    await first.stop();
    await done;
  });

  it('stop() during start: the manager stops without starting runnables and closes its server', async () => {
    const m = manager();
    const t = task('never');
    m.add(t.runnable);
    const done = m.start();
    await m.stop();
    await done;
    expect(t.state.started).toBe(0);
    if (m.address !== undefined) {
      await expect(fetch(`http://127.0.0.1:${m.address.port}/healthz`)).rejects.toThrow();
    }
  });

  it('a failing runnable shuts the manager down and start() rejects naming it', async () => {
    const m = manager();
    const t = task('bystander');
    m.add(t.runnable).add({ name: 'broken', start: async () => Promise.reject(new Error('boom')) });
    await expect(m.start()).rejects.toThrow(/runnable 'broken' failed: Error: boom/);
    expect(t.state.aborted).toBe(true);
  });

  it('SIGTERM: in-flight reconciles finish, then start() resolves', async () => {
    const label = `mgr-${n++}`;
    let finish!: () => void;
    let finished = false;
    const gate = new Promise<void>((resolve) => {
      finish = resolve;
    });
    class Slow extends Reconciler<ConfigMap> {
      async reconcile(): Promise<Action> {
        await gate;
        finished = true;
        return Action.awaitChange();
      }
    }
    const listeners = process.listenerCount('SIGTERM');
    const m = new Manager({ port: 0, logger });
    m.addController(
      'slow',
      new Controller(configMaps, { labelSelector: `t=${label}` }).withConfig({ logger }),
      (c) => c.run(new Slow()),
    );
    let settled = false;
    const done = m.start().then(() => {
      settled = true;
    });
    await configMaps.create({ metadata: { name: label, labels: { t: label } } });
    await vi.waitFor(
      async () =>
        expect(await sample(m, 'controller_runtime_active_workers{controller="slow"}')).toBe(1),
      WAIT,
    );
    process.emit('SIGTERM');
    await new Promise((r) => setTimeout(r, 50));
    expect(settled).toBe(false); // waiting for the reconcile in progress
    finish();
    await done;
    expect(finished).toBe(true);
    expect(process.listenerCount('SIGTERM')).toBe(listeners); // handlers removed
  });
});

describe('Manager signals', () => {
  it('SIGINT then SIGTERM: the second signal stops waiting for runnables; start() rejects saying so', async () => {
    const stubborn: Runnable = { name: 'stubborn', start: () => new Promise<void>(() => {}) };
    const m = new Manager({ port: 0, logger }).add(stubborn);
    const done = m.start();
    await vi.waitFor(() => expect(m.address).toBeDefined(), WAIT);
    process.emit('SIGINT');
    await vi.waitFor(async () => expect((await get(m, '/readyz')).status).toBe(503), WAIT);
    process.emit('SIGTERM');
    await expect(done).rejects.toThrow(/a second signal ended the shutdown/);
  });
});

describe('Manager with leader election', () => {
  function elected(name: string, identity: string, opts: ManagerOptions = {}) {
    const elector = new LeaderElector(leases, { name, identity, ...FAST });
    const t = task(`work-${identity}`);
    const m = manager({ leaderElector: elector, ...opts }).add(t.runnable);
    return { m, t, elector };
  }

  it('runs controllers only on the leader; stopping it releases the lease and the standby takes over', async () => {
    const lease = `mgr-lease-${n++}`;
    const a = elected(lease, 'a');
    const b = elected(lease, 'b');
    const everyone = task('everywhere', { needsLeaderElection: false });
    b.m.add(everyone.runnable);
    const aDone = a.m.start();
    await vi.waitFor(() => expect(a.t.state.started).toBe(1), WAIT);
    const bDone = b.m.start();
    await vi.waitFor(() => expect(everyone.state.started).toBe(1), WAIT);
    expect(await sample(a.m, `leader_election_master_status{name="${lease}"}`)).toBe(1);
    expect(await sample(b.m, `leader_election_master_status{name="${lease}"}`)).toBe(0);
    expect((await get(b.m, '/readyz')).status).toBe(503); // 'everywhere' is not ready
    everyone.state.ready = true;
    expect((await get(b.m, '/readyz')).status).toBe(200); // a standby is ready
    expect(b.t.state.started).toBe(0);
    await a.m.stop();
    await aDone;
    expect(a.t.state.aborted).toBe(true);
    expect(readRecord(await leases.get(lease)).holderIdentity).toBe('');
    await vi.waitFor(() => expect(b.t.state.started).toBe(1), WAIT);
    expect(await sample(b.m, `leader_election_master_status{name="${lease}"}`)).toBe(1);
    await b.m.stop();
    await bDone;
    expect(readRecord(await leases.get(lease)).holderIdentity).toBe('');
  });

  it('losing leadership stops the controllers and start() rejects', async () => {
    const lease = `mgr-lease-${n++}`;
    const a = elected(lease, 'a');
    const done = a.m.start();
    await vi.waitFor(() => expect(a.t.state.started).toBe(1), WAIT);
    env.server.faults.failNext(
      1_000,
      { method: 'PUT', path: `/apis/coordination.k8s.io/v1/namespaces/default/leases/${lease}` },
      500,
    );
    await expect(done).rejects.toThrow(/lost leadership of lease 'mgr-lease-\d+'/);
    env.server.faults.reset();
    expect(a.t.state.aborted).toBe(true);
    expect(a.elector.isLeader).toBe(false);
  });

  it('runnables still running at the deadline: the lease is not released and start() rejects', async () => {
    const lease = `mgr-lease-${n++}`;
    const elector = new LeaderElector(leases, { name: lease, identity: 'a', ...FAST });
    const stubborn: Runnable = { name: 'stubborn', start: () => new Promise<void>(() => {}) };
    const m = manager({ leaderElector: elector, shutdownTimeoutMs: 100 }).add(stubborn);
    const done = m.start();
    await vi.waitFor(() => expect(elector.isLeader).toBe(true), WAIT);
    await m.stop();
    await expect(done).rejects.toThrow(/shutdown deadline of 100 ms passed/);
    expect(readRecord(await leases.get(lease)).holderIdentity).toBe('a');
  });
});
