/**
 * Differential: what the answers of a custom resource's writes look like as text, and a
 * patch that drops the resourceVersion. A dry-run create, update or apply answers with the
 * object as kube-apiserver writes an unstructured one (every map's keys sorted, metadata
 * included, as a stored object is served); a deletion's Status names the object's group
 * before its kind (StatusDetails' field order); a JSON or merge patch that removes
 * `metadata.resourceVersion` makes an unconditional update, which a custom resource's
 * strategy refuses (422 `must be specified for an update`) and a ConfigMap's allows.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { installCrd, namespacedCrd } from './crd-install.js';
import { type RawResponse, raw } from './raw-http.js';
import { type E2eContext, startE2e, uniqueSuffix } from './support.js';

let e2e: E2eContext;
let ns: string;
const group = `crwrites${uniqueSuffix()}.e2e.kube-ts.dev`;
let base: string;

beforeAll(async () => {
  e2e = await startE2e();
  ns = await e2e.namespace('e2e-cr-writes');
  base = `/apis/${group}/v1/namespaces/${ns}/widgets`;
  const openAPIV3Schema = { type: 'object', 'x-kubernetes-preserve-unknown-fields': true };
  await installCrd(e2e, namespacedCrd(group, 'Widget', { schema: { openAPIV3Schema } }), base);
});

afterAll(() => e2e?.stop());

const kc = () => e2e.backend.kubeConfig;

/** A JSON value with every object's keys sorted, as Go writes a map. */
function sorted(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(sorted);
  if (v === null || typeof v !== 'object') return v;
  const rec = v as Record<string, unknown>;
  return Object.fromEntries(
    Object.keys(rec)
      .sort()
      .map((k) => [k, sorted(rec[k])]),
  );
}

/** Expects the answer to be `status` with its maps' keys in Go's (sorted) order. */
function expectSorted(res: RawResponse, status: number): void {
  expect(res.status, res.text).toBe(status);
  expect(res.text).toBe(`${JSON.stringify(sorted(JSON.parse(res.text)))}\n`);
}

const widget = (name: string) => ({
  kind: 'Widget',
  apiVersion: `${group}/v1`,
  metadata: { name, labels: { z: '1', a: '2' }, finalizers: ['example.com/x'] },
  spec: { z: 1, a: { y: 1, b: 2 } },
});

describe('a custom resource', () => {
  test('dry-run writes answer with every map sorted, as a stored object is served', async () => {
    const dryRun = { dryRun: 'All', fieldManager: 'writer' };
    expectSorted(await raw(kc(), 'POST', base, { body: widget('dry'), query: dryRun }), 201);
    const created = await raw(kc(), 'POST', base, {
      body: { ...widget('stored'), metadata: { name: 'stored' } },
    });
    expectSorted(created, 201);
    const patch = { metadata: { annotations: { q: '1' } }, spec: { c: 1 } };
    expectSorted(
      await raw(kc(), 'PATCH', `${base}/stored`, {
        body: patch,
        query: dryRun,
        contentType: 'application/merge-patch+json',
      }),
      200,
    );
    const update = { ...widget('stored'), metadata: created.json().metadata };
    expectSorted(await raw(kc(), 'PUT', `${base}/stored`, { body: update, query: dryRun }), 200);
    expectSorted(
      await raw(kc(), 'PATCH', `${base}/applied`, {
        body: widget('applied'),
        query: { ...dryRun, fieldManager: 'applier' },
        contentType: 'application/apply-patch+yaml',
      }),
      201,
    );
    // Nothing was stored by the dry runs.
    const list = await raw(kc(), 'GET', base);
    expect(list.json().items.map((o: { metadata: { name: string } }) => o.metadata.name)).toEqual([
      'stored',
    ]);
  });

  test("a deletion's Status names the group before the kind", async () => {
    const created = await raw(kc(), 'POST', base, {
      body: { ...widget('gone'), metadata: { name: 'gone' } },
    });
    expect(created.status, created.text).toBe(201);
    const uid = created.json().metadata.uid;
    const details = `"details":{"name":"gone","group":"${group}","kind":"widgets","uid":"${uid}"}`;
    const dry = await raw(kc(), 'DELETE', `${base}/gone`, { query: { dryRun: 'All' } });
    expect(dry.status, dry.text).toBe(200);
    expect(dry.text).toContain(details);
    const deleted = await raw(kc(), 'DELETE', `${base}/gone`);
    expect(deleted.status, deleted.text).toBe(200);
    expect(deleted.text).toContain(details);
  });

  test('a patch that removes the resourceVersion is an unconditional update: refused', async () => {
    const created = await raw(kc(), 'POST', base, {
      body: { ...widget('rv'), metadata: { name: 'rv' } },
    });
    expect(created.status, created.text).toBe(201);
    const refusal = {
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message: `widgets.${group} "rv" is invalid: metadata.resourceVersion: Invalid value: 0: must be specified for an update`,
      reason: 'Invalid',
      details: {
        name: 'rv',
        group,
        kind: 'widgets',
        causes: [
          {
            reason: 'FieldValueInvalid',
            message: 'Invalid value: 0: must be specified for an update',
            field: 'metadata.resourceVersion',
          },
        ],
      },
      code: 422,
    };
    const patches: [string, unknown][] = [
      ['application/json-patch+json', [{ op: 'remove', path: '/metadata/resourceVersion' }]],
      [
        'application/json-patch+json',
        [
          { op: 'replace', path: '/metadata/resourceVersion', value: '' },
          { op: 'replace', path: '/spec/z', value: 2 },
        ],
      ],
      ['application/merge-patch+json', { metadata: { resourceVersion: null }, spec: { z: 3 } }],
    ];
    for (const [contentType, body] of patches) {
      const res = await raw(kc(), 'PATCH', `${base}/rv`, { body, contentType });
      expect(res.status, res.text).toBe(422);
      expect(res.json()).toEqual(refusal);
    }
    const stored = await raw(kc(), 'GET', `${base}/rv`);
    expect(stored.json().metadata.resourceVersion).toBe(created.json().metadata.resourceVersion);
    expect(stored.json().spec).toEqual({ a: { b: 2, y: 1 }, z: 1 });
  });

  test("a ConfigMap's strategy allows it: the patch applies", async () => {
    const path = `/api/v1/namespaces/${ns}/configmaps`;
    const created = await raw(kc(), 'POST', path, {
      body: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'rv' }, data: { a: '1' } },
    });
    expect(created.status, created.text).toBe(201);
    const res = await raw(kc(), 'PATCH', `${path}/rv`, {
      body: [
        { op: 'remove', path: '/metadata/resourceVersion' },
        { op: 'replace', path: '/data/a', value: '2' },
      ],
      contentType: 'application/json-patch+json',
    });
    expect(res.status, res.text).toBe(200);
    expect(res.json().data).toEqual({ a: '2' });
  });
});
