import { useMemoryApiServer } from '@kube-ts/test-support';
import { describe, expect, it } from 'vitest';
import { httpClient } from '../test-client.test-helper.js';

const env = useMemoryApiServer({ bookmarkIntervalMs: 0 }, (server) => httpClient(server));

const sa = (ns: string) => `/api/v1/namespaces/${ns}/serviceaccounts/default`;
const cm = (ns: string) => `/api/v1/namespaces/${ns}/configmaps/kube-root-ca.crt`;

async function eventually(path: string): Promise<{ metadata: { uid: string } }> {
  for (let i = 0; i < 50; i++) {
    const r = await env.client('GET', path);
    if (r.status === 200) return r.body;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error(`${path} never appeared`);
}

describe('ServiceAccountController', () => {
  it('the namespaces that exist at start have both as soon as the server is up', async () => {
    for (const ns of ['default', 'kube-system', 'kube-public', 'kube-node-lease']) {
      expect((await env.client('GET', sa(ns))).status).toBe(200);
      const root = await env.client('GET', cm(ns));
      expect(root.status).toBe(200);
      expect(root.body.data['ca.crt']).toMatch(/^-----BEGIN CERTIFICATE-----\n/);
      expect(root.body.metadata.annotations['kubernetes.io/description']).toMatch(
        /^Contains a CA bundle/,
      );
      expect(root.body.metadata.managedFields[0].manager).toBe('kube-controller-manager');
    }
  });

  it('a namespace created later gets them, and they come back when deleted', async () => {
    await env.client('POST', '/api/v1/namespaces', { metadata: { name: 'later' } });
    const first = await eventually(sa('later'));
    await eventually(cm('later'));
    expect((await env.client('DELETE', sa('later'))).status).toBe(200);
    expect((await env.client('DELETE', cm('later'))).status).toBe(200);
    const again = await eventually(sa('later'));
    expect(again.metadata.uid).not.toBe(first.metadata.uid);
    await eventually(cm('later'));
  });

  it('a terminating namespace gets nothing back', async () => {
    await env.client('POST', '/api/v1/namespaces', { metadata: { name: 'going' } });
    await eventually(sa('going'));
    await env.client('DELETE', '/api/v1/namespaces/going');
    for (let i = 0; i < 50; i++) {
      if ((await env.client('GET', '/api/v1/namespaces/going')).status === 404) break;
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    expect((await env.client('GET', '/api/v1/namespaces/going')).status).toBe(404);
    expect((await env.client('GET', sa('going'))).status).toBe(404);
  });
});
