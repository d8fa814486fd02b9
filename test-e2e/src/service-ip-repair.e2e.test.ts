/**
 * Differential: kube-apiserver's IPAddress repair loop, as Service and IPAddress changes
 * wake it. A Service whose IPAddress a client deleted gets it back at its next change, and
 * an IPAddress of the allocator that names no Service as its parent is deleted; each with
 * the repair controller's events.k8s.io Event.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { raw } from './raw-http.js';
import { type E2eContext, EVENTUALLY, startE2e } from './support.js';

let e2e: E2eContext;
let ns: string;

beforeAll(async () => {
  e2e = await startE2e();
  ns = await e2e.namespace('e2e-ip-repair');
});

afterAll(async () => {
  await e2e?.stop();
});

const kc = () => e2e.backend.kubeConfig;
const NET = '/apis/networking.k8s.io/v1';
const ALLOCATOR_LABELS = {
  'ipaddress.kubernetes.io/ip-family': 'IPv4',
  'ipaddress.kubernetes.io/managed-by': 'ipallocator.k8s.io',
};

// biome-ignore lint/suspicious/noExplicitAny: tests read arbitrary server JSON.
type Json = any;

/** The repair controller's Events in `namespace` about `name`, as `type reason action: note`. */
async function repairEvents(namespace: string, name: string): Promise<string[]> {
  const res = await raw(kc(), 'GET', `/apis/events.k8s.io/v1/namespaces/${namespace}/events`);
  expect(res.status, res.text).toBe(200);
  return res
    .json()
    .items.filter(
      (e: Json) =>
        e.regarding.name === name && e.reportingController === 'ipallocator-repair-controller',
    )
    .map((e: Json) => {
      expect(e.reportingInstance).toMatch(/^ipallocator-repair-controller-.+/);
      return `${e.type} ${e.reason} ${e.action}: ${e.note}`;
    });
}

describe('the IPAddress repair loop', () => {
  test("a Service's deleted IPAddress comes back at the Service's next change", async () => {
    const created = await raw(kc(), 'POST', `/api/v1/namespaces/${ns}/services`, {
      body: {
        apiVersion: 'v1',
        kind: 'Service',
        metadata: { name: 'repaired' },
        spec: { ports: [{ port: 80 }] },
      },
    });
    expect(created.status, created.text).toBe(201);
    const ip: string = created.json().spec.clusterIP;
    expect((await raw(kc(), 'DELETE', `${NET}/ipaddresses/${ip}`)).status).toBe(200);
    await expect
      .poll(async () => (await raw(kc(), 'GET', `${NET}/ipaddresses/${ip}`)).status, EVENTUALLY)
      .toBe(404);
    const touched = await raw(kc(), 'PATCH', `/api/v1/namespaces/${ns}/services/repaired`, {
      body: { metadata: { labels: { touched: 'yes' } } },
      contentType: 'application/merge-patch+json',
    });
    expect(touched.status, touched.text).toBe(200);
    await expect
      .poll(async () => (await raw(kc(), 'GET', `${NET}/ipaddresses/${ip}`)).status, EVENTUALLY)
      .toBe(200);
    const back = (await raw(kc(), 'GET', `${NET}/ipaddresses/${ip}`)).json();
    expect(back.metadata.labels).toEqual(ALLOCATOR_LABELS);
    expect(back.spec.parentRef).toEqual({ resource: 'services', namespace: ns, name: 'repaired' });
    await expect
      .poll(async () => repairEvents(ns, 'repaired'), EVENTUALLY)
      .toEqual([
        `Warning ClusterIPNotAllocated ClusterIPAllocation: Cluster IP [IPv4]: ${ip} is not allocated; repairing`,
      ]);
  });

  test("an allocator's IPAddress whose parent is no Service is deleted", async () => {
    // Below the dynamic range: no Service of this file takes it.
    const ip = '10.0.0.5';
    const parentRef = {
      group: 'gateway.networking.k8s.io',
      resource: 'gateways',
      namespace: ns,
      name: 'g',
    };
    const created = await raw(kc(), 'POST', `${NET}/ipaddresses`, {
      body: {
        apiVersion: 'networking.k8s.io/v1',
        kind: 'IPAddress',
        metadata: { name: ip, labels: ALLOCATOR_LABELS },
        spec: { parentRef },
      },
    });
    expect(created.status, created.text).toBe(201);
    await expect
      .poll(async () => (await raw(kc(), 'GET', `${NET}/ipaddresses/${ip}`)).status, EVENTUALLY)
      .toBe(404);
    await expect
      .poll(async () => repairEvents('default', ip), EVENTUALLY)
      .toEqual([
        `Warning IPAddressNotAllocated IPAddressAllocation: IPAddress ${ip} appears to have been modified, not referencing a Service &ParentReference{Group:gateway.networking.k8s.io,Resource:gateways,Namespace:${ns},Name:g,}: cleaning up`,
      ]);
  });
});
