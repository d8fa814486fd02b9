import { useMemoryApiServer } from '@kube-ts/test-support';
import { describe, expect, it } from 'vitest';
import { httpClient } from '../test-client.test-helper.js';

const env = useMemoryApiServer({ nodes: 1 }, (server) => httpClient(server));

const CLAIMS = '/api/v1/namespaces/default/persistentvolumeclaims';
const PODS = '/api/v1/namespaces/default/pods';
const POLL = { timeout: 10_000, interval: 50 };

describe('storage protection', () => {
  it('a claim a scheduled pod mounts stays until the pod goes', async () => {
    const call = env.client;
    const claim = await call('POST', CLAIMS, {
      metadata: { name: 'held' },
      spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } },
    });
    expect(claim.body.metadata.finalizers).toEqual(['kubernetes.io/pvc-protection']);
    await call('POST', PODS, {
      metadata: { name: 'user' },
      spec: {
        containers: [{ name: 'app', image: 'nginx' }],
        volumes: [{ name: 'data', persistentVolumeClaim: { claimName: 'held' } }],
      },
    });
    await expect
      .poll(async () => (await call('GET', `${PODS}/user`)).body.spec.nodeName, POLL)
      .toBeTruthy();
    expect((await call('DELETE', `${CLAIMS}/held`)).status).toBe(200);
    await new Promise((r) => setTimeout(r, 200));
    const kept = await call('GET', `${CLAIMS}/held`);
    expect(kept.body.metadata.deletionTimestamp).toEqual(expect.any(String));
    await call('DELETE', `${PODS}/user?gracePeriodSeconds=0`);
    await expect.poll(async () => (await call('GET', `${CLAIMS}/held`)).status, POLL).toBe(404);
  });
});
