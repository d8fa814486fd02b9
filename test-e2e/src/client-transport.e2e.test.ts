/**
 * Differential: the client's transport against the backend of the run: `proxy-url` through
 * a local HTTP CONNECT proxy and a local SOCKS5 proxy (requests, a watch, exec), and gzip
 * on a list large enough for the server to compress (kube-apiserver and MemoryApiServer
 * compress bodies above 128 KiB when asked).
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Api, Client, type MiddlewareResponse } from '@kube-ts/client';
import { resources } from '@kube-ts/core';
import { startHttpProxy, startSocks5Proxy, type TestProxy } from '@kube-ts/test-support';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { type E2eContext, startE2e } from './support.js';

let e2e: E2eContext;
let dir: string;

beforeAll(async () => {
  e2e = await startE2e();
  dir = await mkdtemp(join(tmpdir(), 'kube-ts-transport-'));
});

afterAll(async () => {
  await e2e?.stop();
  if (dir) await rm(dir, { recursive: true, force: true });
});

/** The backend's kubeconfig with `proxy-url` set on its cluster, written to a new file. */
async function kubeconfigThrough(proxy: TestProxy, name: string): Promise<string> {
  const path = join(dir, name);
  await e2e.backend.writeKubeconfig(path);
  const doc = parse(await readFile(path, 'utf8')) as {
    clusters: { cluster: Record<string, unknown> }[];
  };
  for (const c of doc.clusters) c.cluster['proxy-url'] = proxy.url;
  await writeFile(path, stringify(doc), { mode: 0o600 });
  return path;
}

describe('proxy-url', () => {
  const proxies: TestProxy[] = [];
  afterAll(async () => {
    await Promise.all(proxies.map((p) => p.close()));
  });

  it.each([
    ['an HTTP CONNECT proxy', startHttpProxy],
    ['a SOCKS5 proxy', startSocks5Proxy],
  ])('every connection goes through %s: requests and a watch', async (name, start) => {
    const proxy = await start();
    proxies.push(proxy);
    const client = Client.fromDefault({
      path: await kubeconfigThrough(proxy, `${proxies.length}.yaml`),
    });
    const ns = await e2e.namespace('proxied');
    const configMaps = Api.namespaced(client, resources.configMaps, ns);
    try {
      const events = configMaps.watch({ resourceVersion: '0' });
      const added = (async () => {
        for await (const event of events) {
          if (event.type === 'ADDED' && event.object.metadata?.name === 'through') return true;
        }
        return false;
      })();
      await configMaps.create({ metadata: { name: 'through' }, data: { via: name } });
      expect(await added).toBe(true);
      expect((await configMaps.get('through')).data?.via).toBe(name);
    } finally {
      client.close();
    }
    const server = new URL(e2e.backend.kubeConfig.getCurrentCluster()!.server);
    // Everything went to the API server through the proxy: tunnels to its host:port (CONNECT
    // or SOCKS5, an https server), or requests forwarded by absolute URI (an http server
    // behind an HTTP proxy, MemoryApiServer's default).
    expect(proxy.seen.length).toBeGreaterThanOrEqual(2);
    for (const s of proxy.seen) {
      expect(s === server.host || s.includes(` ${server.protocol}//${server.host}/`)).toBe(true);
    }
  });
});

describe('gzip', () => {
  it('a large list comes gzipped when asked, and decodes to the same items', async () => {
    const ns = await e2e.namespace('gzip');
    const configMaps = Api.namespaced(e2e.client, resources.configMaps, ns);
    // 100 ConfigMaps of 2 KiB: a list of about 220 KiB, above the 128 KiB threshold.
    for (let i = 0; i < 100; i += 20) {
      await Promise.all(
        Array.from({ length: 20 }, (_, j) =>
          configMaps.create({
            metadata: { name: `cm-${i + j}` },
            data: { blob: `${i + j}`.padEnd(2048, 'x') },
          }),
        ),
      );
    }
    const listed = async (disableCompression: boolean) => {
      const seen: MiddlewareResponse[] = [];
      const client = Client.fromKubeConfig(e2e.backend.kubeConfig, {
        disableCompression,
        middleware: [
          async (request, next) => {
            const response = await next(request);
            if (request.url.pathname.endsWith(`/namespaces/${ns}/configmaps`)) seen.push(response);
            return response;
          },
        ],
      });
      try {
        const list = await Api.namespaced(client, resources.configMaps, ns).list();
        return { list, response: seen[0]! };
      } finally {
        client.close();
      }
    };
    const gzipped = await listed(false);
    const plain = await listed(true);
    expect(gzipped.response.headers['content-encoding']).toBe('gzip');
    expect(plain.response.headers['content-encoding']).toBeUndefined();
    expect((plain.response.body as Buffer).length).toBeGreaterThan(128 * 1024);
    const names = (l: typeof gzipped.list) => l.items.map((c) => c.metadata?.name).sort();
    expect(names(gzipped.list)).toEqual(names(plain.list));
    expect(gzipped.list.items.filter((c) => c.metadata?.name?.startsWith('cm-'))).toHaveLength(100);
  });
});
