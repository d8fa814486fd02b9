import { useMemoryApiServer } from '@kube-ts/test-support';
import { describe, expect, it } from 'vitest';
import { httpClient } from '../test-client.test-helper.js';

const env = useMemoryApiServer({ bookmarkIntervalMs: 0 }, (server) => httpClient(server));

const ns = '/api/v1/namespaces/default';

/** Polls the quota until its status.used has these entries (the controller is asynchronous). */
async function usedBecomes(name: string, want: Record<string, string>): Promise<void> {
  let last: unknown;
  for (let i = 0; i < 200; i++) {
    const q = (await env.client('GET', `${ns}/resourcequotas/${name}`)).body;
    last = q.status?.used;
    if (q.status?.used && Object.entries(want).every(([k, v]) => q.status.used[k] === v)) return;
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error(`status.used stayed ${JSON.stringify(last)}, wanted ${JSON.stringify(want)}`);
}

const pod = (name: string, requests?: Record<string, string>, extra: object = {}) => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name },
  spec: {
    containers: [{ name: 'c', image: 'nginx', ...(requests ? { resources: { requests } } : {}) }],
    ...extra,
  },
});

describe('ResourceQuota', () => {
  it('counts usage into status, refuses what exceeds it with 403 and releases it on delete', async () => {
    const hard = { pods: '2', 'requests.cpu': '1', 'requests.memory': '500Mi', configmaps: '5' };
    const created = await env.client('POST', `${ns}/resourcequotas`, {
      apiVersion: 'v1',
      kind: 'ResourceQuota',
      metadata: { name: 'q' },
      spec: { hard },
    });
    expect(created.status).toBe(201);
    await usedBecomes('q', { pods: '0', 'requests.cpu': '0', 'requests.memory': '0' });
    const q = (await env.client('GET', `${ns}/resourcequotas/q`)).body;
    expect(q.status.hard).toEqual(hard);

    expect(
      (await env.client('POST', `${ns}/pods`, pod('a', { cpu: '500m', memory: '252Mi' }))).status,
    ).toBe(201);
    await usedBecomes('q', { pods: '1', 'requests.cpu': '500m', 'requests.memory': '252Mi' });

    const over = await env.client('POST', `${ns}/pods`, pod('b', { cpu: '600m', memory: '100Mi' }));
    expect(over.status).toBe(403);
    expect(over.body.reason).toBe('Forbidden');
    expect(over.body.message).toBe(
      'pods "b" is forbidden: exceeded quota: q, requested: requests.cpu=600m, used: requests.cpu=500m, limited: requests.cpu=1',
    );

    const unspecified = await env.client('POST', `${ns}/pods`, pod('c'));
    expect(unspecified.status).toBe(403);
    expect(unspecified.body.message).toContain('failed quota: q: must specify requests.cpu for: c');

    expect((await env.client('DELETE', `${ns}/pods/a`)).status).toBe(200);
    await usedBecomes('q', { pods: '0', 'requests.cpu': '0', 'requests.memory': '0' });
    expect((await env.client('DELETE', `${ns}/resourcequotas/q`)).status).toBe(200);
  });

  it('charges only the pods its scopes select', async () => {
    await env.client('POST', `${ns}/resourcequotas`, {
      apiVersion: 'v1',
      kind: 'ResourceQuota',
      metadata: { name: 'terminating' },
      spec: { hard: { pods: '5' }, scopes: ['Terminating'] },
    });
    await env.client('POST', `${ns}/resourcequotas`, {
      apiVersion: 'v1',
      kind: 'ResourceQuota',
      metadata: { name: 'besteffort' },
      spec: { hard: { pods: '5' }, scopes: ['BestEffort'] },
    });
    await env.client('POST', `${ns}/pods`, pod('long'));
    await env.client(
      'POST',
      `${ns}/pods`,
      pod('short', { cpu: '1' }, { activeDeadlineSeconds: 60 }),
    );
    await usedBecomes('terminating', { pods: '1' });
    await usedBecomes('besteffort', { pods: '1' });
  });
});
