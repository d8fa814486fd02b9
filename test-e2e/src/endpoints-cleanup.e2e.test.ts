/**
 * Differential, on a control plane without nodes: kube-controller-manager's endpoints
 * controller deletes the Endpoints of a deleted Service, although a client wrote them
 * for a Service without a selector; Endpoints that name no Service, created once the
 * controller runs, are left alone.
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

/** Creates a Service without a selector and Endpoints for it, deletes the Service and
 * waits until its Endpoints are gone. */
async function serviceComesAndGoes(name: string): Promise<void> {
  const svc = await raw(kc(), 'POST', path('services'), {
    body: {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name },
      spec: { ports: [{ port: 80 }] },
    },
  });
  expect(svc.status, svc.text).toBe(201);
  await createEndpoints(name);
  expect((await raw(kc(), 'DELETE', path('services', name))).status).toBe(200);
  await expect
    .poll(async () => (await raw(kc(), 'GET', path('endpoints', name))).status, EVENTUALLY)
    .toBe(404);
}

describe('Endpoints of a deleted Service', () => {
  test('go with the Service; Endpoints of no Service stay', async () => {
    // The first Service also proves the endpoints controller is running: when it starts,
    // kube-controller-manager deletes every Endpoints without a Service once (leftovers of
    // its downtime), and a test file's control plane may be younger than that.
    await serviceComesAndGoes('manual');
    // Endpoints of no Service, then a second Service as a barrier: once its Endpoints are
    // gone, the controller has had its chance to touch them too. On a loaded machine a
    // sweep was seen after that of the first Service (once in about five young control
    // planes, cause not found), so a few rounds are allowed; a controller that deleted
    // such Endpoints would delete them in every round.
    const survived: string[] = [];
    for (let round = 0; round < 3 && survived.length === 0; round++) {
      await createEndpoints(`lonely-${round}`);
      await serviceComesAndGoes(`manual-${round}`);
      const lonely = await raw(kc(), 'GET', path('endpoints', `lonely-${round}`));
      if (lonely.status === 200) survived.push(`lonely-${round}`);
    }
    expect(survived).toHaveLength(1);
  });
});
