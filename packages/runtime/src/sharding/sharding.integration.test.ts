import { Api, Client } from '@kube-ts/client';
import { resources } from '@kube-ts/core';
import type { ConfigMap } from '@kube-ts/k8s/core/v1';
import { pino } from 'pino';
import { afterEach, describe, expect, it, onTestFinished, vi } from 'vitest';
import { useMemoryServer } from '../cache/memory-server.test-helper.js';
import { Action } from '../controller/action.js';
import { Controller } from '../controller/controller.js';
import { Reconciler } from '../controller/reconciler.js';
import { LeaderElector } from '../leader/leader-elector.js';
import { Manager } from '../manager/manager.js';
import { microTime } from '../micro-time.js';
import { shardLabels } from './labels.js';

const logger = pino({ level: 'silent' });
const WAIT = { timeout: 60_000, interval: 100 };
// Long terms: nothing here waits for an expiry (stops release their Lease), and a loaded
// machine must not make a replica miss its renew deadline.
const TIMING = { leaseDurationMs: 20_000, renewDeadlineMs: 15_000, retryPeriodMs: 1_000 };
const labels = shardLabels('cms');
const fixture = useMemoryServer();

interface Run {
  readonly shard: string;
  readonly object: string;
  readonly start: number;
  end: number | undefined;
}

/** Records every reconcile of every replica, with start and end on one clock. */
const runs: Run[] = [];

class Recording extends Reconciler<ConfigMap> {
  constructor(readonly shard: string) {
    super();
  }
  async reconcile(cm: ConfigMap): Promise<Action> {
    const run: Run = {
      shard: this.shard,
      object: cm.metadata?.name ?? '',
      start: performance.now(),
      end: undefined,
    };
    runs.push(run);
    await new Promise((r) => setTimeout(r, 5));
    run.end = performance.now();
    return Action.awaitChange();
  }
}

interface Replica {
  readonly identity: string;
  readonly manager: Manager;
  readonly controller: Controller<ConfigMap>;
  readonly done: Promise<void>;
}

const started: Replica[] = [];
afterEach(async () => {
  await Promise.all(started.splice(0).map((r) => r.manager.stop()));
  runs.length = 0;
});

function replica(
  namespace: string,
  identity: string,
  labelSelector?: string,
  leaderTiming = TIMING,
): Replica & { readonly leaderElector: LeaderElector } {
  const client = Client.fromKubeConfig(fixture.server.kubeConfig);
  const leases = Api.namespaced(client, resources.leases, namespace);
  const leaderElector = new LeaderElector(leases, {
    name: 'cms-leader',
    identity,
    logger,
    ...leaderTiming,
  });
  const manager = new Manager({
    port: 0,
    handleSignals: false,
    logger,
    leaderElector,
    sharding: { ring: 'cms', leases, identity, ...TIMING },
  });
  const controller = new Controller(
    Api.namespaced(client, resources.configMaps, namespace),
    labelSelector === undefined ? {} : { labelSelector },
  );
  manager.addController('configmap', controller, (c) => c.run(new Recording(identity)));
  const done = manager.start().catch(() => undefined);
  const r = { identity, manager, controller, done, leaderElector };
  started.push(r);
  return r;
}

/** Overlapping reconciles of one object by two shards (there must be none). */
function overlaps(): string[] {
  const found: string[] = [];
  for (const a of runs) {
    for (const b of runs) {
      if (a.object === b.object && a.shard < b.shard) {
        const object = a.object;
        const aEnd = a.end ?? Number.POSITIVE_INFINITY;
        const bEnd = b.end ?? Number.POSITIVE_INFINITY;
        if (a.start < bEnd && b.start < aEnd) found.push(`${object}: ${a.shard} and ${b.shard}`);
      }
    }
  }
  return found;
}

