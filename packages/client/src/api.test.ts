import { ApiError, fieldSelector, isStatus, labelSelector, resources } from '@kube-ts/core';
import type { Deployment, StatefulSet } from '@kube-ts/k8s/apps/v1';
import type { ConfigMap } from '@kube-ts/k8s/core/v1';
import { useMemoryApiServer } from '@kube-ts/test-support';
import { describe, expect, it } from 'vitest';
import { Api } from './api.js';
import { Client } from './client.js';
import { jsonPointerEscape, Patch } from './patch.js';
import type { RetryInfo } from './retry.js';
import type { WatchEvent } from './watch-event.js';

const retries: RetryInfo[] = [];
let nsCount = 0;

const env = useMemoryApiServer({ bookmarkIntervalMs: 0 }, (server) =>
  Client.fromKubeConfig(server.kubeConfig, {
    onRetry: (i) => retries.push(i),
    retry: { baseDelayMs: 1, maxDelayMs: 5 },
  }),
);

/** A fresh namespace per test, so tests do not see each other's objects. */
async function namespace(): Promise<string> {
  const name = `t${++nsCount}`;
  await Api.cluster(env.client, resources.namespaces).create({ metadata: { name } });
  return name;
}

const configMap = (
  name: string,
  data: Record<string, string> = {},
  labels?: Record<string, string>,
): ConfigMap => ({
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: labels ? { name, labels } : { name },
  data,
});

const deployment = (name: string): Deployment => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name },
  spec: {
    replicas: 1,
    selector: { matchLabels: { app: name } },
    template: {
      metadata: { labels: { app: name } },
      spec: {
        containers: [
          { name: 'main', image: 'nginx:1' },
          { name: 'side', image: 'busybox:1' },
        ],
      },
    },
  },
});

async function errorOf(p: Promise<unknown>): Promise<ApiError> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!ApiError.is(err)) throw new Error(`expected an ApiError, got ${String(err)}`);
  return err;
}

