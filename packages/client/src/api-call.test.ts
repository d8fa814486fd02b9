/**
 * Per-call control, unserved resources, subresource helpers, logs and metadata-only
 * requests, against a fixture server that answers exactly what each test needs.
 */
import { isNotFound, resources } from '@kube-ts/core';
import { describe, expect, it } from 'vitest';
import { Api } from './api.js';
import { Client } from './client.js';
import { RequestTimeoutError, ResourceNotServedError } from './errors.js';
import { closeAfterEach, type Fixture, json, startFixture } from './fixture.test-helper.js';
import { Patch } from './patch.js';

let fixture: Fixture | undefined;
let client: Client | undefined;

closeAfterEach(() => [client, fixture]);

async function serve(handler: Parameters<typeof startFixture>[0]): Promise<Client> {
  fixture = await startFixture(handler);
  client = Client.fromKubeConfig(fixture.kubeConfig, { retry: { maxRetries: 0 } });
  return client;
}

/** Every method family, each given per-call options. */
function families(
  api: Api<{ metadata?: { name?: string } }>,
  o: { signal?: AbortSignal; timeoutMs?: number },
): Record<string, () => Promise<unknown>> {
  const cm = { metadata: { name: 'a' } };
  return {
    get: () => api.get('a', o),
    getOpt: () => api.getOpt('a', o),
    list: () => api.list(o),
    listPages: async () => {
      for await (const _ of api.listPages(o)) {
        /* pages */
      }
    },
    create: () => api.create(cm, o),
    replace: () => api.replace('a', cm, o),
    patch: () => api.patch('a', Patch.merge({}), o),
    apply: () => api.apply('a', cm, { ...o, fieldManager: 'me' }),
    delete: () => api.delete('a', o),
    deleteCollection: () => api.deleteCollection(o),
    status: () => api.getStatus('a', o),
    scale: () => api.getScale('a', o),
    subresource: () => api.subresource('a', 'foo').create(cm, o),
    watch: async () => {
      for await (const _ of api.watch(o)) {
        /* events */
      }
    },
  };
}

describe('per-call control against a server that never answers', () => {
  it('timeoutMs rejects every method family with a RequestTimeoutError', async () => {
    const c = await serve(() => {});
    const api = Api.namespaced(c, resources.configMaps, 'ns1');
    for (const [name, call] of Object.entries(families(api, { timeoutMs: 60 }))) {
      const err = await call().then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(err, name).toBeInstanceOf(RequestTimeoutError);
      expect((err as RequestTimeoutError).timeoutMs, name).toBe(60);
    }
  });

  it("abort rejects every method family with the signal's reason; a watch ends quietly", async () => {
    const c = await serve(() => {});
    const api = Api.namespaced(c, resources.configMaps, 'ns1');
    for (const name of Object.keys(families(api, {}))) {
      const ac = new AbortController();
      const reason = new Error(`stop ${name}`);
      const calls = families(api, { signal: ac.signal });
      const p = calls[name]!().then(
        () => 'resolved',
        (e: unknown) => e,
      );
      setTimeout(() => ac.abort(reason), 30);
      expect(await p, name).toBe(name === 'watch' ? 'resolved' : reason);
    }
  });

  it('AbortSignal.timeout on list is a RequestTimeoutError, not an abort', async () => {
    const c = await serve(() => {});
    const api = Api.namespaced(c, resources.configMaps, 'ns1');
    const err = await api.list({ signal: AbortSignal.timeout(50) }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RequestTimeoutError);
    expect((err as Error).message).toMatch(/signal timed out/);
  });
});

describe('bad arguments reject, never throw', () => {
  it('an empty name, a name on an all-namespaces Api, a bad patch, a helper on the wrong resource', async () => {
    const c = await serve((_req, res) => json(res, 200, {}));
    const cms = Api.namespaced(c, resources.configMaps, 'ns1');
    const all = Api.all(c, resources.configMaps);
    const attempts: [() => Promise<unknown>, RegExp][] = [
      [() => cms.get(''), /name must be a non-empty string/],
      [() => all.get('x'), /spans all namespaces/],
      [() => all.create({ metadata: { name: 'x' } }), /set metadata.namespace/],
      [() => cms.patch('x', Patch.apply({ metadata: {} })), /fieldManager/],
      [() => cms.patch('x', { type: 'nonsense' } as never), /pass a Patch/],
      [() => cms.logs('x'), /no 'log' subresource helper/],
      [() => cms.token('x'), /no 'token' subresource helper/],
      [() => cms.evict('x'), /no 'eviction' subresource helper/],
      [() => cms.subresource('x', '').get(), /not a subresource name/],
    ];
    for (const [call, message] of attempts) {
      let promise: Promise<unknown> | undefined;
      expect(() => {
        promise = call();
      }).not.toThrow();
      await expect(promise).rejects.toThrow(message);
    }
    expect(fixture?.seen).toEqual([]);
  });
});

