import type { ServerResponse } from 'node:http';
import { ApiError, resources } from '@kube-ts/core';
import type { ConfigMap } from '@kube-ts/k8s/core/v1';
import { describe, expect, it, vi } from 'vitest';
import { Api } from './api.js';
import { Client } from './client.js';
import { TransportError } from './errors.js';
import { closeAfterEach, type Fixture, json, startFixture, WAIT } from './fixture.test-helper.js';
import { Patch } from './patch.js';
import { resourcePath } from './resource-path.js';

let fixture: Fixture | undefined;
let client: Client | undefined;

closeAfterEach(() => [client, fixture]);

async function api(
  respond: (url: string) => [number, unknown] = () => [200, {}],
): Promise<Api<ConfigMap>> {
  fixture = await startFixture((req, res) => {
    const [code, body] = respond(req.url ?? '');
    json(res, code, body);
  });
  client = Client.fromKubeConfig(fixture.kubeConfig, { timeoutMs: 10_000 });
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
    await expect(a.patch('x', Patch.merge({}), { force: true })).rejects.toThrow(
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
    // Virtual time for the client's timers only (the sockets stay real): the request
    // timeout cannot fire before the headers arrive however slow the machine is, and the
    // clock is moved far past it once they have, before the server sends the event.
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    try {
      let sendEvent!: () => void;
      const eventReleased = new Promise<void>((r) => {
        sendEvent = r;
      });
      fixture = await startFixture(async (_req, res) => {
        res.writeHead(200);
        res.flushHeaders();
        await eventReleased;
        res.end(`${JSON.stringify({ type: 'ADDED', object: { metadata: { name: 'late' } } })}\n`);
      });
      client = Client.fromKubeConfig(fixture.kubeConfig, {
        timeoutMs: 100,
        middleware: [
          async (request, next) => {
            const response = await next(request);
            // The headers are in: 50 request timeouts pass before the event comes.
            vi.advanceTimersByTime(5_000);
            sendEvent();
            return response;
          },
        ],
      });
      const names: (string | undefined)[] = [];
      for await (const e of Api.namespaced(client, resources.configMaps, 'ns1').watch()) {
        if (e.type !== 'ERROR') names.push(e.object.metadata?.name);
      }
      expect(names).toEqual(['late']);
    } finally {
      vi.useRealTimers();
    }
  });
});

