/**
 * The Manager's shared cache against the backend: one WATCH per shared key as the server
 * counts them, the watch stopped with its last holder, metadata-only ownership, the
 * explicit error of an unregistered read, and a cached watch that recovers after errors.
 */
import { Api, Patch } from '@kube-ts/client';
import { type ApiResource, type KubeObject, ownerRefTo, resources } from '@kube-ts/core';
import type { CustomResourceDefinition } from '@kube-ts/k8s/apiextensions/v1';
import type { ConfigMap, Secret } from '@kube-ts/k8s/core/v1';
import {
  Action,
  awaitCondition,
  Cache,
  CacheNotRegisteredError,
  Controller,
  conditions,
  Manager,
  type ReconcileInfo,
  Reconciler,
} from '@kube-ts/runtime';
import { pino } from 'pino';
import { afterAll, beforeAll, expect, test, vi } from 'vitest';
import { type E2eContext, EVENTUALLY, ignoreNotFound, startE2e, uniqueSuffix } from './support.js';

const logger = pino({ level: process.env.E2E_LOG ?? 'silent' });
let e2e: E2eContext;

beforeAll(async () => {
  e2e = await startE2e();
}, 180_000);
afterAll(() => e2e?.stop());

/** Records `name:reason:related` of each reconcile and reads the cache in it. */
class Recording extends Reconciler<KubeObject, { cache: Cache }> {
  readonly seen: string[] = [];
  async reconcile(obj: KubeObject, ctx: { cache: Cache }, info: ReconcileInfo): Promise<Action> {
    const related = info.reason.type === 'relatedObjectUpdated' ? info.reason.related.name : '';
    this.seen.push(`${obj.metadata?.name}:${info.reason.type}:${related}`);
    ctx.cache.list(resources.configMaps, { namespace: obj.metadata?.namespace });
    return Action.awaitChange();
  }
}

function manager(): Manager {
  return new Manager({ port: 0, handleSignals: false, logger });
}

async function readyz(m: Manager): Promise<{ status: number; body: string }> {
  const res = await fetch(`http://127.0.0.1:${m.address?.port}/readyz`);
  return { status: res.status, body: await res.text() };
}

const parent = (name: string, role: string): ConfigMap => ({
  metadata: { name, labels: { role } },
});

test('two controllers that own ConfigMaps: one watch of them on the server, gone after stop', async () => {
  const ns = await e2e.namespace('cache-shared');
  const configMaps = Api.namespaced(e2e.client, resources.configMaps, ns);
  const a = await configMaps.create(parent('pa', 'a'));
  const b = await configMaps.create(parent('pb', 'b'));
  const before = await e2e.backend.openWatches('configmaps');
  const m = manager();
  const ra = new Recording();
  const rb = new Recording();
  for (const [role, r] of [
    ['a', ra],
    ['b', rb],
  ] as const) {
    m.addController(
      role,
      new Controller(configMaps, { labelSelector: `role=${role}` })
        .owns(configMaps)
        .withConfig({ logger }),
      (c) => c.run(r, { cache: m.cache }),
    );
  }
  const done = m.start();
  try {
    // Two main watches (their selectors differ) + ONE shared watch of the owned ConfigMaps.
    await vi.waitFor(
      async () => expect(await e2e.backend.openWatches('configmaps')).toBe(before + 3),
      EVENTUALLY,
    );
    await vi.waitFor(async () => expect((await readyz(m)).status).toBe(200), EVENTUALLY);
    expect(m.cache.watches().map((w) => w.users)).toEqual([1, 2, 1]);
    await configMaps.create({ metadata: { name: 'ca', ownerReferences: [ownerRefTo(a)] } });
    await configMaps.create({ metadata: { name: 'cb', ownerReferences: [ownerRefTo(b)] } });
    await vi.waitFor(() => expect(ra.seen).toContain('pa:relatedObjectUpdated:ca'), EVENTUALLY);
    await vi.waitFor(() => expect(rb.seen).toContain('pb:relatedObjectUpdated:cb'), EVENTUALLY);
    expect(ra.seen.some((s) => s.startsWith('pb:'))).toBe(false);
  } finally {
    await m.stop();
    await done;
  }
  await vi.waitFor(
    async () => expect(await e2e.backend.openWatches('configmaps')).toBe(before),
    EVENTUALLY,
  );
});

test('acquire twice shares one watch; releasing the last lease stops it', async () => {
  const ns = await e2e.namespace('cache-release');
  const configMaps = Api.namespaced(e2e.client, resources.configMaps, ns);
  await configMaps.create(parent('x', 'a'));
  const cache = new Cache();
  const before = await e2e.backend.openWatches('configmaps');
  const one = cache.acquire(configMaps);
  const two = cache.acquire(Api.namespaced(e2e.client, resources.configMaps, ns));
  await cache.waitUntilReady();
  expect(two.store).toBe(one.store);
  await vi.waitFor(
    async () => expect(await e2e.backend.openWatches('configmaps')).toBe(before + 1),
    EVENTUALLY,
  );
  expect(cache.get(resources.configMaps, ns, 'x')?.metadata?.labels).toEqual({ role: 'a' });
  one.release();
  // Still held: the watch stays, and sees changes.
  await configMaps.patch('x', Patch.merge({ metadata: { labels: { role: 'b' } } }));
  await vi.waitFor(
    () => expect(cache.get(resources.configMaps, ns, 'x')?.metadata?.labels).toEqual({ role: 'b' }),
    EVENTUALLY,
  );
  expect(await e2e.backend.openWatches('configmaps')).toBe(before + 1);
  two.release();
  await vi.waitFor(
    async () => expect(await e2e.backend.openWatches('configmaps')).toBe(before),
    EVENTUALLY,
  );
  expect(() => cache.get(resources.configMaps, ns, 'x')).toThrow(CacheNotRegisteredError);
});

