import { useMemoryApiServer } from '@kube-ts/test-support';
import { beforeAll, describe, expect, it } from 'vitest';
import { httpClient } from './test-client.test-helper.js';

const env = useMemoryApiServer({ bookmarkIntervalMs: 0 }, (server) => httpClient(server));

beforeAll(async () => {
  await env.client('POST', '/api/v1/namespaces', { metadata: { name: 'other' } });
  for (let i = 0; i < 10; i++) {
    await env.client('POST', '/api/v1/namespaces/default/secrets', {
      metadata: { name: `item-${i}`, labels: { idx: String(i), tier: i % 2 ? 'odd' : 'even' } },
    });
  }
  await env.client('POST', '/api/v1/namespaces/other/secrets', {
    metadata: { name: 'elsewhere', labels: { tier: 'odd' } },
  });
});

const names = (body: { items: { metadata: { name: string } }[] }) =>
  body.items.map((i) => i.metadata.name);

describe('list', () => {
  it('lists one namespace, or all namespaces at the cluster path, in key order', async () => {
    const ns = await env.client('GET', '/api/v1/namespaces/default/secrets');
    expect(ns.body.kind).toBe('SecretList');
    expect(names(ns.body)).toEqual([...Array(10)].map((_, i) => `item-${i}`).sort());
    const all = await env.client('GET', '/api/v1/secrets');
    expect(names(all.body)).toContain('elsewhere');
    expect(all.body.items).toHaveLength(11);
  });

  it('paginates with limit/continue at one resourceVersion, consistent across writes', async () => {
    const first = await env.client('GET', '/api/v1/namespaces/default/secrets?limit=4');
    expect(first.body.items).toHaveLength(4);
    expect(first.body.metadata.continue).toBeTruthy();
    expect(first.body.metadata.remainingItemCount).toBe(6);
    const listRv = first.body.metadata.resourceVersion;
    // A write between pages is not seen by the rest of this list.
    await env.client('POST', '/api/v1/namespaces/default/secrets', {
      metadata: { name: 'item-99' },
    });
    await env.client('DELETE', '/api/v1/namespaces/default/secrets/item-8');
    const seen = names(first.body);
    let cont = first.body.metadata.continue;
    while (cont) {
      const page = await env.client(
        'GET',
        `/api/v1/namespaces/default/secrets?limit=4&continue=${encodeURIComponent(cont)}`,
      );
      expect(page.body.metadata.resourceVersion).toBe(listRv);
      seen.push(...names(page.body));
      cont = page.body.metadata.continue;
    }
    expect(seen).toEqual([...Array(10)].map((_, i) => `item-${i}`).sort());
    await env.client('POST', '/api/v1/namespaces/default/secrets', {
      metadata: { name: 'item-8', labels: { idx: '8', tier: 'even' } },
    });
    await env.client('DELETE', '/api/v1/namespaces/default/secrets/item-99');
  });

  it('filters by equality and set-based label selectors', async () => {
    const q = async (sel: string) =>
      names(
        (
          await env.client(
            'GET',
            `/api/v1/namespaces/default/secrets?labelSelector=${encodeURIComponent(sel)}`,
          )
        ).body,
      );
    expect(await q('tier=odd')).toEqual(['item-1', 'item-3', 'item-5', 'item-7', 'item-9']);
    expect(await q('tier==even,idx!=0')).toEqual(['item-2', 'item-4', 'item-6', 'item-8']);
    expect(await q('idx in (1, 2)')).toEqual(['item-1', 'item-2']);
    expect(await q('idx notin (1,2,3,4,5,6,7,8,9)')).toEqual(['item-0']);
    expect(await q('!tier')).toEqual([]);
    expect(await q('tier')).toHaveLength(10);
    expect(await q('idx>7')).toEqual(['item-8', 'item-9']);
  });

  it('answers 400 to a malformed selector', async () => {
    const r = await env.client(
      'GET',
      `/api/v1/secrets?labelSelector=${encodeURIComponent('a in b')}`,
    );
    expect(r.status).toBe(400);
    expect(r.body.reason).toBe('BadRequest');
    const f = await env.client('GET', '/api/v1/secrets?fieldSelector=spec.nope%3Dx');
    expect(f.status).toBe(400);
  });

  it('filters by metadata.name and metadata.namespace field selectors', async () => {
    const byName = await env.client('GET', '/api/v1/secrets?fieldSelector=metadata.name%3Ditem-3');
    expect(names(byName.body)).toEqual(['item-3']);
    const byNs = await env.client(
      'GET',
      '/api/v1/secrets?fieldSelector=metadata.namespace%21%3Ddefault',
    );
    expect(names(byNs.body)).toEqual(['elsewhere']);
  });

  it('a list from a version not reached yet waits for the write that reaches it', async () => {
    const rv = Number(
      (await env.client('GET', '/api/v1/namespaces/default/secrets')).body.metadata.resourceVersion,
    );
    const started = Date.now();
    const waiting = env.client(
      'GET',
      `/api/v1/namespaces/default/secrets?resourceVersion=${rv + 1}`,
    );
    setTimeout(() => {
      void env.client('POST', '/api/v1/namespaces/default/secrets', { metadata: { name: 'soon' } });
    }, 200);
    const res = await waiting;
    expect(res.status).toBe(200);
    expect(names(res.body)).toContain('soon');
    expect(Date.now() - started).toBeLessThan(2500);
  });

  it('resourceVersionMatch=Exact reads an older state; too old is 410, in the future 504', async () => {
    const before = (await env.client('GET', '/api/v1/namespaces/default/secrets')).body.metadata
      .resourceVersion;
    await env.client('POST', '/api/v1/namespaces/default/secrets', { metadata: { name: 'later' } });
    const exact = await env.client(
      'GET',
      `/api/v1/namespaces/default/secrets?resourceVersion=${before}&resourceVersionMatch=Exact`,
    );
    expect(exact.body.metadata.resourceVersion).toBe(before);
    expect(names(exact.body)).not.toContain('later');
    const latest = await env.client(
      'GET',
      `/api/v1/namespaces/default/secrets?resourceVersion=${before}&resourceVersionMatch=NotOlderThan`,
    );
    expect(names(latest.body)).toContain('later');
    const future = await env.client(
      'GET',
      '/api/v1/secrets?resourceVersion=99999999&resourceVersionMatch=NotOlderThan',
    );
    expect(future.status).toBe(504);
    expect(future.body.details.causes[0].reason).toBe('ResourceVersionTooLarge');
    env.server.faults.compact();
    const gone = await env.client(
      'GET',
      `/api/v1/namespaces/default/secrets?resourceVersion=${before}&resourceVersionMatch=Exact`,
    );
    expect(gone.status).toBe(410);
    expect(gone.body).toMatchObject({ reason: 'Expired', code: 410 });
  });

  it('an expired continue token is a 410 Expired', async () => {
    const first = await env.client('GET', '/api/v1/namespaces/default/secrets?limit=2');
    await env.client('POST', '/api/v1/namespaces/default/secrets', {
      metadata: { name: 'after-compact' },
    });
    env.server.faults.compact();
    const r = await env.client(
      'GET',
      `/api/v1/namespaces/default/secrets?limit=2&continue=${first.body.metadata.continue}`,
    );
    expect(r.status).toBe(410);
    expect(r.body.reason).toBe('Expired');
    expect(r.body.message).toContain('continue parameter is too old');
  });

  it('validates list options like the real server (422 ListOptions)', async () => {
    const r = await env.client('GET', '/api/v1/secrets?resourceVersionMatch=Exact');
    expect(r.status).toBe(422);
    expect(r.body.details.causes[0].field).toBe('resourceVersionMatch');
    expect((await env.client('GET', '/api/v1/secrets?continue=garbage')).status).toBe(400);
  });
});
