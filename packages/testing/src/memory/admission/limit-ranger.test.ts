import { useMemoryApiServer } from '@kube-ts/test-support';
import { describe, expect, it } from 'vitest';
import { httpClient } from '../test-client.test-helper.js';

const env = useMemoryApiServer({}, (server) => httpClient(server));

const RANGES = '/api/v1/namespaces/default/limitranges';
const PODS = '/api/v1/namespaces/default/pods';
const container = (name: string, resources: Record<string, unknown>, extra = {}) => ({
  name,
  image: 'nginx',
  resources,
  ...extra,
});

describe('LimitRanger admission', () => {
  it('counts sidecars with the init containers after them and lets pod-level values win', async () => {
    const call = env.client;
    const lr = await call('POST', RANGES, {
      metadata: { name: 'pod' },
      spec: { limits: [{ type: 'Pod', max: { cpu: '1', memory: '1Gi' } }] },
    });
    expect(lr.status).toBe(201);
    // An init container of 700m after a 400m sidecar needs 1100m, above the 600m app.
    const sidecar = await call('POST', PODS, {
      metadata: { name: 'sidecar' },
      spec: {
        containers: [container('app', { limits: { cpu: '600m', memory: '1Gi' } })],
        initContainers: [
          container('side', { limits: { cpu: '400m', memory: '1' } }, { restartPolicy: 'Always' }),
          container('init', { limits: { cpu: '700m', memory: '1' } }),
        ],
      },
    });
    expect(sidecar.status).toBe(403);
    expect(sidecar.body.message).toBe(
      'pods "sidecar" is forbidden: [maximum cpu usage per Pod is 1, but limit is 1100m, maximum memory usage per Pod is 1Gi, but limit is 1073741825]',
    );
    const podLevel = await call('POST', PODS, {
      metadata: { name: 'pod-level' },
      spec: {
        resources: { limits: { cpu: '1', memory: '1Gi' } },
        containers: [container('app', { limits: { cpu: '600m' } }), container('b', {})],
      },
    });
    expect(podLevel.status).toBe(201);
  });
});
