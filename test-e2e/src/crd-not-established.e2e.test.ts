/**
 * Differential: a CRD that stays `Established: False` (`InvalidCABundle`: its conversion
 * webhook's `caBundle` holds no certificate). kube-apiserver's APIService for its group
 * version is made all the same, so the legacy `/apis` and `/apis/{group}` list it; the
 * discovery of its resources (`/apis/{group}/{version}`, aggregated discovery) and OpenAPI
 * wait for it to be established. Its names are accepted, so its resources are routed, but
 * their handler needs the conversion webhook's client, which the caBundle does not give:
 * every request is a 500. Its own control plane: the CRD would change the discovery
 * documents other files compare.
 */
import { afterAll, beforeAll, expect, test, vi } from 'vitest';
import { CRDS, namespacedCrd } from './crd-install.js';
import { raw } from './raw-http.js';
import { type E2eContext, EVENTUALLY, startE2e, uniqueSuffix } from './support.js';

let e2e: E2eContext;
const group = `u${uniqueSuffix()}.e2e.kube-ts.dev`;
const kc = () => e2e.backend.kubeConfig;
const AGGREGATED = 'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList';

beforeAll(async () => {
  e2e = await startE2e();
  const crd = namespacedCrd(group, 'Gizmo', {
    schema: { openAPIV3Schema: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true } },
  });
  const conversion = {
    strategy: 'Webhook',
    webhook: {
      clientConfig: {
        url: 'https://convert.example.com/convert',
        caBundle: Buffer.from('x').toString('base64'),
      },
      conversionReviewVersions: ['v1'],
    },
  };
  const created = await raw(kc(), 'POST', CRDS, {
    body: { ...crd, spec: { ...crd.spec, conversion } },
  });
  expect(created.status, created.text).toBe(201);
  // Its names are accepted and its establishing settled: it stays so.
  await vi.waitFor(async () => {
    const got = (await raw(kc(), 'GET', `${CRDS}/${crd.metadata.name}`)).json();
    const conditions: Record<string, string>[] = got.status?.conditions ?? [];
    expect(conditions.map((c) => [c.type, c.status, c.reason])).toEqual([
      ['NamesAccepted', 'True', 'NoConflicts'],
      ['Established', 'False', 'InvalidCABundle'],
    ]);
  }, EVENTUALLY);
});

afterAll(async () => {
  await e2e?.stop();
});

test('its group is listed from its APIService, its resources are not', async () => {
  const entry = {
    name: group,
    versions: [{ groupVersion: `${group}/v1`, version: 'v1' }],
    preferredVersion: { groupVersion: `${group}/v1`, version: 'v1' },
  };
  // The APIService is made by a controller: the group appears once it is.
  await expect
    .poll(async () => {
      const legacy = (await raw(kc(), 'GET', '/apis')).json();
      return legacy.groups.find((g: { name: string }) => g.name === group);
    }, EVENTUALLY)
    .toEqual(entry);
  const one = await raw(kc(), 'GET', `/apis/${group}`);
  expect([one.status, one.json()]).toEqual([200, { kind: 'APIGroup', apiVersion: 'v1', ...entry }]);
  const version = await raw(kc(), 'GET', `/apis/${group}/v1`);
  expect([version.status, version.text]).toEqual([404, '404 page not found\n']);
  const aggregated = (await raw(kc(), 'GET', '/apis', { accept: AGGREGATED })).json();
  expect(
    aggregated.items.map((i: { metadata: { name: string } }) => i.metadata.name),
  ).not.toContain(group);
  const v3 = (await raw(kc(), 'GET', '/openapi/v3')).json();
  expect(Object.keys(v3.paths)).not.toContain(`apis/${group}/v1`);
  const v3doc = await raw(kc(), 'GET', `/openapi/v3/apis/${group}/v1`);
  expect(v3doc.status).toBe(404);
});

test('a request of its resources is a 500: no conversion webhook client', async () => {
  const unresolved = {
    kind: 'Status',
    apiVersion: 'v1',
    metadata: {},
    status: 'Failure',
    message: 'Internal error occurred: error resolving resource',
    reason: 'InternalError',
    details: { causes: [{ message: 'error resolving resource' }] },
    code: 500,
  };
  const gizmos = `/apis/${group}/v1/namespaces/default/gizmos`;
  const list = await raw(kc(), 'GET', gizmos);
  expect([list.status, list.json()]).toEqual([500, unresolved]);
  const created = await raw(kc(), 'POST', gizmos, {
    body: { apiVersion: `${group}/v1`, kind: 'Gizmo', metadata: { name: 'g' } },
  });
  expect([created.status, created.json()]).toEqual([500, unresolved]);
  const got = await raw(kc(), 'GET', `${gizmos}/g`);
  expect([got.status, got.json()]).toEqual([500, unresolved]);
});
