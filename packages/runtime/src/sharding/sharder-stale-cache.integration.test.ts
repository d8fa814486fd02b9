/**
 * The sharder on MemoryApiServer when its watches fall behind (a frozen connection) or its
 * writes are refused: it still fences an expired shard, counts and logs the refusals, and
 * assigns an object its watch never delivered.
 */
import { Writable } from 'node:stream';
import { Api, Client, Patch } from '@kube-ts/client';
import { resources } from '@kube-ts/core';
import type { Lease } from '@kube-ts/k8s/coordination/v1';
import type { ConfigMap } from '@kube-ts/k8s/core/v1';
import { pino } from 'pino';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { useMemoryServer } from '../cache/memory-server.test-helper.js';
import { Action } from '../controller/action.js';
import { Controller } from '../controller/controller.js';
import { Reconciler } from '../controller/reconciler.js';
import { LeaderElector } from '../leader/leader-elector.js';
import { Manager } from '../manager/manager.js';
import { microTime } from '../micro-time.js';
import { RING_LABEL, shardLabels, shardLeaseName } from './labels.js';

const RING = 'cms';
const labels = shardLabels(RING);
const TIMING = { leaseDurationMs: 20_000, renewDeadlineMs: 15_000, retryPeriodMs: 1_000 };
const WAIT = { timeout: 30_000, interval: 100 };
/** The controller's objects (not the namespace's `kube-root-ca.crt`). */
const MEMBER = 'example.com/member';
const fixture = useMemoryServer();

class Noop extends Reconciler<ConfigMap> {
  async reconcile(): Promise<Action> {
    return Action.awaitChange();
  }
}

const managers: Manager[] = [];
afterEach(async () => {
  fixture.server.faults.reset();
  await Promise.all(managers.splice(0).map((m) => m.stop()));
});

/** The JSON lines a replica logged at `debug` and above. */
function capture(): { logger: pino.Logger; lines: Record<string, unknown>[] } {
  const lines: Record<string, unknown>[] = [];
  const stream = new Writable({
    write(chunk, _encoding, done) {
      for (const line of String(chunk).split('\n').filter(Boolean)) lines.push(JSON.parse(line));
      done();
    },
  });
  return { logger: pino({ level: 'debug' }, stream), lines };
}

/** Replica `a` of ring `cms` in `namespace`, leading (it is alone), so it runs the sharder. */
function replicaA(namespace: string, logger: pino.Logger): Manager {
  const client = Client.fromKubeConfig(fixture.server.kubeConfig);
  const leases = Api.namespaced(client, resources.leases, namespace);
  const manager = new Manager({
    port: 0,
    handleSignals: false,
    logger,
    leaderElector: new LeaderElector(leases, {
      name: 'cms-leader',
      identity: 'a',
      logger,
      ...TIMING,
    }),
    sharding: { ring: RING, leases, identity: 'a', ...TIMING },
  });
  manager.addController(
    'configmap',
    new Controller(Api.namespaced(client, resources.configMaps, namespace), {
      labelSelector: `${MEMBER}=true`,
    }),
    (c) => c.run(new Noop()),
  );
  void manager.start().catch(() => undefined);
  managers.push(manager);
  return manager;
}

/**
 * A shard `ghost` that looks alive (its Lease just renewed) and holds `n` objects, each
 * already asked to drain (as the sharder does once another shard is on the ring): the
 * sharder has nothing to write to them until the ghost is gone.
 */
async function ghost(namespace: string, n: number, durationSeconds: number) {
  const leases = Api.namespaced(fixture.client, resources.leases, namespace);
  const cms = Api.namespaced(fixture.client, resources.configMaps, namespace);
  const name = shardLeaseName(RING, 'ghost');
  const spec = (): Lease['spec'] => ({
    holderIdentity: 'ghost',
    leaseDurationSeconds: durationSeconds,
    acquireTime: microTime(Date.now()),
    renewTime: microTime(Date.now()),
    leaseTransitions: 0,
  });
  await leases.create({ metadata: { name, labels: { [RING_LABEL]: RING } }, spec: spec() });
  await Promise.all(
    Array.from({ length: n }, (_, i) =>
      cms.create({
        metadata: {
          name: `cm-${i}`,
          labels: { [MEMBER]: 'true', [labels.shard]: 'ghost', [labels.drain]: 'true' },
        },
      }),
    ),
  );
  /** Renews the ghost's Lease as its replica would. */
  const renew = async () => {
    const lease = await leases.get(name);
    await leases.replace(name, {
      ...lease,
      spec: { ...lease.spec, renewTime: microTime(Date.now()) },
    });
  };
  /** Resolves once every object is assigned to `a` (and no longer draining). */
  const movedToA = () =>
    vi.waitFor(async () => {
      const shards = (await cms.list({ labelSelector: `${MEMBER}=true` })).items.map(
        (cm) =>
          `${cm.metadata?.labels?.[labels.shard]}${cm.metadata?.labels?.[labels.drain] ?? ''}`,
      );
      expect(shards).toEqual(Array.from({ length: n }, () => 'a'));
    }, WAIT);
  return { leases, name, renew, movedToA };
}