test('reading what nobody registered is an error that names the call to make', async () => {
  const m = manager();
  expect(() => m.cache.get(resources.secrets, 'default', 'x')).toThrow(
    "cache.get: nothing in this cache watches secrets (v1) in namespace 'default'. Register " +
      "the watch before reading: manager.cache.acquire(Api.namespaced(client, resource, 'default'))",
  );
  await m.stop();
});

test('a metadata-only owned Secret reconciles its owner; its data is never cached', async () => {
  const ns = await e2e.namespace('cache-meta');
  const configMaps = Api.namespaced(e2e.client, resources.configMaps, ns);
  const secrets = Api.namespaced(e2e.client, resources.secrets, ns);
  const owner = await configMaps.create(parent('owner', 'p'));
  const m = manager();
  const r = new Recording();
  m.addController(
    'owner',
    new Controller(configMaps, { labelSelector: 'role=p' })
      .owns(secrets, { metadataOnly: true })
      .withConfig({ logger }),
    (c) => c.run(r, { cache: m.cache }),
  );
  const done = m.start();
  try {
    await vi.waitFor(() => expect(r.seen).toContain('owner:objectUpdated:'), EVENTUALLY);
    const secret: Secret = {
      metadata: { name: 'creds', ownerReferences: [ownerRefTo(owner)] },
      stringData: { token: 'never-in-the-cache' },
    };
    await secrets.create(secret);
    await vi.waitFor(
      () => expect(r.seen).toContain('owner:relatedObjectUpdated:creds'),
      EVENTUALLY,
    );
    const cached = m.cache.get(resources.secrets, ns, 'creds', { metadataOnly: true });
    expect(cached).toMatchObject({
      apiVersion: 'meta.k8s.io/v1',
      kind: 'PartialObjectMetadata',
      metadata: { name: 'creds', namespace: ns },
    });
    expect(JSON.stringify(cached)).not.toContain('never-in-the-cache');
    expect(Object.keys(cached ?? {}).sort()).toEqual(['apiVersion', 'kind', 'metadata']);
    r.seen.length = 0;
    await secrets.patch('creds', Patch.merge({ metadata: { labels: { rotated: 'yes' } } }));
    await vi.waitFor(
      () => expect(r.seen).toContain('owner:relatedObjectUpdated:creds'),
      EVENTUALLY,
    );
  } finally {
    await m.stop();
    await done;
  }
});

test('a cached watch that fails (its CRD is missing) keeps retrying and serves once it exists', async () => {
  const group = `cache${uniqueSuffix()}.e2e.kube-ts.dev`;
  const gizmos: ApiResource<KubeObject> = {
    group,
    version: 'v1',
    kind: 'Gizmo',
    plural: 'gizmos',
    namespaced: true,
  };
  const crds = Api.cluster(e2e.client, resources.customResourceDefinitions);
  const crd: CustomResourceDefinition = {
    metadata: { name: `gizmos.${group}` },
    spec: {
      group,
      scope: 'Namespaced',
      names: { kind: 'Gizmo', plural: 'gizmos', singular: 'gizmo', listKind: 'GizmoList' },
      versions: [
        {
          name: 'v1',
          served: true,
          storage: true,
          schema: {
            openAPIV3Schema: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true },
          },
        },
      ],
    },
  };
  e2e.onStop(() => crds.delete(crd.metadata!.name!).catch(ignoreNotFound));
  const ns = await e2e.namespace('cache-crd');
  const configMaps = Api.namespaced(e2e.client, resources.configMaps, ns);
  const owner = await configMaps.create(parent('owner', 'g'));
  const m = manager();
  const r = new Recording();
  m.addController(
    'gizmo-owner',
    new Controller(configMaps, { labelSelector: 'role=g' })
      .owns(Api.namespaced(e2e.client, gizmos, ns), {
        backoff: () => ({ next: () => 200, reset: () => {} }),
      })
      .withConfig({ logger }),
    (c) => c.run(r, { cache: m.cache }),
  );
  const done = m.start();
  try {
    // The gizmo watch fails (the resource is not served): not ready, no reconcile yet.
    await vi.waitFor(
      async () =>
        expect((await readyz(m)).body).toContain(
          `not ready: cache: gizmos (${group}/v1) in namespace '${ns}' has not synced`,
        ),
      EVENTUALLY,
    );
    expect(r.seen).toEqual([]);
    await crds.create(crd);
    await awaitCondition(crds, crd.metadata!.name!, conditions.isCrdEstablished(), {
      timeoutMs: 30_000,
    });
    await vi.waitFor(async () => expect((await readyz(m)).status).toBe(200), EVENTUALLY);
    await vi.waitFor(() => expect(r.seen).toContain('owner:objectUpdated:'), EVENTUALLY);
    await Api.namespaced(e2e.client, gizmos, ns).create({
      apiVersion: `${group}/v1`,
      kind: 'Gizmo',
      metadata: { name: 'g1', ownerReferences: [ownerRefTo(owner)] },
    });
    await vi.waitFor(() => expect(r.seen).toContain('owner:relatedObjectUpdated:g1'), EVENTUALLY);
  } finally {
    await m.stop();
    await done;
  }
});