describe('a resource the server does not serve', () => {
  it('a plain 404 (unknown group) names the resource and says to install its CRD', async () => {
    const c = await serve((_req, res) => {
      res.writeHead(404, { 'Content-Type': 'text/plain' });
      res.end('404 page not found\n');
    });
    const widgets = Api.namespaced(
      c,
      { group: 'example.com', version: 'v1', kind: 'Widget', plural: 'widgets', namespaced: true },
      'ns1',
    );
    const err = await widgets.get('w').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ResourceNotServedError);
    expect(isNotFound(err)).toBe(true);
    expect((err as Error).message).toMatch(/does not serve Widget \(widgets.example.com\/v1\)/);
    expect((err as Error).message).toMatch(/install the CustomResourceDefinition/);
    await expect(widgets.getOpt('w')).rejects.toBeInstanceOf(ResourceNotServedError);
    await expect(widgets.list()).rejects.toBeInstanceOf(ResourceNotServedError);
  });

  it('a Status 404 without details (unknown resource of a served group) too; an object 404 not', async () => {
    const c = await serve((req, res) => {
      if (req.url?.includes('/widgets')) {
        json(res, 404, {
          kind: 'Status',
          status: 'Failure',
          message: 'the server could not find the requested resource',
          reason: 'NotFound',
          details: {},
          code: 404,
        });
      } else {
        json(res, 404, {
          kind: 'Status',
          status: 'Failure',
          message: 'configmaps "a" not found',
          reason: 'NotFound',
          details: { name: 'a', kind: 'configmaps' },
          code: 404,
        });
      }
    });
    const widgets = Api.cluster(c, {
      group: '',
      version: 'v1',
      kind: 'Widget',
      plural: 'widgets',
      namespaced: false,
    });
    const err = await widgets.get('w').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ResourceNotServedError);
    expect((err as Error).message).toMatch(/could not find the requested resource/);
    expect(await Api.namespaced(c, resources.configMaps, 'ns1').getOpt('a')).toBeUndefined();
  });
});

describe('metadata-only', () => {
  it('asks for PartialObjectMetadata for get and watch, and the List form for list', async () => {
    const c = await serve((req, res) => {
      if (req.url?.includes('watch=true')) {
        res.writeHead(200, { 'Content-Type': 'application/json' });
        res.end(
          `${JSON.stringify({ type: 'ADDED', object: { kind: 'PartialObjectMetadata', metadata: { name: 'a' } } })}\n`,
        );
        return;
      }
      json(res, 200, { kind: 'PartialObjectMetadata', metadata: { name: 'a' } });
    });
    const meta = Api.namespaced(c, resources.secrets, 'ns1').metadata();
    expect(meta.resource.kind).toBe('Secret');
    await meta.get('a');
    await meta.list();
    for await (const _ of meta.watch()) {
      /* one event */
    }
    expect(fixture?.seen.map((s) => s.headers.accept)).toEqual([
      'application/json;as=PartialObjectMetadata;g=meta.k8s.io;v=v1',
      'application/json;as=PartialObjectMetadataList;g=meta.k8s.io;v=v1',
      'application/json;as=PartialObjectMetadata;g=meta.k8s.io;v=v1',
    ]);
  });
});

describe('an empty list with "items": null', () => {
  it('is read as items: [] by list, listPages and listAll (kube-apiserver sends it for PartialObjectMetadataList)', async () => {
    const c = await serve((_req, res) =>
      json(res, 200, {
        kind: 'PartialObjectMetadataList',
        apiVersion: 'meta.k8s.io/v1',
        metadata: { resourceVersion: '7' },
        items: null,
      }),
    );
    const meta = Api.namespaced(c, resources.secrets, 'ns1').metadata();
    expect((await meta.list()).items).toEqual([]);
    for await (const page of meta.listPages()) expect(page.items).toEqual([]);
    expect((await meta.listAll()).items).toEqual([]);
  });
});

