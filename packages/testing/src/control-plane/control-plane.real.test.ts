import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { request } from 'node:https';
import { promisify } from 'node:util';
import { type CrdClient, installCrds } from '@kube-ts/schema';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { resolveKubectl } from './binaries.js';
import { ControlPlane } from './control-plane.js';
import { sendRequest, type TextResponse } from './http-request.js';

// Against the real binaries (see binaries.ts for where they are looked for). When they
// are missing, these tests fail with the error that says how to build them; set
// KUBE_TS_SKIP_REAL=1 to leave them out deliberately.

const execFileAsync = promisify(execFile);

describe.skipIf(process.env.KUBE_TS_SKIP_REAL === '1')('ControlPlane with real binaries', () => {
  let cp: ControlPlane;

  beforeAll(async () => {
    cp = await ControlPlane.start({ controllerManager: true });
  }, 180_000);
  afterAll(() => cp?.stop());

  // What installCrds needs of a client, over the control plane's TLS identity (this
  // package cannot depend on @kube-ts/client, which tests against it).
  const client: CrdClient = {
    async request<T>(req: Parameters<CrdClient['request']>[0]): Promise<T> {
      const url = new URL(req.path, cp.url);
      for (const [k, v] of Object.entries(req.query ?? {})) {
        if (v !== undefined) url.searchParams.set(k, String(v));
      }
      const response = await sendRequest(url, {
        method: req.method,
        json: req.body,
        contentType: req.contentType,
        tls: cp.tls,
      });
      const parsed = JSON.parse(response.body) as { message?: string };
      if (response.status >= 300) throw new Error(`HTTP ${response.status}: ${parsed.message}`);
      return parsed as T;
    },
  };

  const api = (path: string, method = 'GET', json?: unknown): Promise<TextResponse> =>
    sendRequest(`${cp.url}${path}`, { method, json, tls: cp.tls });
  const body = (response: TextResponse) => JSON.parse(response.body) as Record<string, unknown>;
  const configMap = (
    name: string,
    data: Record<string, string>,
    extra: Record<string, unknown> = {},
  ) => ({
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name, ...extra },
    data,
  });

  it('reports a real version, not v0.0.0', async () => {
    const version = body(await api('/version'));
    expect(version.gitVersion).toMatch(/^v1\.\d+\.\d+/);
  });

  it('creates, gets and lists objects as the admin user over a client certificate', async () => {
    const created = await api(
      '/api/v1/namespaces/default/configmaps',
      'POST',
      configMap('crud', { a: '1' }),
    );
    expect(created.status).toBe(201);
    const got = body(await api('/api/v1/namespaces/default/configmaps/crud'));
    expect(got.data).toEqual({ a: '1' });
    const list = body(await api('/api/v1/namespaces/default/configmaps?labelSelector='));
    expect((list.items as { metadata: { name: string } }[]).map((i) => i.metadata.name)).toContain(
      'crud',
    );
  });

  it('streams watch events', async () => {
    const listed = body(await api('/api/v1/namespaces/default/configmaps'));
    const resourceVersion = (listed.metadata as { resourceVersion: string }).resourceVersion;
    const events: { type: string; object: { metadata: { name: string } } }[] = [];
    const url = new URL(
      `${cp.url}/api/v1/namespaces/default/configmaps?watch=true&resourceVersion=${resourceVersion}`,
    );
    const watch = request(url, { ...cp.tls, agent: false }, (res) => {
      let buffer = '';
      res.setEncoding('utf8').on('data', (chunk: string) => {
        buffer += chunk;
        const lines = buffer.split('\n');
        buffer = lines.pop() ?? '';
        for (const line of lines) if (line.trim() !== '') events.push(JSON.parse(line));
      });
    });
    watch.on('error', () => {});
    watch.end();
    try {
      expect(
        (
          await api(
            '/api/v1/namespaces/default/configmaps',
            'POST',
            configMap('watched', { v: '1' }),
          )
        ).status,
      ).toBe(201);
      await vi.waitFor(
        () =>
          expect(events.map((e) => `${e.type} ${e.object.metadata.name}`)).toContain(
            'ADDED watched',
          ),
        {
          timeout: 10_000,
        },
      );
    } finally {
      watch.destroy();
    }
  });

  it('gives a kubeConfig that @kubernetes/client-node can use', async () => {
    const options: import('node:https').RequestOptions = {};
    await cp.kubeConfig.applyToHTTPSOptions(options);
    const status = await new Promise<number | undefined>((resolve, reject) => {
      const req = request(
        new URL(`${cp.kubeConfig.getCurrentCluster()?.server}/api/v1/namespaces`),
        options,
        (res) => {
          res.resume();
          resolve(res.statusCode);
        },
      );
      req.on('error', reject);
      req.end();
    });
    expect(status).toBe(200);
    expect(cp.kubeConfig.getCurrentCluster()?.server).toBe(cp.url);
  });

  it('writes a kubeconfig file that kubectl can use', async () => {
    const { stdout } = await execFileAsync(await resolveKubectl(), [
      '--kubeconfig',
      cp.kubeconfigPath,
      'get',
      'ns',
      '-o',
      'name',
    ]);
    expect(stdout.split('\n')).toEqual(
      expect.arrayContaining(['namespace/default', 'namespace/kube-system']),
    );
  });

  it('serves CRDs installed with installCrds, and enforces their schema', async () => {
    await installCrds(client, [
      {
        apiVersion: 'apiextensions.k8s.io/v1',
        kind: 'CustomResourceDefinition',
        metadata: { name: 'widgets.test.kube-ts.dev' },
        spec: {
          group: 'test.kube-ts.dev',
          scope: 'Namespaced',
          names: { plural: 'widgets', singular: 'widget', kind: 'Widget', listKind: 'WidgetList' },
          versions: [
            {
              name: 'v1',
              served: true,
              storage: true,
              schema: {
                openAPIV3Schema: {
                  type: 'object',
                  properties: {
                    spec: { type: 'object', properties: { size: { type: 'integer' } } },
                  },
                },
              },
            },
          ],
        },
      },
    ]);
    const path = '/apis/test.kube-ts.dev/v1/namespaces/default/widgets';
    const widget = (size: unknown) => ({
      apiVersion: 'test.kube-ts.dev/v1',
      kind: 'Widget',
      metadata: { name: `w-${String(size)}` },
      spec: { size },
    });
    expect((await api(path, 'POST', widget(3))).status).toBe(201);
    expect((await api(path, 'POST', widget('big'))).status).toBe(422);
  });

  it('rejects an invalid CRD with the server message', async () => {
    const error = await installCrds(client, [
      {
        apiVersion: 'apiextensions.k8s.io/v1',
        kind: 'CustomResourceDefinition',
        metadata: { name: 'bad.example' },
      },
    ]).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Error);
    expect((error as Error).message).toMatch(
      /^installCrds: applying CRD bad\.example failed: HTTP 422: .*"bad\.example" is invalid/,
    );
  });

  it('collects dependents of a deleted owner (kube-controller-manager runs the garbage collector)', async () => {
    const owner = body(
      await api('/api/v1/namespaces/default/configmaps', 'POST', configMap('owner', {})),
    );
    const uid = (owner.metadata as { uid: string }).uid;
    const ownerReferences = [{ apiVersion: 'v1', kind: 'ConfigMap', name: 'owner', uid }];
    const dependent = configMap('dependent', {}, { ownerReferences });
    expect((await api('/api/v1/namespaces/default/configmaps', 'POST', dependent)).status).toBe(
      201,
    );
    expect((await api('/api/v1/namespaces/default/configmaps/owner', 'DELETE')).status).toBe(200);
    await vi.waitFor(
      async () =>
        expect((await api('/api/v1/namespaces/default/configmaps/dependent')).status).toBe(404),
      { timeout: 60_000, interval: 200 },
    );
  }, 70_000);

  it('finishes deleting a namespace (kube-controller-manager runs the namespace controller)', async () => {
    const namespace = { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'doomed' } };
    expect((await api('/api/v1/namespaces', 'POST', namespace)).status).toBe(201);
    expect(
      (await api('/api/v1/namespaces/doomed/configmaps', 'POST', configMap('inside', {}))).status,
    ).toBe(201);
    expect((await api('/api/v1/namespaces/doomed', 'DELETE')).status).toBe(200);
    await vi.waitFor(
      async () => expect((await api('/api/v1/namespaces/doomed')).status).toBe(404),
      {
        timeout: 60_000,
        interval: 200,
      },
    );
  }, 70_000);

  it('restarts kube-apiserver on the same URL with its data kept in etcd', async () => {
    expect(
      (
        await api(
          '/api/v1/namespaces/default/configmaps',
          'POST',
          configMap('survivor', { k: 'v' }),
        )
      ).status,
    ).toBe(201);
    await cp.stopApiServer();
    await expect(api('/readyz')).rejects.toThrow();
    await cp.startApiServer();
    const got = body(await api('/api/v1/namespaces/default/configmaps/survivor'));
    expect(got.data).toEqual({ k: 'v' });
  }, 120_000);

  it('stop() ends every process and removes its directory', async () => {
    const { dir, etcdUrl } = cp;
    await cp.stop();
    expect(existsSync(dir)).toBe(false);
    await expect(api('/readyz')).rejects.toThrow();
    await expect(sendRequest(`${etcdUrl}/health`)).rejects.toThrow();
    await expect(cp.startApiServer()).rejects.toThrow(/has been stopped/);
  }, 60_000);
});

