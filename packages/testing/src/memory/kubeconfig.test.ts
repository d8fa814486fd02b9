import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { request } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { KubeConfig } from '@kubernetes/client-node/dist/config.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { MemoryApiServer } from './server.js';

let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'kube-ts-kubeconfig-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** GET through client-node's own request options, loaded from the written file. */
async function getThroughFile(path: string, apiPath: string): Promise<number> {
  const kc = new KubeConfig();
  kc.loadFromFile(path);
  const opts: import('node:https').RequestOptions = {};
  await kc.applyToHTTPSOptions(opts);
  const url = new URL(apiPath, kc.getCurrentCluster()!.server);
  if (url.protocol === 'http:') {
    const r = await fetch(url, { headers: opts.headers as Record<string, string> });
    return r.status;
  }
  return new Promise((resolve, reject) => {
    request(url, opts, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    })
      .on('error', reject)
      .end();
  });
}

describe('the kubeconfig MemoryApiServer writes', () => {
  it('over plain HTTP says insecure-skip-tls-verify, which client-node needs for http', async () => {
    const server = await MemoryApiServer.start({ bookmarkIntervalMs: 0 });
    try {
      const path = join(dir, 'http');
      await server.writeKubeconfig(path);
      const doc = parse(await readFile(path, 'utf8'));
      expect(doc.clusters[0].cluster).toEqual({
        server: server.url,
        'insecure-skip-tls-verify': true,
      });
      expect(await getThroughFile(path, '/api/v1/namespaces/default')).toBe(200);
    } finally {
      await server.stop();
    }
  });

  it('with tls: serves https under a generated CA the file carries', async () => {
    const server = await MemoryApiServer.start({ bookmarkIntervalMs: 0, tls: true });
    try {
      expect(server.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
      const path = join(dir, 'https');
      await server.writeKubeconfig(path);
      const cluster = parse(await readFile(path, 'utf8')).clusters[0].cluster;
      expect(Buffer.from(cluster['certificate-authority-data'], 'base64').toString()).toBe(
        server.ca,
      );
      expect(cluster['insecure-skip-tls-verify']).toBeUndefined();
      expect(await getThroughFile(path, '/api/v1/namespaces/default')).toBe(200);
      // Without the CA the certificate is not trusted.
      await expect(fetch(`${server.url}/api`)).rejects.toThrow();
    } finally {
      await server.stop();
    }
  });
});
