/**
 * The runtime against the backend: a Controller that owns ConfigMaps and watches a
 * settings ConfigMap, keeps a finalizer and records Events; and watchers that recover
 * after the API server goes away (real backend: kube-apiserver is stopped and started).
 */
import { Api, Patch } from '@kube-ts/client';
import { ObjectRef, ownerRefTo, resources } from '@kube-ts/core';
import type { ConfigMap } from '@kube-ts/k8s/core/v1';
import type { Event as EventsV1Event } from '@kube-ts/k8s/events/v1';
import {
  Action,
  Controller,
  createStore,
  exponentialBackoff,
  finalizer,
  type ReconcileResult,
  Reconciler,
  Recorder,
  reflector,
  type WatcherConfig,
  watcher,
} from '@kube-ts/runtime';
import { defineResource, installCrds, type ResourceOf } from '@kube-ts/schema';
import { Type } from '@sinclair/typebox';
import type { Subscription } from 'rxjs';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import {
  type E2eContext,
  EVENTUALLY,
  EVENTUALLY_COLLECTED,
  ignoreNotFound,
  startE2e,
  uniqueSuffix,
} from './support.js';

const Greeting = defineResource({
  group: `r${uniqueSuffix()}.e2e.kube-ts.dev`,
  version: 'v1',
  kind: 'Greeting',
  scope: 'Namespaced',
  spec: Type.Object({ message: Type.String() }),
});
type Greeting = ResourceOf<typeof Greeting>;

const FINALIZER = 'e2e.kube-ts.dev/cleanup';
const REPORTER = 'e2e.kube-ts.dev/greeter';

/**
 * Watches retry quickly, so that recovery after the API server restart takes seconds,
 * not the default backoff's up to 30 s.
 */
const quickBackoff = (): WatcherConfig['backoff'] => () =>
  exponentialBackoff({ initialMs: 100, maxMs: 1_000 });

interface Ctx {
  readonly greetings: Api<Greeting>;
  readonly configMaps: Api<ConfigMap>;
  readonly recorder: Recorder;
  /** Names of the Greetings whose cleanup ran. */
  readonly cleaned: string[];
}

/** Writes `<name>-out` with the Greeting's message and the settings' suffix; cleans up on delete. */
class GreetingReconciler extends Reconciler<Greeting, Ctx> {
  async reconcile(greeting: Greeting, ctx: Ctx): Promise<Action> {
    return finalizer(ctx.greetings, FINALIZER, greeting, {
      apply: async (g) => {
        const suffix = (await ctx.configMaps.getOpt('settings'))?.data?.suffix ?? '';
        const name = `${g.metadata.name}-out`;
        const child: ConfigMap = {
          apiVersion: 'v1',
          kind: 'ConfigMap',
          metadata: {
            name,
            namespace: g.metadata.namespace,
            labels: { 'e2e.kube-ts.dev/output': 'true' },
            ownerReferences: [ownerRefTo(g, { controller: true, blockOwnerDeletion: true })],
          },
          data: { message: `${g.spec.message}${suffix}` },
        };
        await ctx.configMaps.patch(name, Patch.apply(child), {
          fieldManager: 'e2e-greeter',
          force: true,
        });
        await ctx.recorder.publish(
          { type: 'Normal', reason: 'Written', action: 'Apply', note: 'output written' },
          g,
        );
        return Action.awaitChange();
      },
      cleanup: async (g) => {
        ctx.cleaned.push(g.metadata.name ?? '');
        await ctx.recorder.publish({ type: 'Normal', reason: 'CleanedUp', action: 'Delete' }, g);
        return Action.awaitChange();
      },
    });
  }
}

let e2e: E2eContext;
let ns: string;
let ctx: Ctx;
let results: ReconcileResult[];
let running: Subscription;

function startController(): Subscription {
  const controller = new Controller(ctx.greetings, { backoff: quickBackoff() });
  return controller
    .owns(ctx.configMaps, { labelSelector: 'e2e.kube-ts.dev/output=true', backoff: quickBackoff() })
    .watches(
      ctx.configMaps,
      { labelSelector: 'e2e.kube-ts.dev/settings=true', backoff: quickBackoff() },
      () => controller.store.list().map((g) => ObjectRef.from(g)),
    )
    .run(new GreetingReconciler(), ctx)
    .subscribe({ next: (r) => results.push(r) });
}

beforeAll(async () => {
  e2e = await startE2e();
  ns = await e2e.namespace('e2e-runtime');
  await installCrds(e2e.client, [Greeting]);
  const crds = Api.cluster(e2e.client, resources.customResourceDefinitions);
  e2e.onStop(() => crds.delete(Greeting.crdName).catch(ignoreNotFound));
  ctx = {
    greetings: Api.namespaced(e2e.client, Greeting, ns),
    configMaps: Api.namespaced(e2e.client, resources.configMaps, ns),
    recorder: new Recorder(e2e.client, { controller: REPORTER }),
    cleaned: [],
  };
  await ctx.configMaps.create({
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: 'settings', labels: { 'e2e.kube-ts.dev/settings': 'true' } },
    data: { suffix: '!' },
  });
  results = [];
  running = startController();
  e2e.onStop(async () => running.unsubscribe());
});

afterAll(async () => {
  await e2e?.stop();
});

async function output(name: string): Promise<string | undefined> {
  return (await ctx.configMaps.getOpt(`${name}-out`))?.data?.message;
}

