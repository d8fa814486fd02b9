import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { request as httpsRequest } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startHttpProxy, startSocks5Proxy, type TestProxy } from '@kube-ts/test-support';
import { MemoryApiServer } from '@kube-ts/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { Client } from './client.js';
import { KubeConfigError } from './errors.js';

const dir = mkdtempSync(join(tmpdir(), 'kube-ts-proxy-'));

/** The server's kubeconfig with `cluster` fields added, written to a new file. */
async function kubeconfigWith(
  server: MemoryApiServer,
  name: string,
  cluster: Record<string, unknown>,
): Promise<string> {
  const path = join(dir, name);
  await server.writeKubeconfig(path);
  const doc = parse(readFileSync(path, 'utf8')) as {
    clusters: { cluster: Record<string, unknown> }[];
  };
  Object.assign(doc.clusters[0]!.cluster, cluster);
  writeFileSync(path, stringify(doc));
  return path;
}

/** A list, a watch that sees a create, and a raw request over {@link Client.connection}. */
async function exercise(client: Client): Promise<void> {
  const list = await client.request<{ kind: string }>({
    method: 'GET',
    path: '/api/v1/namespaces/default/configmaps',
  });
  expect(list.kind).toBe('ConfigMapList');
  const watch = await client.requestStream({
    method: 'GET',
    path: '/api/v1/namespaces/default/configmaps',
    query: { watch: true, resourceVersion: '0' },
  });
  const firstEvent = new Promise<string>((resolve) =>
    watch.once('data', (c: Buffer) => resolve(c.toString())),
  );
  await client.request({
    method: 'POST',
    path: '/api/v1/namespaces/default/configmaps',
    body: { metadata: { name: `cm-${Date.now()}` } },
  });
  expect(await firstEvent).toContain('"ADDED"');
  watch.destroy();
  const { agent, headers } = await client.connection();
  const status = await new Promise<number>((resolve, reject) => {
    const req = httpsRequest(client.url('/version'), { agent, headers }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on('error', reject);
    req.end();
  });
  expect(status).toBe(200);
}

describe('proxy-url (MemoryApiServer over TLS)', () => {
  let server: MemoryApiServer;
  let httpProxy: TestProxy;
  let socksProxy: TestProxy;
  beforeAll(async () => {
    [server, httpProxy, socksProxy] = await Promise.all([
      MemoryApiServer.start({ tls: true }),
      startHttpProxy(),
      startSocks5Proxy(),
    ]);
  });
  afterAll(async () => {
    await Promise.all([server.stop(), httpProxy.close(), socksProxy.close()]);
  });

  it.each([
    ['an HTTP CONNECT proxy', () => httpProxy],
    ['a SOCKS5 proxy', () => socksProxy],
  ])('tunnels every request through %s', async (name, proxyOf) => {
    const proxy = proxyOf();
    const path = await kubeconfigWith(server, `${name.replace(/\W/g, '')}.yaml`, {
      'proxy-url': proxy.url,
    });
    const client = Client.fromDefault({ path });
    try {
      await exercise(client);
    } finally {
      client.close();
    }
    const target = new URL(server.url).host;
    expect(proxy.seen.length).toBeGreaterThanOrEqual(2);
    expect(new Set(proxy.seen)).toEqual(new Set([target]));
  });

  it('verifies the server behind the proxy by its tls-server-name', async () => {
    // The serving certificate names 127.0.0.1 and localhost, not other.example.
    const named = (name: string) =>
      kubeconfigWith(server, `sni-${name}.yaml`, {
        'proxy-url': socksProxy.url,
        'tls-server-name': name,
      });
    const good = Client.fromDefault({ path: await named('localhost') });
    const bad = Client.fromDefault({ path: await named('other.example') });
    try {
      await expect(good.request({ method: 'GET', path: '/version' })).resolves.toBeDefined();
      await expect(bad.request({ method: 'GET', path: '/version' })).rejects.toThrow(
        /TLS certificate was not accepted.*other\.example/,
      );
    } finally {
      bad.close();
      good.close();
    }
  });

  it('refuses a proxy-url that is not a URL or has another scheme', async () => {
    const path = await kubeconfigWith(server, 'bad-proxy.yaml', { 'proxy-url': 'ftp://x:1' });
    expect(() => Client.fromDefault({ path })).toThrow(KubeConfigError);
    expect(() => Client.fromDefault({ path })).toThrow(/proxy-url with scheme 'ftp:'/);
  });
});

describe('proxy-url (MemoryApiServer over plain HTTP)', () => {
  it('forwards requests with absolute URIs through an HTTP proxy', async () => {
    const [server, proxy] = await Promise.all([MemoryApiServer.start(), startHttpProxy()]);
    const path = await kubeconfigWith(server, 'forward.yaml', { 'proxy-url': proxy.url });
    const client = Client.fromDefault({ path });
    try {
      const list = await client.request<{ kind: string }>({
        method: 'GET',
        path: '/api/v1/namespaces/default/configmaps',
      });
      expect(list.kind).toBe('ConfigMapList');
      expect(proxy.seen).toEqual([`GET ${server.url}/api/v1/namespaces/default/configmaps`]);
    } finally {
      client.close();
      await Promise.all([server.stop(), proxy.close()]);
    }
  });
});