describe('Api against MemoryApiServer', () => {
  it('creates, gets, replaces and deletes', async () => {
    const api = Api.namespaced(env.client, resources.configMaps, await namespace());
    const created = await api.create(configMap('a', { k: 'v' }));
    expect(created.metadata?.uid).toBeTruthy();
    expect(created.metadata?.resourceVersion).toBeTruthy();
    expect((await api.get('a')).data).toEqual({ k: 'v' });
    const replaced = await api.replace('a', { ...created, data: { k: 'w' } });
    expect(replaced.data).toEqual({ k: 'w' });
    expect(replaced.metadata?.resourceVersion).not.toBe(created.metadata?.resourceVersion);
    const res = await api.delete('a');
    expect(res.kind).toBe('deleted');
    expect(await api.getOpt('a')).toBeUndefined();
    expect((await errorOf(api.get('a'))).isNotFound()).toBe(true);
    expect((await errorOf(api.delete('a'))).isNotFound()).toBe(true);
  });

  it('rejects a duplicate create with 409 AlreadyExists', async () => {
    const api = Api.namespaced(env.client, resources.configMaps, await namespace());
    await api.create(configMap('a'));
    const err = await errorOf(api.create(configMap('a')));
    expect(err.isAlreadyExists()).toBe(true);
    expect(err.isConflict()).toBe(false);
    expect(err.reason).toBe('AlreadyExists');
  });

  it('rejects a replace with a stale resourceVersion with 409 Conflict', async () => {
    const api = Api.namespaced(env.client, resources.configMaps, await namespace());
    const v1 = await api.create(configMap('a', { n: '1' }));
    await api.replace('a', { ...v1, data: { n: '2' } });
    const err = await errorOf(api.replace('a', { ...v1, data: { n: '3' } }));
    expect(err.isConflict()).toBe(true);
    expect(err.reason).toBe('Conflict');
    expect((await api.get('a')).data).toEqual({ n: '2' });
  });

  it('paginates with limit/continue, and listAll follows the tokens', async () => {
    const api = Api.namespaced(env.client, resources.configMaps, await namespace());
    for (let i = 0; i < 7; i++) await api.create(configMap(`cm-${i}`));
    const page1 = await api.list({ limit: 3 });
    expect(page1.items).toHaveLength(3);
    expect(page1.metadata?.continue).toBeTruthy();
    const page2 = await api.list({ limit: 3, continue: page1.metadata?.continue });
    expect(page2.items.map((c) => c.metadata?.name)).not.toContain(page1.items[0]?.metadata?.name);
    const all = await api.listAll({ limit: 3 });
    // Every namespace also holds kube-root-ca.crt, as on a real cluster.
    expect(all.items.map((c) => c.metadata?.name).sort()).toEqual([
      ...[0, 1, 2, 3, 4, 5, 6].map((i) => `cm-${i}`),
      'kube-root-ca.crt',
    ]);
    expect(all.metadata?.resourceVersion).toBeTruthy();
  });

  it('cancels a list when its signal aborts', async () => {
    const api = Api.namespaced(env.client, resources.configMaps, await namespace());
    env.server.faults.latency(2_000);
    try {
      const abort = new AbortController();
      const listing = api.list({ signal: abort.signal });
      abort.abort();
      await expect(listing).rejects.toThrow(/abort/i);
    } finally {
      env.server.faults.latency(0);
    }
  });

  it('filters by label and field selectors, as builders or strings', async () => {
    const ns = await namespace();
    const api = Api.namespaced(env.client, resources.configMaps, ns);
    await api.create(configMap('web-a', {}, { app: 'web', tier: 'fe' }));
    await api.create(configMap('web-b', {}, { app: 'web', tier: 'be' }));
    await api.create(configMap('db', {}, { app: 'db' }));
    const names = async (p: Parameters<typeof api.list>[0]) =>
      (await api.list(p)).items.map((c) => c.metadata?.name).sort();
    expect(await names({ labelSelector: labelSelector().eq('app', 'web') })).toEqual([
      'web-a',
      'web-b',
    ]);
    expect(
      await names({ labelSelector: labelSelector().in('tier', ['fe']).exists('app') }),
    ).toEqual(['web-a']);
    // kube-root-ca.crt (in every namespace) has no labels either.
    expect(await names({ labelSelector: labelSelector().doesNotExist('tier') })).toEqual([
      'db',
      'kube-root-ca.crt',
    ]);
    expect(await names({ labelSelector: 'app!=web' })).toEqual(['db', 'kube-root-ca.crt']);
    expect(await names({ fieldSelector: fieldSelector().eq('metadata.name', 'web-b') })).toEqual([
      'web-b',
    ]);
    const across = await Api.all(env.client, resources.configMaps).list({
      fieldSelector: fieldSelector().eq('metadata.namespace', ns),
      labelSelector: labelSelector({ app: 'db' }),
    });
    expect(across.items.map((c) => c.metadata?.name)).toEqual(['db']);
  });

  it('applies merge, JSON (with test), strategic and apply patches', async () => {
    const ns = await namespace();
    const cms = Api.namespaced(env.client, resources.configMaps, ns);
    await cms.create(configMap('a', { x: '1', y: '2' }));
    const merged = await cms.patch('a', Patch.merge({ data: { x: null, z: '3' } }));
    expect(merged.data).toEqual({ y: '2', z: '3' });

    const labelled = await cms.patch(
      'a',
      Patch.json([
        { op: 'test', path: '/data/y', value: '2' },
        { op: 'add', path: '/metadata/labels', value: {} },
        {
          op: 'add',
          path: `/metadata/labels/${jsonPointerEscape('example.com/owner')}`,
          value: 'me',
        },
      ]),
    );
    expect(labelled.metadata?.labels).toEqual({ 'example.com/owner': 'me' });
    const failed = await errorOf(
      cms.patch('a', Patch.json([{ op: 'test', path: '/data/y', value: 'nope' }])),
    );
    expect(failed.code).toBeGreaterThanOrEqual(400);

    const deps = Api.namespaced(env.client, resources.deployments, ns);
    await deps.create(deployment('web'));
    const strategic = await deps.patch(
      'web',
      Patch.strategic({
        spec: { template: { spec: { containers: [{ name: 'side', image: 'busybox:2' }] } } },
      }),
    );
    expect(strategic.spec?.template.spec?.containers.map((c) => `${c.name}=${c.image}`)).toEqual([
      'main=nginx:1',
      'side=busybox:2',
    ]);

    const applied = await cms.patch(
      'b',
      Patch.apply({
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: { name: 'b' },
        data: { owned: 'yes' },
      }),
      { fieldManager: 'kube-ts-test' },
    );
    expect(applied.data).toEqual({ owned: 'yes' });
    expect(applied.metadata?.managedFields?.map((m) => m.manager)).toContain('kube-ts-test');
    await expect(cms.patch('b', Patch.apply(configMap('b')))).rejects.toThrow(/fieldManager/);
  });

  it('reads and writes the status and scale subresources', async () => {
    // A StatefulSet: no controller of MemoryApiServer writes its status meanwhile (the
    // Deployment controller would).
    const deps = Api.namespaced(env.client, resources.statefulSets, await namespace());
    const { selector, template } = deployment('web').spec ?? { selector: {}, template: {} };
    const sts: StatefulSet = {
      apiVersion: 'apps/v1',
      kind: 'StatefulSet',
      metadata: { name: 'web' },
      spec: { replicas: 1, selector, template },
    };
    await deps.create(sts);
    const patched = await deps.patchStatus(
      'web',
      Patch.merge({ status: { observedGeneration: 1, replicas: 1 } }),
    );
    expect(patched.status?.replicas).toBe(1);
    const got = await deps.getStatus('web');
    expect(got.status?.observedGeneration).toBe(1);
    const replaced = await deps.replaceStatus('web', {
      ...got,
      status: { ...got.status, replicas: 2 },
    });
    expect(replaced.status?.replicas).toBe(2);
    const ignored = await deps.patchStatus('web', Patch.merge({ spec: { replicas: 9 } }));
    expect(ignored.spec?.replicas).toBe(1);

    const scale = await deps.getScale('web');
    expect(scale.spec?.replicas).toBe(1);
    await deps.patchScale('web', Patch.merge({ spec: { replicas: 3 } }));
    expect((await deps.get('web')).spec?.replicas).toBe(3);
    const s = await deps.getScale('web');
    await deps.replaceScale('web', { ...s, spec: { replicas: 4 } });
    expect((await deps.get('web')).spec?.replicas).toBe(4);
  });

  it('tells "deletion started" from "gone", and deletes collections', async () => {
    const api = Api.namespaced(env.client, resources.configMaps, await namespace());
    await api.create({
      ...configMap('held'),
      metadata: { name: 'held', finalizers: ['example.com/hold'] },
    });
    const started = await api.delete('held');
    expect(started.kind).toBe('deleting');
    if (started.kind === 'deleting')
      expect(started.object.metadata?.deletionTimestamp).toBeTruthy();
    await api.patch('held', Patch.merge({ metadata: { finalizers: null } }));
    expect(await api.getOpt('held')).toBeUndefined();

    const v = await api.create(configMap('guarded'));
    const pre = await errorOf(api.delete('guarded', { preconditions: { resourceVersion: '1' } }));
    expect(pre.isConflict()).toBe(true);
    expect((await api.delete('guarded', { preconditions: { uid: v.metadata?.uid } })).kind).toBe(
      'deleted',
    );

    await api.create(configMap('x1', {}, { batch: 'x' }));
    await api.create(configMap('x2', {}, { batch: 'x' }));
    await api.create(configMap('keep'));
    const res = await api.deleteCollection({ labelSelector: labelSelector({ batch: 'x' }) });
    expect(isStatus(res) || Array.isArray(res.items)).toBe(true);
    expect((await api.list()).items.map((c) => c.metadata?.name)).toEqual([
      'keep',
      'kube-root-ca.crt',
    ]);
  });

  it('watches ADDED, MODIFIED and DELETED from a resourceVersion', async () => {
    const api = Api.namespaced(env.client, resources.configMaps, await namespace());
    const list = await api.list();
    const ac = new AbortController();
    const seen: string[] = [];
    const done = (async () => {
      for await (const e of api.watch({
        resourceVersion: list.metadata?.resourceVersion,
        signal: ac.signal,
      })) {
        seen.push(`${e.type}:${e.type === 'ERROR' ? '' : e.object.metadata?.name}`);
        if (e.type === 'DELETED') ac.abort();
      }
    })();
    const a = await api.create(configMap('a'));
    await api.replace('a', { ...a, data: { v: '2' } });
    await api.delete('a');
    await done;
    expect(seen).toEqual(['ADDED:a', 'MODIFIED:a', 'DELETED:a']);
  });

  it('a quiet watch outlives the request timeout and ends when the server ends it', async () => {
    const quiet = Client.fromKubeConfig(env.server.kubeConfig, { timeoutMs: 200 });
    try {
      const api = Api.namespaced(quiet, resources.configMaps, await namespace());
      const events: WatchEvent<ConfigMap>[] = [];
      // A selector nothing matches (not even the namespace's kube-root-ca.crt): a quiet watch.
      for await (const e of api.watch({ timeoutSeconds: 1, labelSelector: 'quiet=yes' }))
        events.push(e);
      expect(events).toEqual([]);
    } finally {
      quiet.close();
    }
  });

  it('yields the ERROR event (410) of a watch from a compacted resourceVersion', async () => {
    const api = Api.namespaced(env.client, resources.configMaps, await namespace());
    const old = (await api.list()).metadata?.resourceVersion;
    await api.create(configMap('a'));
    env.server.faults.compact();
    const events: WatchEvent<ConfigMap>[] = [];
    for await (const e of api.watch({ resourceVersion: old })) {
      events.push(e);
      if (e.type === 'ERROR') break;
    }
    const last = events.at(-1);
    expect(last?.type).toBe('ERROR');
    if (last?.type === 'ERROR') expect(ApiError.fromStatus(last.object).isGone()).toBe(true);
  });

  it('retries a throttled request after Retry-After (failNext)', async () => {
    const api = Api.namespaced(env.client, resources.configMaps, await namespace());
    await api.create(configMap('a'));
    retries.length = 0;
    env.server.faults.failNext(2, { method: 'GET', path: /\/configmaps\/a$/ }, 429, {
      retryAfterSeconds: 0,
    });
    expect((await api.get('a')).metadata?.name).toBe('a');
    expect(retries.map((r) => [r.status, r.delayMs, r.fromRetryAfter])).toEqual([
      [429, 0, true],
      [429, 0, true],
    ]);
    retries.length = 0;
    env.server.faults.failNext(4, { method: 'GET' }, 503);
    const err = await errorOf(api.get('a'));
    expect(err.code).toBe(503);
    expect(retries).toHaveLength(3);
  });

  it('addresses cluster-scoped resources and refuses misuse of scopes', async () => {
    const name = await namespace();
    expect((await Api.cluster(env.client, resources.namespaces).get(name)).metadata?.name).toBe(
      name,
    );
    expect(() => Api.cluster(env.client, resources.configMaps)).toThrow(/namespaced/);
    expect(() => Api.namespaced(env.client, resources.namespaces, 'x')).toThrow(/cluster-scoped/);
    await expect(Api.all(env.client, resources.configMaps).get('a')).rejects.toThrow(
      /all namespaces/,
    );
    const created = await Api.all(env.client, resources.configMaps).create({
      ...configMap('via-all'),
      metadata: { name: 'via-all', namespace: name },
    });
    expect(created.metadata?.namespace).toBe(name);
  });
});
