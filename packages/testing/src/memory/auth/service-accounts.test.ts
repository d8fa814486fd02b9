import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MemoryApiServer } from '../server.js';
import { httpClient } from '../test-client.test-helper.js';

let server: MemoryApiServer;
let call: ReturnType<typeof httpClient>;

beforeAll(async () => {
  server = await MemoryApiServer.start({ bookmarkIntervalMs: 0 });
  call = httpClient(server.url);
});
afterAll(async () => {
  await server.stop();
});

const sa = (ns: string) => `/api/v1/namespaces/${ns}/serviceaccounts/default`;
const cm = (ns: string) => `/api/v1/namespaces/${ns}/configmaps/kube-root-ca.crt`;

async function eventually(path: string): Promise<{ metadata: { uid: string } }> {
  for (let i = 0; i < 50; i++) {
    const r = await call('GET', path);
    if (r.status === 200) return r.body;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error(`${path} never appeared`);
}

describe('ServiceAccountController', () => {
  it('the namespaces that exist at start have both as soon as the server is up', async () => {
    for (const ns of ['default', 'kube-system', 'kube-public', 'kube-node-lease']) {
      expect((await call('GET', sa(ns))).status).toBe(200);
      const root = await call('GET', cm(ns));
      expect(root.status).toBe(200);
      expect(root.body.data['ca.crt']).toMatch(/^-----BEGIN CERTIFICATE-----\n/);
      expect(root.body.metadata.annotations['kubernetes.io/description']).toMatch(
        /^Contains a CA bundle/,
      );
      expect(root.body.metadata.managedFields[0].manager).toBe('kube-controller-manager');
    }
  });

  it('a namespace created later gets them, and they come back when deleted', async () => {
    await call('POST', '/api/v1/namespaces', { metadata: { name: 'later' } });
    const first = await eventually(sa('later'));
    await eventually(cm('later'));
    expect((await call('DELETE', sa('later'))).status).toBe(200);
    expect((await call('DELETE', cm('later'))).status).toBe(200);
    const again = await eventually(sa('later'));
    expect(again.metadata.uid).not.toBe(first.metadata.uid);
    await eventually(cm('later'));
  });

  it('a terminating namespace gets nothing back', async () => {
    await call('POST', '/api/v1/namespaces', { metadata: { name: 'going' } });
    await eventually(sa('going'));
    await call('DELETE', '/api/v1/namespaces/going');
    for (let i = 0; i < 50; i++) {
      if ((await call('GET', '/api/v1/namespaces/going')).status === 404) break;
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    expect((await call('GET', '/api/v1/namespaces/going')).status).toBe(404);
    expect((await call('GET', sa('going'))).status).toBe(404);
  });
});