describe('Api.listPages over HTTP', () => {
  const page = (names: string[], token?: string) => ({
    kind: 'ConfigMapList',
    apiVersion: 'v1',
    metadata: { resourceVersion: '10', ...(token ? { continue: token } : {}) },
    items: names.map((name) => ({ metadata: { name, namespace: 'ns1' } })),
  });
  const tokenOf = (url: string) => new URL(url, 'http://x').searchParams.get('continue');

  function pagedApi(f: Fixture): Api<ConfigMap> {
    client = Client.fromKubeConfig(f.kubeConfig);
    return Api.namespaced(client, resources.configMaps, 'ns1');
  }

  it('requests the next page while the caller still holds the current one, one page ahead at most', async () => {
    const pages: Record<string, ReturnType<typeof page>> = {
      '': page(['a', 'b'], 't1'),
      t1: page(['c', 'd'], 't2'),
      t2: page(['e']),
    };
    fixture = await startFixture((req, res) => json(res, 200, pages[tokenOf(req.url ?? '') ?? '']));
    const seen = fixture.seen;
    const iterator = pagedApi(fixture).listPages({ limit: 2 })[Symbol.asyncIterator]();
    const first = await iterator.next();
    if (first.done) throw new Error('expected a first page');
    expect(first.value.items.map((i) => i.metadata?.name)).toEqual(['a', 'b']);
    // Page 2 is requested without the caller asking for it…
    await vi.waitFor(() => expect(seen.length).toBe(2), WAIT);
    expect(tokenOf(seen[1]?.url ?? '')).toBe('t1');
    expect(seen[1]?.url).toContain('limit=2');
    // …but not page 3 (only one page ahead).
    await new Promise((r) => setTimeout(r, 50));
    expect(seen.length).toBe(2);
    const names: string[] = [];
    for (let r = await iterator.next(); !r.done; r = await iterator.next())
      names.push(...r.value.items.map((i) => i.metadata?.name ?? ''));
    expect(names).toEqual(['c', 'd', 'e']);
    expect(seen.map((s) => tokenOf(s.url))).toEqual([null, 't1', 't2']);
  });

  it('listAll gives the same items through the lookahead', async () => {
    const pages: Record<string, ReturnType<typeof page>> = {
      '': page(['a'], 't1'),
      t1: page(['b'], 't2'),
      t2: page(['c']),
    };
    fixture = await startFixture((req, res) => json(res, 200, pages[tokenOf(req.url ?? '') ?? '']));
    const all = await pagedApi(fixture).listAll({ limit: 1 });
    expect(all.items.map((i) => i.metadata?.name)).toEqual(['a', 'b', 'c']);
    expect(all.metadata?.resourceVersion).toBe('10');
  });

  it('follows the decoded token when the head is unreadable or misleading', async () => {
    fixture = await startFixture((req, res) => {
      const token = tokenOf(req.url ?? '');
      res.writeHead(200, { 'Content-Type': 'application/json' });
      if (token === null) {
        // items first: nothing to peek, the next page is requested after decoding
        res.end('{"items":[{"metadata":{"name":"a"}}],"metadata":{"continue":"t1"}}');
      } else if (token === 't1') {
        // a duplicate key: the head says "wrong", the decoded list says "t2"
        res.end(
          '{"metadata":{"continue":"wrong"},"items":[{"metadata":{"name":"b"}}],"metadata":{"continue":"t2"}}',
        );
      } else if (token === 'wrong') {
        // never answered; the lookahead for it must be dropped
      } else {
        res.end('{"metadata":{},"items":[{"metadata":{"name":"c"}}]}');
      }
    });
    const names: string[] = [];
    for await (const p of pagedApi(fixture).listPages({ limit: 1 }))
      names.push(...p.items.map((i) => i.metadata?.name ?? ''));
    expect(names).toEqual(['a', 'b', 'c']);
    expect(fixture.seen.map((s) => tokenOf(s.url))).toContain('t2');
  });

  it('a failing page throws when it is reached, after the pages before it', async () => {
    fixture = await startFixture((req, res) => {
      if (tokenOf(req.url ?? '') === null) json(res, 200, page(['a'], 't1'));
      else
        json(res, 410, {
          kind: 'Status',
          apiVersion: 'v1',
          status: 'Failure',
          reason: 'Expired',
          code: 410,
          message: 'continue too old',
        });
    });
    const iterator = pagedApi(fixture).listPages({ limit: 1 })[Symbol.asyncIterator]();
    const first = await iterator.next();
    if (first.done) throw new Error('expected a first page');
    expect(first.value.items).toHaveLength(1);
    // The failed lookahead has come back by now; it surfaces only on the next call.
    await vi.waitFor(() => expect(fixture?.seen.length).toBe(2), WAIT);
    const err = await iterator.next().catch((e: unknown) => e);
    expect(ApiError.is(err)).toBe(true);
    expect((err as ApiError).code).toBe(410);
  });

  it('stopping early aborts the page request in flight', async () => {
    let held: ServerResponse | undefined;
    let closed = false;
    fixture = await startFixture((req, res) => {
      if (tokenOf(req.url ?? '') === null) return json(res, 200, page(['a'], 't1'));
      held = res;
      res.on('close', () => {
        closed = true;
      });
    });
    for await (const p of pagedApi(fixture).listPages({ limit: 1 })) {
      expect(p.items).toHaveLength(1);
      await vi.waitFor(() => expect(held).toBeDefined(), WAIT);
      break;
    }
    await vi.waitFor(() => expect(closed).toBe(true), WAIT);
  });
});