describe.skipIf(process.env.KUBE_TS_SKIP_REAL === '1')(
  'ControlPlane.compactEtcd with the watch cache off',
  () => {
    let cp: ControlPlane;

    beforeAll(async () => {
      // No watch cache for ConfigMaps, so watches read etcd; kube-apiserver learns of a
      // compaction at its own compaction cycle, made short here.
      cp = await ControlPlane.start({
        apiServerFlags: ['--watch-cache-sizes=configmaps#0', '--etcd-compaction-interval=2s'],
      });
    }, 180_000);
    afterAll(() => cp?.stop());

    it('makes lists and watches from a compacted resourceVersion fail with 410 Gone', async () => {
      const api = (path: string, method = 'GET', json?: unknown) =>
        sendRequest(`${cp.url}${path}`, { method, json, tls: cp.tls });
      const created = await api('/api/v1/namespaces/default/configmaps', 'POST', {
        metadata: { name: 'old' },
      });
      const oldVersion = (JSON.parse(created.body) as { metadata: { resourceVersion: string } })
        .metadata.resourceVersion;
      await api('/api/v1/namespaces/default/configmaps', 'POST', { metadata: { name: 'newer' } });

      const revision = await cp.compactEtcd();
      expect(revision).toBeGreaterThan(Number(oldVersion));
      // Compacting again is fine (kube-apiserver's own compactor may have moved the
      // revision on in between, so it is at least the first one).
      expect(await cp.compactEtcd()).toBeGreaterThanOrEqual(revision);

      const list = await api(
        `/api/v1/namespaces/default/configmaps?resourceVersion=${oldVersion}&resourceVersionMatch=Exact`,
      );
      expect(list.status).toBe(410);
      // The watch path sees the compaction once kube-apiserver has noticed it (bounded poll).
      const firstWatchEvent = async () => {
        const watch = await api(
          `/api/v1/namespaces/default/configmaps?watch=true&resourceVersion=${oldVersion}&timeoutSeconds=1`,
        );
        return JSON.parse(watch.body.split('\n')[0] ?? '') as unknown;
      };
      await expect
        .poll(firstWatchEvent, { timeout: 30_000, interval: 1_000 })
        .toMatchObject({ type: 'ERROR', object: { code: 410 } });
    }, 60_000);
  },
);
