/**
 * Differential: a PUT without a resourceVersion. kube-apiserver fills it with the stored
 * one for kinds whose strategy allows unconditional updates (a ConfigMap), and refuses it
 * with a 422 for the others (custom resources and their status, Leases, …); a
 * resourceVersion of "0" is none.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { installCrd, namespacedCrd } from './crd-install.js';
import { expectInvalid, invalid } from './invalid-status.js';
import { raw } from './raw-http.js';
import { type E2eContext, startE2e, uniqueSuffix } from './support.js';

let e2e: E2eContext;
let ns: string;
const group = `uu${uniqueSuffix()}.e2e.kube-ts.dev`;
const things = () => `/apis/${group}/v1/namespaces/${ns}/things`;

beforeAll(async () => {
  e2e = await startE2e();
  ns = await e2e.namespace('e2e-unconditional');
  const openAPIV3Schema = { type: 'object', 'x-kubernetes-preserve-unknown-fields': true };
  await installCrd(
    e2e,
    namespacedCrd(group, 'Thing', { schema: { openAPIV3Schema }, subresources: { status: {} } }),
    things(),
  );
}, 120_000);

afterAll(() => e2e?.stop());

const kc = () => e2e.backend.kubeConfig;
const MUST = 'must be specified for an update';

/** Creates the object at `path` and returns its resourceVersion. */
async function created(path: string, body: Record<string, unknown>): Promise<string> {
  const res = await raw(kc(), 'POST', path, { body });
  expect(res.status, res.text).toBe(201);
  return res.json().metadata.resourceVersion;
}

describe('a PUT without a resourceVersion', () => {
  test('of a custom resource or its status is a 422; with the stored one it is taken', async () => {
    const thing = (resourceVersion?: string) => ({
      apiVersion: `${group}/v1`,
      kind: 'Thing',
      metadata: { name: 't', ...(resourceVersion === undefined ? {} : { resourceVersion }) },
      spec: { a: 1 },
      status: { b: 2 },
    });
    const rv = await created(things(), thing());
    const what = `things.${group} "t"`;
    for (const [path, body] of [
      [`${things()}/t`, thing()],
      [`${things()}/t`, thing('0')],
      [`${things()}/t/status`, thing()],
    ] as const) {
      expectInvalid(await raw(kc(), 'PUT', path, { body }), what, [
        invalid('metadata.resourceVersion', '0', MUST),
      ]);
    }
    const taken = await raw(kc(), 'PUT', `${things()}/t`, { body: thing(rv) });
    expect(taken.status, taken.text).toBe(200);
  });

  test('of a Lease is a 422, of a ConfigMap an update of the stored object', async () => {
    const leases = `/apis/coordination.k8s.io/v1/namespaces/${ns}/leases`;
    const lease = { apiVersion: 'coordination.k8s.io/v1', kind: 'Lease', metadata: { name: 'l' } };
    await created(leases, lease);
    expectInvalid(
      await raw(kc(), 'PUT', `${leases}/l`, { body: lease }),
      'leases.coordination.k8s.io "l"',
      [invalid('metadata.resourceVersion', '0', MUST)],
    );
    const configMaps = `/api/v1/namespaces/${ns}/configmaps`;
    const cm = (data: Record<string, string>, resourceVersion?: string) => ({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'c', ...(resourceVersion === undefined ? {} : { resourceVersion }) },
      data,
    });
    await created(configMaps, cm({ a: '1' }));
    const updated = await raw(kc(), 'PUT', `${configMaps}/c`, { body: cm({ a: '2' }) });
    expect(updated.status, updated.text).toBe(200);
    expect(updated.json().data).toEqual({ a: '2' });
    const zero = await raw(kc(), 'PUT', `${configMaps}/c`, { body: cm({ a: '3' }, '0') });
    expect(zero.status, zero.text).toBe(200);
    expect(zero.json().data).toEqual({ a: '3' });
  });
});
