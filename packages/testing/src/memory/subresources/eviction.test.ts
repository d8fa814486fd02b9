import { useMemoryApiServer } from '@kube-ts/test-support';
import { describe, expect, it } from 'vitest';
import { httpClient } from '../test-client.test-helper.js';

const NS = '/api/v1/namespaces/default';
const PDBS = '/apis/policy/v1/namespaces/default/poddisruptionbudgets';

const env = useMemoryApiServer({ bookmarkIntervalMs: 0 }, (server) => httpClient(server));

async function pod(name: string, app: string, ready?: boolean): Promise<void> {
  await env.client('POST', `${NS}/pods`, {
    metadata: { name, labels: { app } },
    spec: { containers: [{ name: 'c', image: 'x' }] },
  });
  if (ready === undefined) return;
  const patched = await env.client(
    'PATCH',
    `${NS}/pods/${name}/status`,
    {
      status: {
        phase: 'Running',
        conditions: [{ type: 'Ready', status: ready ? 'True' : 'False' }],
      },
    },
    'application/merge-patch+json',
  );
  expect(patched.status).toBe(200);
}

const evict = (name: string, query = '') =>
  env.client('POST', `${NS}/pods/${name}/eviction${query}`, {
    apiVersion: 'policy/v1',
    kind: 'Eviction',
    metadata: { name },
  });

async function settled(name: string) {
  await new Promise((resolve) => setTimeout(resolve, 20));
  return (await env.client('GET', `${PDBS}/${name}`)).body.status;
}

describe('eviction with PodDisruptionBudgets', () => {
  it('the disruption controller fills the status from the selected pods', async () => {
    await env.client('POST', PDBS, {
      metadata: { name: 'web' },
      spec: { minAvailable: 1, selector: { matchLabels: { app: 'web' } } },
    });
    await pod('web-1', 'web', true);
    await pod('web-2', 'web', true);
    await pod('web-3', 'web');
    expect(await settled('web')).toMatchObject({
      observedGeneration: 1,
      disruptionsAllowed: 1,
      currentHealthy: 2,
      desiredHealthy: 1,
      expectedPods: 3,
      conditions: [{ type: 'DisruptionAllowed', status: 'True', reason: 'SufficientPods' }],
    });
  });

  it('uses the budget, then refuses with 429; dryRun uses nothing', async () => {
    expect((await evict('web-1', '?dryRun=All')).status).toBe(201);
    expect((await env.client('GET', `${NS}/pods/web-1`)).status).toBe(200);
    expect((await evict('web-1')).status).toBe(201);
    expect((await env.client('GET', `${NS}/pods/web-1`)).status).toBe(404);
    expect((await settled('web')).disruptionsAllowed).toBe(0);
    const refused = await evict('web-2');
    expect(refused.status).toBe(429);
    expect(refused.body).toEqual({
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message: "Cannot evict pod as it would violate the pod's disruption budget.",
      reason: 'TooManyRequests',
      details: {
        causes: [
          {
            reason: 'DisruptionBudget',
            message: 'The disruption budget web needs 1 healthy pods and has 1 currently',
          },
        ],
      },
      code: 429,
    });
    expect(refused.headers.get('retry-after')).toBeNull();
  });

  it('Pending pods always go; a pod two budgets select is a 500', async () => {
    expect((await evict('web-3')).status).toBe(201);
    await env.client('POST', PDBS, {
      metadata: { name: 'all' },
      spec: { maxUnavailable: 1, selector: {} },
    });
    await settled('all');
    const twice = await evict('web-2');
    expect(twice.status).toBe(500);
    expect(twice.body.message).toBe(
      'This pod has more than one PodDisruptionBudget, which the eviction subresource does not support.',
    );
  });
});
