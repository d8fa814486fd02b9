/**
 * Differential: the eviction subresource against PodDisruptionBudgets (policy/v1), with
 * kube-controller-manager's disruption controller keeping the budget's status. Without
 * a kubelet, Pods stay Pending (evicted regardless of budgets, as the real server does),
 * so the test makes them Running, Ready or not, through their `status` subresource.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { raw } from './raw-http.js';
import { type E2eContext, EVENTUALLY, startE2e } from './support.js';

let e2e: E2eContext;
let ns: string;

const kc = () => e2e.backend.kubeConfig;
const pods = () => `/api/v1/namespaces/${ns}/pods`;
const budget = () => `/apis/policy/v1/namespaces/${ns}/poddisruptionbudgets/budget`;
const REFUSED = "Cannot evict pod as it would violate the pod's disruption budget.";

async function createPod(name: string, app = 'web'): Promise<void> {
  const res = await raw(kc(), 'POST', pods(), {
    body: {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name, labels: { app } },
      spec: { containers: [{ name: 'c', image: 'registry.invalid/none' }] },
    },
  });
  expect(res.status).toBe(201);
}

/** Makes a Pod Running, with its Ready condition `ready` (what a kubelet would report). */
async function run(name: string, ready: boolean): Promise<void> {
  const res = await raw(kc(), 'PATCH', `${pods()}/${name}/status`, {
    contentType: 'application/merge-patch+json',
    body: {
      status: {
        phase: 'Running',
        conditions: [{ type: 'Ready', status: ready ? 'True' : 'False' }],
      },
    },
  });
  expect(res.status).toBe(200);
}

const evict = (name: string) =>
  raw(kc(), 'POST', `${pods()}/${name}/eviction`, {
    body: { apiVersion: 'policy/v1', kind: 'Eviction', metadata: { name } },
  });

/** Waits until the budget's status says this. */
async function budgetSays(want: Record<string, number>): Promise<void> {
  await expect
    .poll(async () => {
      const status = (await raw(kc(), 'GET', budget())).json().status ?? {};
      return Object.fromEntries(Object.keys(want).map((k) => [k, status[k]]));
    }, EVENTUALLY)
    .toEqual(want);
}

const refusal = (message: string) => ({
  kind: 'Status',
  apiVersion: 'v1',
  metadata: {},
  status: 'Failure',
  message: REFUSED,
  reason: 'TooManyRequests',
  details: { causes: [{ reason: 'DisruptionBudget', message }] },
  code: 429,
});

beforeAll(async () => {
  e2e = await startE2e();
  ns = await e2e.namespace('e2e-evict');
  const pdb = await raw(kc(), 'POST', `/apis/policy/v1/namespaces/${ns}/poddisruptionbudgets`, {
    body: {
      apiVersion: 'policy/v1',
      kind: 'PodDisruptionBudget',
      metadata: { name: 'budget' },
      spec: { minAvailable: 1, selector: { matchLabels: { app: 'web' } } },
    },
  });
  expect(pdb.status).toBe(201);
});

afterAll(async () => {
  await e2e?.stop();
});

describe('eviction with a PodDisruptionBudget (minAvailable: 1)', () => {
  test('the budget allows one of two Ready pods to go, then refuses the last with 429', async () => {
    await createPod('web-1');
    await createPod('web-2');
    await run('web-1', true);
    await run('web-2', true);
    await budgetSays({
      observedGeneration: 1,
      expectedPods: 2,
      currentHealthy: 2,
      desiredHealthy: 1,
      disruptionsAllowed: 1,
    });
    const first = await evict('web-1');
    expect(first.status).toBe(201);
    expect(first.json()).toEqual({
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Success',
      code: 201,
    });
    await expect
      .poll(async () => (await raw(kc(), 'GET', `${pods()}/web-1`)).status, EVENTUALLY)
      .toBe(404);
    await budgetSays({ currentHealthy: 1, desiredHealthy: 1, disruptionsAllowed: 0 });
    const last = await evict('web-2');
    expect(last.status).toBe(429);
    expect(last.headers['retry-after']).toBeUndefined();
    expect(last.json()).toEqual(
      refusal('The disruption budget budget needs 1 healthy pods and has 1 currently'),
    );
    expect((await raw(kc(), 'GET', `${pods()}/web-2`)).status).toBe(200);
  });

  test('a Running pod that is not Ready goes while the budget is met, not once it is broken', async () => {
    await createPod('web-3');
    await run('web-3', false);
    await budgetSays({ expectedPods: 2, currentHealthy: 1, desiredHealthy: 1 });
    expect((await evict('web-3')).status).toBe(201);
    await run('web-2', false);
    await budgetSays({ currentHealthy: 0, desiredHealthy: 1, disruptionsAllowed: 0 });
    const refused = await evict('web-2');
    expect(refused.status).toBe(429);
    expect(refused.json()).toEqual(
      refusal('The disruption budget budget needs 1 healthy pods and has 0 currently'),
    );
  });

  test('Pending pods, pods no budget selects and missing pods', async () => {
    await createPod('web-pending');
    expect((await evict('web-pending')).status).toBe(201);
    await createPod('other', 'other');
    await run('other', true);
    expect((await evict('other')).status).toBe(201);
    const missing = await evict('nope');
    expect(missing.status).toBe(404);
    expect(missing.json()).toEqual({
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message: 'pods "nope" not found',
      reason: 'NotFound',
      details: { name: 'nope', kind: 'pods' },
      code: 404,
    });
  });
});