/** The value of a sharder metric with the given labels, in `manager`'s registry. */
async function metric(manager: Manager, name: string, labelValues: Record<string, string>) {
  const values = (await manager.registry.getSingleMetric(name)?.get())?.values ?? [];
  const found = values.find((v) =>
    Object.entries(labelValues).every(([k, want]) => v.labels[k] === want),
  );
  return found?.value;
}

describe('the sharder fences an expired shard', { timeout: 90_000 }, () => {
  it('from fresh shard Leases when its watch of them fell behind (a silent connection), and moves the objects at once', async () => {
    const ns = await fixture.namespace('fence');
    const g = await ghost(ns, 12, 3);
    const { logger } = capture();
    const manager = replicaA(ns, logger);
    // The ghost is alive while the sharder starts: renewed, and counted on the ring.
    const renewing = setInterval(() => void g.renew().catch(() => undefined), 300);
    try {
      await vi.waitFor(async () => {
        expect(await metric(manager, 'kube_ts_sharding_objects', { shard: 'ghost' })).toBe(12);
      }, WAIT);
    } finally {
      clearInterval(renewing);
    }
    await g.renew();
    // Every watch open now falls silent (as a frozen connection would: the watcher notices
    // only after tens of seconds), and the Lease changes under it without a renewal.
    fixture.server.faults.silenceWatches(true);
    await g.leases.patch(
      g.name,
      Patch.merge({ metadata: { annotations: { 'example.com/note': 'x' } } }),
    );
    // The ghost stopped renewing 3 s ago: fenced, its objects moved to `a`.
    await g.movedToA();
    expect(await metric(manager, 'kube_ts_sharding_shards_fenced_total', {})).toBe(1);
    expect((await g.leases.get(g.name)).spec?.holderIdentity).toBe('kube-ts-sharder');
  });

  it('counts every failed fence by its reason and logs the repeated ones, then fences', async () => {
    const ns = await fixture.namespace('fence');
    const g = await ghost(ns, 4, 2);
    // Every take-over of the ghost's Lease is refused twice per pass, for two passes.
    fixture.server.faults.failNext(
      4,
      { method: 'PUT', path: new RegExp(`/leases/${g.name}$`) },
      409,
    );
    const { logger, lines } = capture();
    const manager = replicaA(ns, logger);
    await g.movedToA();
    expect(
      await metric(manager, 'kube_ts_sharding_write_failures_total', {
        write: 'fence',
        reason: 'Conflict',
      }),
    ).toBe(2);
    const failures = lines.filter((l) => l.write === 'fence' && l.reason === 'Conflict');
    expect(failures.map((l) => [l.level, l.times])).toEqual([
      [20, 1],
      [40, 2],
    ]);
    expect(await metric(manager, 'kube_ts_sharding_shards_fenced_total', {})).toBe(1);
  });
});

describe('the sharder assigns an object its watch missed', { timeout: 90_000 }, () => {
  it('finds it by listing the unassigned objects (once per lease duration) and assigns it', async () => {
    const ns = await fixture.namespace('missed');
    const cms = Api.namespaced(fixture.client, resources.configMaps, ns);
    const { logger, lines } = capture();
    const manager = replicaA(ns, logger);
    await cms.create({ metadata: { name: 'first', labels: { [MEMBER]: 'true' } } });
    const shardOf = async (name: string) => (await cms.get(name)).metadata?.labels?.[labels.shard];
    await vi.waitFor(async () => expect(await shardOf('first')).toBe('a'), WAIT);
    // The sharder's watches fall silent; an object created now never reaches its cache.
    fixture.server.faults.silenceWatches(true);
    await cms.create({ metadata: { name: 'late', labels: { [MEMBER]: 'true' } } });
    await vi.waitFor(async () => expect(await shardOf('late')).toBe('a'), {
      ...WAIT,
      timeout: 35_000,
    });
    expect(await metric(manager, 'kube_ts_sharding_uncached_unassigned_total', {})).toBe(1);
    expect(lines.some((l) => l.count === 1 && String(l.objects).includes('/late'))).toBe(true);
  });
});

describe("the sharder's passes", { timeout: 240_000 }, () => {
  it('assigns more objects than one pass writes over several passes, never sending a write twice', async () => {
    const ns = await fixture.namespace('many');
    const cms = Api.namespaced(fixture.client, resources.configMaps, ns);
    // Just over one pass's 512 writes: two passes (the machine may be loaded).
    const names = Array.from({ length: 600 }, (_, i) => `cm-${i}`);
    for (let i = 0; i < names.length; i += 100) {
      await Promise.all(
        names
          .slice(i, i + 100)
          .map((name) => cms.create({ metadata: { name, labels: { [MEMBER]: 'true' } } })),
      );
    }
    const { logger } = capture();
    const manager = replicaA(ns, logger);
    await vi.waitFor(
      async () => {
        const shards = (await cms.list({ labelSelector: `${MEMBER}=true` })).items.map(
          (cm) => cm.metadata?.labels?.[labels.shard],
        );
        expect(shards.filter((s) => s !== 'a')).toEqual([]);
      },
      { ...WAIT, timeout: 150_000 },
    );
    expect(await metric(manager, 'kube_ts_sharding_assignments_total', { action: 'assign' })).toBe(
      names.length,
    );
    expect(
      await metric(manager, 'kube_ts_sharding_write_failures_total', { write: 'assign' }),
    ).toBeUndefined();
  });
});
