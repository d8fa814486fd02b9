/**
 * Differential: kube-controller-manager's ServiceCIDR controller. A new ServiceCIDR gets
 * the `networking.k8s.io/service-cidr-finalizer` and a `Ready` condition; deleted, it is
 * held `Terminating` while an allocated IPAddress lies only in its range and goes once
 * that address is released (after the controller's ten-second grace); a ServiceCIDR whose
 * range another one holds goes without waiting for its addresses.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { raw } from './raw-http.js';
import { type E2eContext, EVENTUALLY, startE2e, uniqueSuffix } from './support.js';

let e2e: E2eContext;
let ns: string;
const suffix = uniqueSuffix();

beforeAll(async () => {
  e2e = await startE2e();
  ns = await e2e.namespace('e2e-svc-cidrs');
});

afterAll(async () => {
  await e2e?.stop();
});

const kc = () => e2e.backend.kubeConfig;
const NET = '/apis/networking.k8s.io/v1';
const FINALIZER = 'networking.k8s.io/service-cidr-finalizer';
/** Deletion waits ten seconds after the delete, then the controller's next pass. */
const GONE = { timeout: 60_000, interval: 500 } as const;

// biome-ignore lint/suspicious/noExplicitAny: tests read arbitrary server JSON.
type Json = any;

async function createCidr(name: string, cidrs: string[]): Promise<void> {
  const res = await raw(kc(), 'POST', `${NET}/servicecidrs`, {
    body: {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'ServiceCIDR',
      metadata: { name },
      spec: { cidrs },
    },
  });
  expect(res.status, res.text).toBe(201);
}

/** The finalizers and the conditions (their times as `string`) of a ServiceCIDR. */
async function stateOf(name: string): Promise<Json> {
  const res = await raw(kc(), 'GET', `${NET}/servicecidrs/${name}`);
  if (res.status === 404) return 'gone';
  expect(res.status, res.text).toBe(200);
  const cidr = res.json();
  return {
    deleting: cidr.metadata.deletionTimestamp !== undefined,
    finalizers: cidr.metadata.finalizers,
    conditions: cidr.status.conditions?.map((c: Json) => ({
      ...c,
      lastTransitionTime: typeof c.lastTransitionTime,
    })),
  };
}

const ready = {
  type: 'Ready',
  status: 'True',
  lastTransitionTime: 'string',
  reason: '',
  message: 'Kubernetes Service CIDR is ready',
};

describe('ServiceCIDRs', () => {
  test('the kubernetes ServiceCIDR and a new one get the finalizer and Ready', async () => {
    const name = `e2e-ready-${suffix}`;
    await createCidr(name, ['10.3.0.0/24']);
    await expect
      .poll(async () => stateOf(name), EVENTUALLY)
      .toEqual({ deleting: false, finalizers: [FINALIZER], conditions: [ready] });
    await expect
      .poll(async () => (await stateOf('kubernetes')).finalizers, EVENTUALLY)
      .toEqual([FINALIZER]);
    expect((await raw(kc(), 'DELETE', `${NET}/servicecidrs/${name}`)).status).toBe(200);
    await expect.poll(async () => stateOf(name), GONE).toBe('gone');
  });

  test('deleted, it is held Terminating while a Service holds an address of it', async () => {
    const held = `e2e-held-${suffix}`;
    const inner = `e2e-inner-${suffix}`;
    await createCidr(held, ['10.4.0.0/24']);
    // Inside the kubernetes ServiceCIDR (10.0.0.0/24), whose addresses are in use.
    await createCidr(inner, ['10.0.0.0/25']);
    await expect.poll(async () => (await stateOf(held)).conditions, EVENTUALLY).toEqual([ready]);
    await expect
      .poll(async () => {
        const res = await raw(kc(), 'POST', `/api/v1/namespaces/${ns}/services`, {
          body: {
            apiVersion: 'v1',
            kind: 'Service',
            metadata: { name: 'pinned' },
            spec: { clusterIP: '10.4.0.9', ports: [{ port: 80 }] },
          },
        });
        return res.status;
      }, EVENTUALLY)
      .toBe(201);

    const deleted = await raw(kc(), 'DELETE', `${NET}/servicecidrs/${held}`);
    expect(deleted.status, deleted.text).toBe(200);
    expect(deleted.json().metadata.deletionTimestamp).toBeDefined();
    expect((await raw(kc(), 'DELETE', `${NET}/servicecidrs/${inner}`)).status).toBe(200);
    await expect
      .poll(async () => stateOf(held), EVENTUALLY)
      .toEqual({
        deleting: true,
        finalizers: [FINALIZER],
        conditions: [
          {
            type: 'Ready',
            status: 'False',
            lastTransitionTime: 'string',
            reason: 'Terminating',
            message:
              'There are still IPAddresses referencing the ServiceCIDR, please remove them or create a new ServiceCIDR',
          },
        ],
      });
    // A range another ServiceCIDR holds goes although its addresses are in use.
    await expect.poll(async () => stateOf(inner), GONE).toBe('gone');
    expect((await stateOf(held)).deleting).toBe(true);

    expect((await raw(kc(), 'DELETE', `/api/v1/namespaces/${ns}/services/pinned`)).status).toBe(
      200,
    );
    await expect.poll(async () => stateOf(held), GONE).toBe('gone');
  });
});