async function eventsAbout(name: string, reason: string): Promise<EventsV1Event[]> {
  const events = Api.namespaced(e2e.client, resources.eventsV1, ns);
  return (await events.list()).items.filter(
    (e) => e.regarding?.name === name && e.reason === reason,
  );
}

describe('Controller', () => {
  test('reconciles a new object to the desired state: finalizer added, owned output written', async () => {
    await ctx.greetings.create(Greeting.create('hello', { message: 'hi' }));
    await expect.poll(() => output('hello'), EVENTUALLY).toBe('hi!');
    const greeting = await ctx.greetings.get('hello');
    expect(greeting.metadata.finalizers).toEqual([FINALIZER]);
    const child = await ctx.configMaps.get('hello-out');
    expect(child.metadata?.ownerReferences).toEqual([
      expect.objectContaining({
        kind: 'Greeting',
        name: 'hello',
        uid: greeting.metadata.uid,
        controller: true,
      }),
    ]);
  });

  test('owns: a change to the owned object is reconciled back', async () => {
    await ctx.configMaps.patch('hello-out', Patch.merge({ data: { message: 'tampered' } }));
    await expect.poll(() => output('hello'), EVENTUALLY).toBe('hi!');
  });

  test('watches: a change to the watched settings reaches every Greeting', async () => {
    await ctx.configMaps.patch('settings', Patch.merge({ data: { suffix: '?' } }));
    await expect.poll(() => output('hello'), EVENTUALLY).toBe('hi?');
  });

  test('a spec change is reconciled', async () => {
    await ctx.greetings.patch('hello', Patch.merge({ spec: { message: 'bye' } }));
    await expect.poll(() => output('hello'), EVENTUALLY).toBe('bye?');
    expect(results.every((r) => r.ok)).toBe(true);
  });

  test('Recorder: events.k8s.io/v1 Events are listed, repeats aggregated into one series', async () => {
    await expect
      .poll(async () => (await eventsAbout('hello', 'Written')).length, EVENTUALLY)
      .toBe(1);
    const [event] = await eventsAbout('hello', 'Written');
    expect(event?.reportingController).toBe(REPORTER);
    expect(event?.type).toBe('Normal');
    expect(event?.action).toBe('Apply');
    expect(event?.note).toBe('output written');
    expect(event?.regarding?.kind).toBe('Greeting');
    // At least four reconciles wrote the output so far: create, tamper, settings, spec.
    expect(event?.series?.count).toBeGreaterThanOrEqual(2);
  });

  test('finalizer: deleting runs cleanup, then the object and its owned output are gone', async () => {
    const uid = (await ctx.greetings.get('hello')).metadata.uid;
    const deleting = await ctx.greetings.delete('hello');
    expect(deleting.kind).toBe('deleting');
    await expect.poll(() => ctx.greetings.getOpt('hello'), EVENTUALLY).toBeUndefined();
    expect(ctx.cleaned).toEqual(['hello']);
    await expect.poll(() => output('hello'), EVENTUALLY_COLLECTED).toBeUndefined();
    await expect
      .poll(async () => (await eventsAbout('hello', 'CleanedUp')).length, EVENTUALLY)
      .toBe(1);
    const [cleanedUp] = await eventsAbout('hello', 'CleanedUp');
    expect(cleanedUp?.regarding?.uid).toBe(uid);
  }, 150_000);
});

describe('recovery when the API server goes away', () => {
  test('changes made after the interruption reach a watcher store and the controller', async () => {
    const { reader, writer } = createStore<ConfigMap>();
    const errors: unknown[] = [];
    const subscription = reflector(
      writer,
      watcher(ctx.configMaps, {
        labelSelector: 'e2e.kube-ts.dev/recovery=true',
        backoff: quickBackoff(),
      }),
    ).subscribe({ next: (e) => (e.type === 'Error' ? errors.push(e.error) : undefined) });
    try {
      const recovery = (name: string): ConfigMap => ({
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: { name, labels: { 'e2e.kube-ts.dev/recovery': 'true' } },
        data: {},
      });
      await ctx.configMaps.create(recovery('before'));
      await expect
        .poll(() => reader.get({ namespace: ns, name: 'before' }), EVENTUALLY)
        .toBeDefined();

      if (e2e.backend.restartApiServer) {
        // A real control plane: kube-apiserver stops (every connection breaks) and starts
        // again on the same address with the same etcd data.
        await e2e.backend.restartApiServer();
        // The open watch broke, so the watcher reported a failure it recovered from.
        await expect.poll(() => errors.length, EVENTUALLY).toBeGreaterThan(0);
      } else if (e2e.backend.dropWatches) {
        // MemoryApiServer cannot stop and keep its data; ending every watch response is
        // what clients see of a restart (a closed stream, then a re-watch).
        e2e.backend.dropWatches();
      } else {
        // An existing cluster cannot be restarted by the suite; the test then checks that
        // a watcher keeps delivering changes, which is what recovery must preserve.
        expect(e2e.backend.name).toBe('existing');
      }

      await ctx.configMaps.create(recovery('after'));
      await expect
        .poll(() => reader.get({ namespace: ns, name: 'after' }), EVENTUALLY)
        .toBeDefined();
      expect(
        reader
          .list()
          .map((c) => c.metadata?.name)
          .sort(),
      ).toEqual(['after', 'before']);

      await ctx.greetings.create(Greeting.create('later', { message: 'still here' }));
      await expect.poll(() => output('later'), EVENTUALLY).toBe('still here?');
    } finally {
      subscription.unsubscribe();
    }
  }, 120_000);
});