describe('sharding a controller across managers', { timeout: 150_000 }, () => {
  it('assigns every object to one ready shard, and each replica caches and reconciles only its own', async () => {
    // The sharder's 16 concurrent patches share one AbortSignal: no leak warning for it.
    const warnings: string[] = [];
    const onWarning = (w: Error) => void warnings.push(w.name);
    process.on('warning', onWarning);
    onTestFinished(() => void process.off('warning', onWarning));
    const ns = await fixture.namespace('shard');
    const cms = Api.namespaced(fixture.client, resources.configMaps, ns);
    const names = Array.from({ length: 60 }, (_, i) => `cm-${i}`);
    await Promise.all(names.map((name) => cms.create({ metadata: { name } })));
    const replicas = ['a', 'b', 'c'].map((id) => replica(ns, id));

    await vi.waitFor(async () => {
      const list = (await cms.list()).items;
      const owners = list.map((cm) => cm.metadata?.labels?.[labels.shard]);
      expect(owners.every((o) => o === 'a' || o === 'b' || o === 'c')).toBe(true);
      expect(new Set(owners).size).toBe(3);
      for (const r of replicas) {
        const mine = list.filter((cm) => cm.metadata?.labels?.[labels.shard] === r.identity);
        expect(
          r.controller.store
            .list()
            .map((cm) => cm.metadata?.name)
            .sort(),
        ).toEqual(mine.map((cm) => cm.metadata?.name).sort());
        for (const cm of mine) {
          expect(
            runs.some((run) => run.shard === r.identity && run.object === cm.metadata?.name),
          ).toBe(true);
        }
      }
    }, WAIT);
    expect(overlaps()).toEqual([]);
    expect(warnings.filter((w) => w === 'MaxListenersExceededWarning')).toEqual([]);
  });

  it('moves the objects of a replica that stops to the others, and drains objects to a replica that joins', async () => {
    const ns = await fixture.namespace('shard');
    const cms = Api.namespaced(fixture.client, resources.configMaps, ns);
    await Promise.all(
      Array.from({ length: 40 }, (_, i) => cms.create({ metadata: { name: `cm-${i}` } })),
    );
    const [a] = [replica(ns, 'a'), replica(ns, 'b')];
    const ownersAre = async (expected: string[]) => {
      const owners = new Set(
        (await cms.list()).items.map((cm) => cm.metadata?.labels?.[labels.shard]),
      );
      expect([...owners].sort()).toEqual(expected);
    };
    await vi.waitFor(() => ownersAre(['a', 'b']), WAIT);

    // A third joins: some objects are drained from a and b and assigned to c.
    replica(ns, 'c');
    await vi.waitFor(() => ownersAre(['a', 'b', 'c']), WAIT);

    // a stops gracefully (releases its shard Lease): its objects move to b and c at once.
    await a!.manager.stop();
    await vi.waitFor(() => ownersAre(['b', 'c']), WAIT);
    await vi.waitFor(async () => {
      for (const cm of (await cms.list()).items) {
        const owner = cm.metadata?.labels?.[labels.shard];
        expect(runs.some((run) => run.shard === owner && run.object === cm.metadata?.name)).toBe(
          true,
        );
        expect(cm.metadata?.labels?.[labels.drain]).toBeUndefined();
      }
    }, WAIT);
    expect(overlaps()).toEqual([]);
  });

  it('labels only the objects the controller selects, never others of the resource', async () => {
    const ns = await fixture.namespace('shard');
    const cms = Api.namespaced(fixture.client, resources.configMaps, ns);
    const member = { 'example.com/member': 'true' };
    await Promise.all([
      ...Array.from({ length: 10 }, (_, i) =>
        cms.create({ metadata: { name: `in-${i}`, labels: member } }),
      ),
      ...Array.from({ length: 3 }, (_, i) => cms.create({ metadata: { name: `out-${i}` } })),
    ]);
    replica(ns, 'a', 'example.com/member=true');
    const shardOf = async () =>
      Object.fromEntries(
        (await cms.list()).items.map((cm) => [
          cm.metadata?.name,
          cm.metadata?.labels?.[labels.shard],
        ]),
      );
    await vi.waitFor(async () => {
      const owners = await shardOf();
      for (let i = 0; i < 10; i++) expect(owners[`in-${i}`]).toBe('a');
    }, WAIT);
    // A later pass does not label them either.
    await cms.create({ metadata: { name: 'in-late', labels: member } });
    await vi.waitFor(async () => expect((await shardOf())['in-late']).toBe('a'), WAIT);
    const owners = await shardOf();
    expect([owners['out-0'], owners['out-1'], owners['out-2']]).toEqual([
      undefined,
      undefined,
      undefined,
    ]);
  });

  it('keeps reconciling its shard when it loses leadership, and runs the sharder again when it leads again', async () => {
    const ns = await fixture.namespace('shard');
    const cms = Api.namespaced(fixture.client, resources.configMaps, ns);
    const leases = Api.namespaced(fixture.client, resources.leases, ns);
    // A short leader term (the shard Lease keeps the long one): leadership is lost in 3 s.
    const a = replica(ns, 'a', undefined, {
      leaseDurationMs: 4_000,
      renewDeadlineMs: 3_000,
      retryPeriodMs: 500,
    });
    let ended = false;
    void a.done.then(() => {
      ended = true;
    });
    const reconciled = (name: string) =>
      vi.waitFor(
        () => expect(runs.some((r) => r.object === name && r.shard === 'a')).toBe(true),
        WAIT,
      );
    await cms.create({ metadata: { name: 'before' } });
    await reconciled('before');
    // Another holder takes the leader Lease and keeps renewing it.
    const take = async (holderIdentity: string) => {
      const lease = await leases.get('cms-leader');
      await leases.replace('cms-leader', {
        ...lease,
        spec: { ...lease.spec, holderIdentity, renewTime: microTime(Date.now()) },
      });
    };
    const intruder = setInterval(() => void take('intruder').catch(() => undefined), 200);
    try {
      await vi.waitFor(() => expect(a.leaderElector.isLeader).toBe(false), WAIT);
      // The replica still runs and reconciles its shard (an object labelled by hand: no
      // sharder runs while another holds the Lease).
      await cms.create({ metadata: { name: 'during', labels: { [labels.shard]: 'a' } } });
      await reconciled('during');
      expect(ended).toBe(false);
    } finally {
      clearInterval(intruder);
    }
    // The intruder lets go: the replica leads again, and its sharder assigns new objects.
    await vi.waitFor(() => take(''), WAIT);
    await vi.waitFor(() => expect(a.leaderElector.isLeader).toBe(true), WAIT);
    await cms.create({ metadata: { name: 'after' } });
    await reconciled('after');
    expect((await cms.get('after')).metadata?.labels?.[labels.shard]).toBe('a');
    expect(ended).toBe(false);
    expect(overlaps()).toEqual([]);
  });
});
