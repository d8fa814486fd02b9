import { resources } from '@kube-ts/core';
import type { V1ConfigMap } from '@kubernetes/client-node';
import { afterEach, describe, expect, it } from 'vitest';
import { Api } from './api.js';
import { Client } from './client.js';
import { TransportError } from './errors.js';
import { type Fixture, json, startFixture } from './fixture.test.util.js';
import { Patch } from './patch.js';
import { resourcePath } from './resource-path.js';

let fixture: Fixture | undefined;
let client: Client | undefined;

afterEach(async () => {
  client?.close();
  client = undefined;
  await fixture?.close();
  fixture = undefined;
});

async function api(
  respond: (url: string) => [number, unknown] = () => [200, {}],
): Promise<Api<V1ConfigMap>> {
  fixture = await startFixture((req, res) => {
    const [code, body] = respond(req.url ?? '');
    json(res, code, body);
  });
  client = Client.fromKubeConfig(fixture.kubeConfig, { timeoutMs: 200 });
  return Api.namespaced(client, resources.configMaps, 'ns1');
}

describe('resourcePath', () => {
  it('builds core, grouped, cluster-scoped and subresource paths, encoding segments', () => {
    expect(resourcePath(resources.pods, 'ns')).toBe('/api/v1/namespaces/ns/pods');
    expect(resourcePath(resources.deployments, 'ns', 'web', 'scale')).toBe(
      '/apis/apps/v1/namespaces/ns/deployments/web/scale',
    );
    expect(resourcePath(resources.namespaces, undefined, 'kube-system')).toBe(
      '/api/v1/namespaces/kube-system',
    );
    expect(resourcePath(resources.configMaps, undefined)).toBe('/api/v1/configmaps');
    expect(resourcePath(resources.configMaps, 'ns', 'a/b c')).toBe(
      '/api/v1/namespaces/ns/configmaps/a%2Fb%20c',
    );
  });
});

describe('Api on the wire', () => {
  it('sends each patch type with its content type and params', async () => {
    const a = await api();
    await a.patch('x', Patch.merge({ data: { a: '1' } }));
    await a.patch('x', Patch.json([{ op: 'remove', path: '/data/a' }]));
    await a.patch('x', Patch.strategic({ data: {} }), { dryRun: 'All' });
    await a.patch(
      'x',
      Patch.apply({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x' } }),
      {
        fieldManager: 'me',
        force: true,
      },
    );
    const seen = fixture?.seen ?? [];
    expect(seen.map((s) => s.headers['content-type'])).toEqual([
      'application/merge-patch+json',
      'application/json-patch+json',
      'application/strategic-merge-patch+json',
      'application/apply-patch+yaml',
    ]);
    expect(seen.map((s) => s.url)).toEqual([
      '/api/v1/namespaces/ns1/configmaps/x',
      '/api/v1/namespaces/ns1/configmaps/x',
      '/api/v1/namespaces/ns1/configmaps/x?dryRun=All',
      '/api/v1/namespaces/ns1/configmaps/x?fieldManager=me&force=true',
    ]);
    expect(JSON.parse(seen[1]?.body ?? '')).toEqual([{ op: 'remove', path: '/data/a' }]);
    expect(() => a.patch('x', Patch.merge({}), { force: true })).toThrow(
      /force applies to Patch.apply only/,
    );
  });

  it('sends DeleteOptions in the body and treats 202 as deletion started', async () => {
    const a = await api(() => [202, { metadata: { name: 'x' } }]);
    const res = await a.delete('x', {
      propagationPolicy: 'Foreground',
      gracePeriodSeconds: 0,
      preconditions: { uid: 'u1' },
      dryRun: 'All',
    });
    expect(res).toEqual({ kind: 'deleting', object: { metadata: { name: 'x' } } });
    expect(JSON.parse(fixture?.seen[0]?.body ?? '')).toEqual({
      kind: 'DeleteOptions',
      apiVersion: 'v1',
      propagationPolicy: 'Foreground',
      gracePeriodSeconds: 0,
      preconditions: { uid: 'u1' },
      dryRun: ['All'],
    });
  });

  it('treats a returned object without deletionTimestamp as deleted', async () => {
    const a = await api(() => [200, { metadata: { name: 'x', uid: 'u' } }]);
    expect(await a.delete('x')).toMatchObject({
      kind: 'deleted',
      object: { metadata: { name: 'x' } },
      status: { status: 'Success', details: { name: 'x', uid: 'u', kind: 'configmaps' } },
    });
  });

  it('renders list params into the query', async () => {
    const a = await api(() => [200, { items: [] }]);
    await a.list({
      labelSelector: 'a=b',
      fieldSelector: '',
      limit: 10,
      continue: '',
      resourceVersion: '5',
      resourceVersionMatch: 'NotOlderThan',
      timeoutSeconds: 3,
    });
    expect(fixture?.seen[0]?.url).toBe(
      '/api/v1/namespaces/ns1/configmaps?labelSelector=a%3Db&limit=10&resourceVersion=5&resourceVersionMatch=NotOlderThan&timeoutSeconds=3',
    );
  });

  it('fails a watch whose response headers do not arrive within the timeout', async () => {
    fixture = await startFixture(() => {});
    client = Client.fromKubeConfig(fixture.kubeConfig, {
      timeoutMs: 100,
      retry: { maxRetries: 0 },
    });
    const w = Api.namespaced(client, resources.configMaps, 'ns1').watch();
    const err = (await (async () => {
      for await (const _ of w) {
        /* none */
      }
    })().catch((e: unknown) => e)) as TransportError;
    expect(err).toBeInstanceOf(TransportError);
    expect(err.message).toMatch(/no response headers within 100 ms/);
  });

  it('keeps a watch open beyond the request timeout once it has started', async () => {
    fixture = await startFixture(async (_req, res) => {
      res.writeHead(200);
      res.flushHeaders();
      await new Promise((r) => setTimeout(r, 300));
      res.end(`${JSON.stringify({ type: 'ADDED', object: { metadata: { name: 'late' } } })}\n`);
    });
    client = Client.fromKubeConfig(fixture.kubeConfig, { timeoutMs: 100 });
    const names: (string | undefined)[] = [];
    for await (const e of Api.namespaced(client, resources.configMaps, 'ns1').watch()) {
      if (e.type !== 'ERROR') names.push(e.object.metadata?.name);
    }
    expect(names).toEqual(['late']);
  });
});