describe('subresources', () => {
  it('token posts a TokenRequest to serviceaccounts/<name>/token', async () => {
    const c = await serve((_req, res) =>
      json(res, 201, {
        kind: 'TokenRequest',
        apiVersion: 'authentication.k8s.io/v1',
        spec: { audiences: ['x'] },
        status: { token: 'tok', expirationTimestamp: '2030-01-01T00:00:00Z' },
      }),
    );
    const sa = Api.namespaced(c, resources.serviceAccounts, 'ns1');
    const answer = await sa.token('robot', { audiences: ['x'], expirationSeconds: 600 });
    expect(answer.status?.token).toBe('tok');
    expect(fixture?.seen[0]?.url).toBe('/api/v1/namespaces/ns1/serviceaccounts/robot/token');
    expect(JSON.parse(fixture?.seen[0]?.body ?? '')).toEqual({
      apiVersion: 'authentication.k8s.io/v1',
      kind: 'TokenRequest',
      spec: { audiences: ['x'], expirationSeconds: 600 },
    });
  });

  it('evict posts an Eviction with the delete options', async () => {
    const c = await serve((_req, res) => json(res, 201, { kind: 'Status', status: 'Success' }));
    const pods = Api.namespaced(c, resources.pods, 'ns1');
    expect(await pods.evict('p', { deleteOptions: { gracePeriodSeconds: 0 } })).toMatchObject({
      status: 'Success',
    });
    expect(fixture?.seen[0]?.url).toBe('/api/v1/namespaces/ns1/pods/p/eviction');
    expect(JSON.parse(fixture?.seen[0]?.body ?? '')).toEqual({
      apiVersion: 'policy/v1',
      kind: 'Eviction',
      metadata: { name: 'p', namespace: 'ns1' },
      deleteOptions: { kind: 'DeleteOptions', apiVersion: 'v1', gracePeriodSeconds: 0 },
    });
  });
});

describe('logs', () => {
  it('without follow: the log text, with the options in the query', async () => {
    const c = await serve((_req, res) => {
      res.writeHead(200, { 'Content-Type': 'text/plain' });
      res.end('one\ntwo\n');
    });
    const pods = Api.namespaced(c, resources.pods, 'ns1');
    expect(
      await pods.logs('p', { container: 'main', tailLines: 2, sinceSeconds: 5, timestamps: true }),
    ).toBe('one\ntwo\n');
    expect(fixture?.seen[0]?.url).toBe(
      '/api/v1/namespaces/ns1/pods/p/log?container=main&sinceSeconds=5&tailLines=2&timestamps=true',
    );
  });

  it('with follow: lines as they come, read only as fast as they are taken; break closes', async () => {
    let written = 0;
    let closed = false;
    const c = await serve((_req, res) => {
      res.writeHead(200, { 'Content-Type': 'text/plain' });
      res.on('close', () => {
        closed = true;
      });
      const line = `${'x'.repeat(1000)}\n`;
      const pump = () => {
        // Writes until the socket pushes back, as a kubelet streaming a busy log would.
        while (!closed && res.write(`${written++} ${line}`)) {
          if (written > 100_000) return;
        }
        if (!closed) res.once('drain', pump);
      };
      pump();
    });
    const pods = Api.namespaced(c, resources.pods, 'ns1');
    const lines: string[] = [];
    for await (const line of pods.logs('p', { follow: true })) {
      lines.push(line);
      if (lines.length === 3) {
        await new Promise((r) => setTimeout(r, 200));
        // Back-pressure: while the consumer waited, the server could write only about as
        // much as the socket buffers hold, far from all 100k lines.
        expect(written).toBeLessThan(20_000);
      }
      if (lines.length === 5) break;
    }
    expect(lines.map((l) => l.split(' ')[0])).toEqual(['0', '1', '2', '3', '4']);
    expect(fixture?.seen[0]?.url).toBe('/api/v1/namespaces/ns1/pods/p/log?follow=true');
    await expect.poll(() => closed).toBe(true);
  });

  it('with follow: aborting the signal ends the iteration quietly', async () => {
    const c = await serve((_req, res) => {
      res.writeHead(200, { 'Content-Type': 'text/plain' });
      res.write('first\n');
    });
    const ac = new AbortController();
    const lines: string[] = [];
    for await (const line of Api.namespaced(c, resources.pods, 'ns1').logs('p', {
      follow: true,
      signal: ac.signal,
    })) {
      lines.push(line);
      ac.abort();
    }
    expect(lines).toEqual(['first']);
  });
});
