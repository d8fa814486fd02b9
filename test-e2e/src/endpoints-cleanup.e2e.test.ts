/**
 * Differential, on a control plane without nodes: kube-controller-manager's endpoints
 * controller deletes the Endpoints of a deleted Service, although a client wrote them
 * for a Service without a selector; Endpoints that name no Service are left alone.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { raw } from './raw-http.js';
import { type E2eContext, EVENTUALLY, startE2e } from './support.js';

let e2e: E2eContext;
let ns: string;

beforeAll(async () => {
  e2e = await startE2e();
  ns = await e2e.namespace('e2e-ep-cleanup');
});

afterAll(async () => {
  await e2e?.stop();
});

const kc = () => e2e.backend.kubeConfig;
const path = (kind: string, name = '') =>
  `/api/v1/namespaces/${ns}/${kind}${name ? `/${name}` : ''}`;

async function createEndpoints(name: string): Promise<void> {
  const res = await raw(kc(), 'POST', path('endpoints'), {
    body: {
      apiVersion: 'v1',
      kind: 'Endpoints',
      metadata: { name },
      subsets: [{ addresses: [{ ip: '10.9.8.7' }], ports: [{ port: 80 }] }],
    },
  });
  expect(res.status, res.text).toBe(201);
}

describe('Endpoints of a deleted Service', () => {
  test('go with the Service; Endpoints of no Service stay', async () => {
    const svc = await raw(kc(), 'POST', path('services'), {
      body: {
        apiVersion: 'v1',
        kind: 'Service',
        metadata: { name: 'manual' },
        spec: { ports: [{ port: 80 }] },
      },
    });
    expect(svc.status, svc.text).toBe(201);
    await createEndpoints('manual');
    await createEndpoints('lonely');
    expect((await raw(kc(), 'DELETE', path('services', 'manual'))).status).toBe(200);
    await expect
      .poll(async () => (await raw(kc(), 'GET', path('endpoints', 'manual'))).status, EVENTUALLY)
      .toBe(404);
    expect((await raw(kc(), 'GET', path('endpoints', 'lonely'))).status).toBe(200);
  });
});
