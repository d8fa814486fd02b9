import { useMemoryApiServer } from '@kube-ts/test-support';
import { describe, expect, it } from 'vitest';
import { httpClient } from '../test-client.test-helper.js';

const env = useMemoryApiServer({}, (server) => httpClient(server));

const CLASSES = '/apis/scheduling.k8s.io/v1/priorityclasses';
const PODS = '/api/v1/namespaces/default/pods';
const pod = (name: string, spec: Record<string, unknown> = {}) => ({
  metadata: { name },
  spec: { containers: [{ name: 'app', image: 'nginx' }], ...spec },
});

describe('Priority admission', () => {
  it('serves the system classes and resolves a pod priority from its class', async () => {
    const call = env.client;
    const system = await call('GET', `${CLASSES}/system-node-critical`);
    expect(system.body).toMatchObject({
      value: 2000001000,
      preemptionPolicy: 'PreemptLowerPriority',
    });
    const critical = await call(
      'POST',
      PODS,
      pod('critical', { priorityClassName: 'system-cluster-critical' }),
    );
    expect(critical.body.spec).toMatchObject({
      priority: 2000000000,
      preemptionPolicy: 'PreemptLowerPriority',
    });
    const plain = await call('POST', PODS, pod('plain'));
    expect(plain.body.spec).toMatchObject({
      priority: 0,
      preemptionPolicy: 'PreemptLowerPriority',
    });
    const missing = await call('POST', PODS, pod('missing', { priorityClassName: 'nope' }));
    expect(missing.status).toBe(403);
    expect(missing.body.message).toBe(
      'pods "missing" is forbidden: no PriorityClass with name nope was found',
    );
    const wrong = await call('POST', PODS, pod('wrong', { priority: 5 }));
    expect(wrong.body.message).toBe(
      'pods "wrong" is forbidden: the integer value of priority (5) must not be provided in pod spec; priority admission controller computed 0 from the given PriorityClass name',
    );
  });

  it('gives pods the global default class; only one class may be the default', async () => {
    const call = env.client;
    const first = await call('POST', CLASSES, {
      metadata: { name: 'default-a' },
      value: 10,
      globalDefault: true,
      preemptionPolicy: 'Never',
    });
    expect(first.status).toBe(201);
    const second = await call('POST', CLASSES, {
      metadata: { name: 'default-b' },
      value: 20,
      globalDefault: true,
    });
    expect(second.status).toBe(403);
    expect(second.body.message).toBe(
      'priorityclasses.scheduling.k8s.io "default-b" is forbidden: PriorityClass default-a is already marked as default. Only one default can exist',
    );
    const p = await call('POST', PODS, pod('defaulted'));
    expect(p.body.spec).toMatchObject({
      priorityClassName: 'default-a',
      priority: 10,
      preemptionPolicy: 'Never',
    });
    await call('DELETE', `${CLASSES}/default-a`);
  });
});
