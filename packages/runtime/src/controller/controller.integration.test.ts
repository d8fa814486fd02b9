import { Api, Client, Patch } from '@kube-ts/client';
import { ObjectRef, ownerRefTo, resources } from '@kube-ts/core';
import type { ConfigMap } from '@kube-ts/k8s/core/v1';
import { useMemoryApiServer } from '@kube-ts/test-support';
import pino from 'pino';
import type { Subscription } from 'rxjs';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { exponentialBackoff } from '../watcher/backoff.js';
import type { WatcherConfig } from '../watcher/watcher.js';
import { Action } from './action.js';
import { Controller } from './controller.js';
import { type ReconcileResult, Reconciler } from './reconciler.js';

/**
 * The Controller over HTTP against MemoryApiServer: parents (ConfigMaps labelled
 * role=parent) each own a child ConfigMap written with server-side apply; a settings
 * ConfigMap is a watched relation of every parent.
 */

const silent = pino({ level: 'silent' });
const fastBackoff = (): WatcherConfig['backoff'] => () =>
  exponentialBackoff({ initialMs: 20, maxMs: 200, jitter: 0 });
const waitLong = { timeout: 30_000, interval: 50 };

let ns = 0;

const env = useMemoryApiServer({ bookmarkIntervalMs: 200 }, (server) =>
  Client.fromKubeConfig(server.kubeConfig),
);

interface Ctx {
  readonly configMaps: Api<ConfigMap>;
}

class ParentReconciler extends Reconciler<ConfigMap, Ctx> {
  /** The resourceVersion of each parent at its latest reconcile. */
  readonly seen = new Map<string, string | undefined>();
  async reconcile(parent: ConfigMap, ctx: Ctx): Promise<Action> {
    this.seen.set(ObjectRef.key(ObjectRef.from(parent)), parent.metadata?.resourceVersion);
    const settings = await ctx.configMaps.getOpt('settings');
    const name = `${parent.metadata!.name}-child`;
    const child: ConfigMap = {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name, labels: { role: 'child' }, ownerReferences: [ownerRefTo(parent)] },
      data: { ...parent.data, suffix: settings?.data?.suffix ?? '' },
    };
    await ctx.configMaps.patch(name, Patch.apply(child), { fieldManager: 'test', force: true });
    return Action.awaitChange();
  }
}

async function namespace(): Promise<Api<ConfigMap>> {
  const name = `ctl-${ns++}`;
  await Api.cluster(env.client, resources.namespaces).create({ metadata: { name } });
  return Api.namespaced(env.client, resources.configMaps, name);
}

function runController(configMaps: Api<ConfigMap>, reconciler: ParentReconciler) {
  const controller = new Controller(configMaps, {
    labelSelector: 'role=parent',
    backoff: fastBackoff(),
  });
  controller
    .owns(configMaps, { labelSelector: 'role=child', backoff: fastBackoff() })
    .watches(configMaps, { labelSelector: 'role=settings', backoff: fastBackoff() }, () =>
      controller.store.list().map((p) => ObjectRef.from(p)),
    )
    .withConfig({ logger: silent, concurrency: 4 });
  const results: ReconcileResult[] = [];
  const subscription = controller
    .run(reconciler, { configMaps })
    .subscribe({ next: (r) => results.push(r) });
  return { controller, results, subscription };
}

async function childData(configMaps: Api<ConfigMap>, parent: string) {
  return (await configMaps.getOpt(`${parent}-child`))?.data;
}

let running: Subscription | undefined;
afterEach(() => {
  running?.unsubscribe();
  running = undefined;
  env.server.faults.reset();
});

