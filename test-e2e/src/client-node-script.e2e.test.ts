/**
 * Differential: @kubernetes/client-node, loaded from the kubeconfig file the API server's
 * tooling writes (MemoryApiServer's `writeKubeconfig` as is), runs a short script of typed
 * calls: version, create, watch, get, replace, a stale replace (409), patch, list, a
 * Deployment's scale, delete and a 404.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  AppsV1Api,
  CoreV1Api,
  KubeConfig,
  PatchStrategy,
  setHeaderOptions,
  VersionApi,
  Watch,
} from '@kubernetes/client-node';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { type E2eContext, startE2e } from './support.js';

let e2e: E2eContext;
let ns: string;
let dir: string;
let kc: KubeConfig;

beforeAll(async () => {
  e2e = await startE2e();
  ns = await e2e.namespace('e2e-client-node');
  dir = await mkdtemp(join(tmpdir(), 'kube-ts-client-node-'));
  const path = join(dir, 'kubeconfig');
  await e2e.backend.writeKubeconfig(path);
  kc = new KubeConfig();
  kc.loadFromFile(path);
});

afterAll(async () => {
  await e2e?.stop();
  if (dir) await rm(dir, { recursive: true, force: true });
});

/** The error's HTTP code, as client-node's ApiException carries it. */
async function codeOf(p: Promise<unknown>): Promise<number | undefined> {
  try {
    await p;
    return undefined;
  } catch (e) {
    return (e as { code?: number }).code;
  }
}

test('a script of client-node calls gives the same answers', async () => {
  const core = kc.makeApiClient(CoreV1Api);
  const apps = kc.makeApiClient(AppsV1Api);

  expect((await kc.makeApiClient(VersionApi).getCode()).gitVersion).toBe('v1.36.3');

  const events: [string, string][] = [];
  const watch = await new Watch(kc).watch(
    `/api/v1/namespaces/${ns}/configmaps`,
    { labelSelector: 'script=client-node' },
    (type, obj) => events.push([type, obj.metadata.name]),
    () => undefined,
  );
  const created = await core.createNamespacedConfigMap({
    namespace: ns,
    body: { metadata: { name: 'cn', labels: { script: 'client-node' } }, data: { a: '1' } },
  });
  expect(created.data).toEqual({ a: '1' });
  await expect.poll(() => events).toEqual([['ADDED', 'cn']]);
  watch.abort();

  const got = await core.readNamespacedConfigMap({ name: 'cn', namespace: ns });
  const replaced = await core.replaceNamespacedConfigMap({
    name: 'cn',
    namespace: ns,
    body: { ...got, data: { ...got.data, b: '2' } },
  });
  expect(replaced.data).toEqual({ a: '1', b: '2' });
  expect(
    await codeOf(
      core.replaceNamespacedConfigMap({
        name: 'cn',
        namespace: ns,
        body: { ...got, data: { c: '3' } },
      }),
    ),
  ).toBe(409);

  const patched = await core.patchNamespacedConfigMap(
    { name: 'cn', namespace: ns, body: { data: { a: null, d: '4' } } },
    setHeaderOptions('Content-Type', PatchStrategy.StrategicMergePatch),
  );
  expect(patched.data).toEqual({ b: '2', d: '4' });
  const list = await core.listNamespacedConfigMap({
    namespace: ns,
    labelSelector: 'script=client-node',
  });
  expect(list.items.map((i) => i.metadata?.name)).toEqual(['cn']);

  const labels = { app: 'cn' };
  await apps.createNamespacedDeployment({
    namespace: ns,
    body: {
      metadata: { name: 'cn' },
      spec: {
        replicas: 1,
        selector: { matchLabels: labels },
        template: {
          metadata: { labels },
          spec: { containers: [{ name: 'app', image: 'nginx' }] },
        },
      },
    },
  });
  const scale = await apps.readNamespacedDeploymentScale({ name: 'cn', namespace: ns });
  expect(scale.spec?.replicas).toBe(1);
  // Without its resourceVersion: the real deployment controller may write status meanwhile.
  const scaled = await apps.replaceNamespacedDeploymentScale({
    name: 'cn',
    namespace: ns,
    body: { ...scale, metadata: { name: 'cn', namespace: ns }, spec: { replicas: 3 } },
  });
  expect(scaled.spec?.replicas).toBe(3);

  await core.deleteNamespacedConfigMap({ name: 'cn', namespace: ns });
  expect(await codeOf(core.readNamespacedConfigMap({ name: 'cn', namespace: ns }))).toBe(404);
});
