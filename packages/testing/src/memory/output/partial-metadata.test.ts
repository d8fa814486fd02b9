import { useMemoryApiServer } from '@kube-ts/test-support';
import { beforeAll, describe, expect, it } from 'vitest';
import { adminHeaders, httpClient } from '../test-client.test-helper.js';

const OBJECT = 'application/json;as=PartialObjectMetadata;g=meta.k8s.io;v=v1';
const LIST = 'application/json;as=PartialObjectMetadataList;g=meta.k8s.io;v=v1';

const env = useMemoryApiServer({ bookmarkIntervalMs: 0 }, (server) => httpClient(server));

beforeAll(async () => {
  await env.client('POST', '/api/v1/namespaces/default/secrets', {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { name: 's1', labels: { app: 'a' } },
    stringData: { password: 'hunter2' },
  });
});

async function get(path: string, accept: string) {
  const r = await fetch(env.server.url + path, {
    headers: { accept, ...adminHeaders(env.server) },
  });
  return { status: r.status, body: (await r.json()) as Record<string, unknown> };
}

describe('metadata-only output', () => {
  it('GET answers the object metadata only, never its data', async () => {
    const r = await get('/api/v1/namespaces/default/secrets/s1', OBJECT);
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({
      kind: 'PartialObjectMetadata',
      apiVersion: 'meta.k8s.io/v1',
      metadata: { name: 's1', namespace: 'default', labels: { app: 'a' } },
    });
    expect(Object.keys(r.body).sort()).toEqual(['apiVersion', 'kind', 'metadata']);
    expect(JSON.stringify(r.body)).not.toContain('aHVudGVyMg');
  });

  it('LIST answers a PartialObjectMetadataList with the list metadata', async () => {
    const r = await get('/api/v1/namespaces/default/secrets?limit=1', LIST);
    expect(r.status).toBe(200);
    expect(r.body.kind).toBe('PartialObjectMetadataList');
    expect(r.body.apiVersion).toBe('meta.k8s.io/v1');
    expect((r.body.metadata as { resourceVersion?: string }).resourceVersion).toBeTruthy();
    expect(r.body.items).toEqual([
      expect.objectContaining({
        kind: 'PartialObjectMetadata',
        apiVersion: 'meta.k8s.io/v1',
        metadata: expect.objectContaining({ name: 's1' }),
      }),
    ]);
    expect(JSON.stringify(r.body)).not.toContain('aHVudGVyMg');
  });

  it('an empty list has items: null, as kube-apiserver serves it', async () => {
    const r = await get('/api/v1/namespaces/default/configmaps?labelSelector=none%3Dhere', LIST);
    expect(r.status).toBe(200);
    expect(r.body.kind).toBe('PartialObjectMetadataList');
    expect(r.body.items).toBeNull();
  });

  it('a list asked for as one object, or an object as a list, is 406', async () => {
    const list = await get('/api/v1/namespaces/default/secrets', OBJECT);
    expect(list.status).toBe(406);
    expect(list.body).toMatchObject({ kind: 'Status', reason: 'NotAcceptable', code: 406 });
    const one = await get('/api/v1/namespaces/default/secrets/s1', LIST);
    expect(one.status).toBe(406);
  });

  it('WATCH events carry PartialObjectMetadata objects', async () => {
    const ac = new AbortController();
    const r = await fetch(`${env.server.url}/api/v1/namespaces/default/secrets?watch=true`, {
      headers: { accept: OBJECT, ...adminHeaders(env.server) },
      signal: ac.signal,
    });
    expect(r.status).toBe(200);
    const reader = r.body!.getReader();
    const { value } = await reader.read();
    ac.abort();
    const event = JSON.parse(new TextDecoder().decode(value).split('\n')[0]!);
    expect(event.type).toBe('ADDED');
    expect(event.object).toMatchObject({
      kind: 'PartialObjectMetadata',
      apiVersion: 'meta.k8s.io/v1',
      metadata: { name: 's1' },
    });
    expect(event.object.data).toBeUndefined();
  });
});