describe('Controller against MemoryApiServer', () => {
  it('reconciles parents, owned children and a watched relation to the desired state', async () => {
    const configMaps = await namespace();
    await configMaps.create({
      metadata: { name: 'settings', labels: { role: 'settings' } },
      data: { suffix: 'v1' },
    });
    for (const p of ['p1', 'p2', 'p3']) {
      await configMaps.create({
        metadata: { name: p, labels: { role: 'parent' } },
        data: { value: p },
      });
    }
    const reconciler = new ParentReconciler();
    const { results, subscription } = runController(configMaps, reconciler);
    running = subscription;

    await vi.waitFor(async () => {
      for (const p of ['p1', 'p2', 'p3']) {
        expect(await childData(configMaps, p)).toEqual({ value: p, suffix: 'v1' });
      }
    }, waitLong);

    // A watched relation changes: every parent is reconciled again.
    await configMaps.patch('settings', Patch.merge({ data: { suffix: 'v2' } }));
    await vi.waitFor(async () => {
      for (const p of ['p1', 'p2', 'p3']) {
        expect((await childData(configMaps, p))?.suffix).toBe('v2');
      }
    }, waitLong);

    // An owned child is deleted: its owner is reconciled and recreates it.
    await configMaps.delete('p2-child');
    await vi.waitFor(async () => {
      expect(await childData(configMaps, 'p2')).toEqual({ value: 'p2', suffix: 'v2' });
    }, waitLong);

    // The parent changes.
    await configMaps.patch('p3', Patch.merge({ data: { value: 'changed' } }));
    await vi.waitFor(async () => {
      expect((await childData(configMaps, 'p3'))?.value).toBe('changed');
    }, waitLong);

    const reasons = new Set(results.map((r) => r.reason.type));
    expect(reasons).toContain('objectUpdated');
    expect(reasons).toContain('relatedObjectUpdated');
    expect(results.every((r) => r.ok)).toBe(true);
  });

  it('reconciles every live object after its last change despite dropped watches, 410s and 500/429 bursts', async () => {
    const configMaps = await namespace();
    const reconciler = new ParentReconciler();
    const { controller, subscription } = runController(configMaps, reconciler);
    running = subscription;

    // A deterministic pseudo-random schedule (xorshift), so failures are reproducible.
    let seed = 0x2f6b1c3d;
    const random = (n: number) => {
      seed ^= seed << 13;
      seed ^= seed >>> 17;
      seed ^= seed << 5;
      return (seed >>> 0) % n;
    };
    const names = Array.from({ length: 12 }, (_, i) => `obj${i}`);
    const exists = new Set<string>();
    // Only writes here: the injected GET failures are meant for the controller's lists
    // and watches (and its reconciles' reads, which then go through errorPolicy).
    for (let step = 0; step < 150; step++) {
      const name = names[random(names.length)]!;
      if (!exists.has(name)) {
        await configMaps.create({
          metadata: { name, labels: { role: 'parent' } },
          data: { step: `${step}` },
        });
        exists.add(name);
      } else if (random(4) === 0) {
        await configMaps.delete(name);
        exists.delete(name);
      } else {
        await configMaps.patch(name, Patch.merge({ data: { step: `${step}` } }));
      }
      switch (random(12)) {
        case 0:
          env.server.faults.dropWatches();
          break;
        case 1:
          env.server.faults.compact();
          break;
        case 2:
          env.server.faults.failNext(3, { method: 'GET' }, 500, { message: 'injected' });
          break;
        case 3:
          env.server.faults.failNext(3, { method: 'GET' }, 429, { retryAfterSeconds: 0 });
          break;
        default:
      }
    }

    let live: ConfigMap[] = [];
    await vi.waitFor(async () => {
      live = (await configMaps.list({ labelSelector: 'role=parent' })).items;
    }, waitLong);
    expect(live.map((o) => o.metadata?.name).sort()).toEqual([...exists].sort());
    await vi.waitFor(async () => {
      for (const obj of live) {
        const key = `${obj.metadata?.namespace}/${obj.metadata?.name}`;
        expect(reconciler.seen.get(key), key).toBe(obj.metadata?.resourceVersion);
        expect((await childData(configMaps, obj.metadata!.name!))?.step).toBe(obj.data?.step);
      }
    }, waitLong);
    // The controller's store equals a fresh LIST of the env.server.
    const versions = (objs: readonly ConfigMap[]) =>
      Object.fromEntries(objs.map((o) => [o.metadata?.name, o.metadata?.resourceVersion]));
    expect(versions(controller.store.list())).toEqual(versions(live));
  });

  it('shuts down gracefully with a reconcile in flight', async () => {
    const configMaps = await namespace();
    await configMaps.create({ metadata: { name: 'slow', labels: { role: 'parent' } } });
    let release: () => void = () => {};
    let entered: () => void = () => {};
    const reconcileStarted = new Promise<void>((resolve) => {
      entered = resolve;
    });
    class Slow extends ParentReconciler {
      override async reconcile(parent: ConfigMap, ctx: Ctx): Promise<Action> {
        entered();
        await new Promise<void>((resolve) => {
          release = resolve;
        });
        return super.reconcile(parent, ctx);
      }
    }
    const slow = new Slow();
    const stop = new AbortController();
    const controller = new Controller(configMaps, { labelSelector: 'role=parent' })
      .withConfig({ logger: silent })
      .gracefulShutdownOn(stop.signal);
    const results: ReconcileResult[] = [];
    let completed = false;
    running = controller.run(slow, { configMaps }).subscribe({
      next: (r) => results.push(r),
      complete: () => {
        completed = true;
      },
    });
    await reconcileStarted;
    stop.abort();
    // A change after the shutdown started must not be reconciled.
    await configMaps.patch('slow', Patch.merge({ data: { late: 'yes' } }));
    await new Promise((r) => setTimeout(r, 100));
    expect(completed).toBe(false);
    release();
    await vi.waitFor(() => expect(completed).toBe(true), waitLong);
    expect(results).toHaveLength(1);
    expect(results[0]).toMatchObject({ ok: true, ref: { name: 'slow' } });
    expect(slow.seen.size).toBe(1);
    expect(await childData(configMaps, 'slow')).toEqual({ suffix: '' });
  });
});
