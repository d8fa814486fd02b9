import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { MemoryApiServer } from '@kube-ts/testing';
import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { Client } from './client.js';
import { TransportError } from './errors.js';
import { closeAfterEach, type Fixture, startFixture } from './fixture.test-helper.js';

let fixture: Fixture | undefined;
let client: Client | undefined;
closeAfterEach(() => [client, fixture]);

const LIST = { kind: 'ConfigMapList', items: [{ metadata: { name: 'a' } }] };

describe('gzip responses', () => {
  it('asks for gzip on ordinary requests, not on watches, and decodes the body', async () => {
    fixture = await startFixture((_req, res, seen) => {
      if (seen.url.includes('watch=true')) {
        res.writeHead(200, { 'Content-Type': 'application/json' });
        res.end('{"type":"ADDED","object":{}}\n');
        return;
      }
      res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Encoding': 'gzip' });
      res.end(gzipSync(JSON.stringify(LIST)));
    });
    client = Client.fromKubeConfig(fixture.kubeConfig);
    expect(await client.request({ method: 'GET', path: '/api/v1/configmaps' })).toEqual(LIST);
    const watch = await client.requestStream({
      method: 'GET',
      path: '/api/v1/configmaps',
      query: { watch: true },
    });
    watch.destroy();
    expect(fixture.seen.map((s) => s.headers['accept-encoding'])).toEqual(['gzip', undefined]);
  });

  it('a body that is not valid gzip is a TransportError saying so', async () => {
    fixture = await startFixture((_req, res) => {
      res.writeHead(200, { 'Content-Encoding': 'gzip' });
      res.end('not gzip at all');
    });
    client = Client.fromKubeConfig(fixture.kubeConfig, { retry: { maxRetries: 0 } });
    const call = client.request({ method: 'GET', path: '/x' });
    await expect(call).rejects.toThrow(TransportError);
    await expect(call).rejects.toThrow(/gzip-encoded response body cannot be decoded/);
  });

  it('disableCompression and the kubeconfig’s disable-compression turn it off', async () => {
    fixture = await startFixture((_req, res) => {
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.end('{}');
    });
    client = Client.fromKubeConfig(fixture.kubeConfig, { disableCompression: true });
    await client.request({ method: 'GET', path: '/a' });
    client.close();
    const dir = mkdtempSync(join(tmpdir(), 'kube-ts-gzip-'));
    const path = join(dir, 'config');
    writeFileSync(
      path,
      stringify({
        clusters: [{ name: 'c', cluster: { server: fixture.url, 'disable-compression': true } }],
        users: [{ name: 'u', user: { token: 't' } }],
        contexts: [{ name: 'x', context: { cluster: 'c', user: 'u' } }],
        'current-context': 'x',
      }),
    );
    client = Client.fromDefault({ path });
    await client.request({ method: 'GET', path: '/b' });
    expect(fixture.seen.map((s) => s.headers['accept-encoding'])).toEqual([undefined, undefined]);
  });

  it('MemoryApiServer compresses a list above 128 KiB, as kube-apiserver does', async () => {
    const server = await MemoryApiServer.start();
    const seen: { encoding: unknown; bytes: number }[] = [];
    client = Client.fromKubeConfig(server.kubeConfig, {
      middleware: [
        async (request, next) => {
          const res = await next(request);
          seen.push({
            encoding: res.headers['content-encoding'],
            bytes: (res.body as Buffer).length,
          });
          return res;
        },
      ],
    });
    try {
      const value = 'x'.repeat(1024);
      for (let i = 0; i < 150; i++) {
        await client.request({
          method: 'POST',
          path: '/api/v1/namespaces/default/configmaps',
          body: { metadata: { name: `cm-${i}` }, data: { value } },
        });
      }
      seen.length = 0;
      const list = await client.request<{ items: { metadata: { name: string } }[] }>({
        method: 'GET',
        path: '/api/v1/namespaces/default/configmaps',
      });
      expect(list.items.filter((i) => i.metadata.name.startsWith('cm-'))).toHaveLength(150);
      expect(seen).toEqual([{ encoding: 'gzip', bytes: expect.any(Number) }]);
      expect(seen[0]!.bytes).toBeGreaterThan(150 * 1024); // the decoded body
      const small = await client.request<{ items: unknown[] }>({
        method: 'GET',
        path: '/api/v1/namespaces/default/configmaps',
        query: { limit: 2 },
      });
      expect(small.items).toHaveLength(2);
      expect(seen[1]!.encoding).toBeUndefined();
    } finally {
      await server.stop();
    }
  });
});
