/**
 * Differential: the core/v1 writes that go through a subresource or a create-only
 * resource rather than the object itself: binding a Pod to a Node (`bindings` and
 * `pods/{name}/binding`, as kube-scheduler does) and a Namespace's `finalize`.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { raw } from './raw-http.js';
import { type E2eContext, EVENTUALLY, startE2e, uniqueSuffix } from './support.js';

let e2e: E2eContext;
let ns: string;

beforeAll(async () => {
  e2e = await startE2e();
  ns = await e2e.namespace('e2e-core-subs');
});

afterAll(async () => {
  await e2e?.stop();
});

const kc = () => e2e.backend.kubeConfig;
// biome-ignore lint/suspicious/noExplicitAny: answers are read as plain JSON.
type Json = any;

const SUCCESS = { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', code: 201 };

async function createPod(name: string): Promise<Json> {
  const res = await raw(kc(), 'POST', `/api/v1/namespaces/${ns}/pods`, {
    body: {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name, labels: { a: '1' } },
      spec: { containers: [{ name: 'c', image: 'nginx' }] },
    },
  });
  expect(res.status, res.text).toBe(201);
  return res.json();
}

describe('binding a Pod', () => {
  test('bindings sets the node, the Binding labels and annotations and PodScheduled', async () => {
    const name = `bind-${uniqueSuffix()}`;
    const created = await createPod(name);
    const res = await raw(kc(), 'POST', `/api/v1/namespaces/${ns}/bindings`, {
      body: {
        apiVersion: 'v1',
        kind: 'Binding',
        metadata: { name, labels: { a: '2', b: 'x' }, annotations: { k: 'v' } },
        target: { apiVersion: 'v1', kind: 'Node', name: 'node-a' },
      },
    });
    expect(res.status).toBe(201);
    expect(res.json()).toEqual(SUCCESS);
    const pod = (await raw(kc(), 'GET', `/api/v1/namespaces/${ns}/pods/${name}`)).json();
    expect(pod.spec.nodeName).toBe('node-a');
    expect(pod.metadata.labels).toEqual({ a: '2', b: 'x' });
    expect(pod.metadata.annotations).toEqual({ k: 'v' });
    expect(pod.status.conditions).toEqual([
      {
        type: 'PodScheduled',
        status: 'True',
        lastProbeTime: null,
        lastTransitionTime: expect.any(String),
      },
    ]);
    expect(Number(pod.metadata.resourceVersion)).toBeGreaterThan(
      Number(created.metadata.resourceVersion),
    );
    // The storage update records no managed fields.
    expect(pod.metadata.managedFields).toEqual(created.metadata.managedFields);
  });

  test('pods/binding: a bound Pod is a 409, a name mismatch a 400, a missing Pod a 404', async () => {
    const name = `bind-${uniqueSuffix()}`;
    await createPod(name);
    const bind = (path: string, body: Json) =>
      raw(kc(), 'POST', `/api/v1/namespaces/${ns}/${path}`, { body });
    const target = { kind: 'Node', name: 'node-a' };
    const mismatch = await bind(`pods/${name}/binding`, { metadata: { name: 'other' }, target });
    expect(mismatch.status).toBe(400);
    expect(mismatch.json()).toMatchObject({
      reason: 'BadRequest',
      message: 'name in URL does not match name in Binding object',
    });
    const ok = await bind(`pods/${name}/binding`, { metadata: { name }, target });
    expect(ok.status).toBe(201);
    expect(ok.json()).toEqual(SUCCESS);
    const again = await bind('bindings', { metadata: { name }, target: { name: 'node-b' } });
    expect(again.status).toBe(409);
    expect(again.json()).toEqual({
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message: `Operation cannot be fulfilled on pods/binding "${name}": pod ${name} is already assigned to node "node-a"`,
      reason: 'Conflict',
      details: { name, kind: 'pods/binding' },
      code: 409,
    });
    const missing = await bind('bindings', { metadata: { name: 'nope' }, target });
    expect(missing.status).toBe(404);
    expect(missing.json()).toMatchObject({
      message: 'pods "nope" not found',
      details: { name: 'nope', kind: 'pods' },
    });
    const get = await raw(kc(), 'GET', `/api/v1/namespaces/${ns}/pods/${name}/binding`);
    expect(get.status).toBe(405);
  });

  test('an invalid target is the validation error kube-apiserver answers with a 500', async () => {
    const name = `bind-${uniqueSuffix()}`;
    await createPod(name);
    const res = await raw(kc(), 'POST', `/api/v1/namespaces/${ns}/bindings`, {
      body: { metadata: { name }, target: { kind: 'Pod' } },
    });
    expect(res.status).toBe(500);
    expect(res.json()).toEqual({
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message:
        '[target.kind: Unsupported value: "Pod": supported values: "Node", "<empty>", target.name: Required value]',
      code: 500,
    });
    const pod = (await raw(kc(), 'GET', `/api/v1/namespaces/${ns}/pods/${name}`)).json();
    expect(pod.spec.nodeName).toBeUndefined();
  });
});

describe('namespaces/finalize', () => {
  async function createNamespace(): Promise<string> {
    const name = `e2e-fin-${uniqueSuffix()}`;
    const res = await raw(kc(), 'POST', '/api/v1/namespaces', { body: { metadata: { name } } });
    expect(res.status, res.text).toBe(201);
    e2e.onStop(() => raw(kc(), 'DELETE', `/api/v1/namespaces/${name}`));
    return name;
  }
  const finalize = (name: string, body: Json, query: Record<string, string> = {}) =>
    raw(kc(), 'PUT', `/api/v1/namespaces/${name}/finalize`, {
      body: { apiVersion: 'v1', kind: 'Namespace', metadata: { name }, ...body },
      query,
    });

  test('PUT changes spec.finalizers (and metadata) but not the status', async () => {
    const name = await createNamespace();
    const res = await finalize(
      name,
      {
        metadata: { name, labels: { x: 'y' } },
        spec: { finalizers: ['kubernetes', 'example.com/f'] },
        status: { phase: 'Terminating' },
      },
      { fieldManager: 'fin' },
    );
    expect(res.status).toBe(200);
    const out = res.json();
    expect(out.spec).toEqual({ finalizers: ['kubernetes', 'example.com/f'] });
    expect(out.status).toEqual({ phase: 'Active' });
    expect(out.metadata.labels).toEqual({ 'kubernetes.io/metadata.name': name, x: 'y' });
    const entry = out.metadata.managedFields.find((e: Json) => e.manager === 'fin');
    expect(entry).toMatchObject({
      operation: 'Update',
      subresource: 'finalize',
      fieldsV1: { 'f:metadata': { 'f:labels': { 'f:x': {} } }, 'f:spec': { 'f:finalizers': {} } },
    });
    // An update of the Namespace itself leaves spec alone.
    const put = await raw(kc(), 'PUT', `/api/v1/namespaces/${name}`, {
      body: { apiVersion: 'v1', kind: 'Namespace', metadata: { name }, spec: { finalizers: [] } },
    });
    expect(put.json().spec).toEqual({ finalizers: ['kubernetes', 'example.com/f'] });
    const cleared = await finalize(name, {});
    expect(cleared.json().spec).toEqual({});
  });

  test('finalizer names are validated; GET and PATCH are 405', async () => {
    const name = await createNamespace();
    const res = await finalize(name, { spec: { finalizers: ['foo', 'bad finalizer'] } });
    expect(res.status).toBe(422);
    const PART =
      "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')";
    const NOT_QUALIFIED = 'name is neither a standard finalizer name nor is it fully qualified';
    expect(res.json().details).toEqual({
      name,
      kind: 'Namespace',
      causes: [
        {
          reason: 'FieldValueInvalid',
          message: `Invalid value: "foo": ${NOT_QUALIFIED}`,
          field: 'spec.finalizers[0]',
        },
        {
          reason: 'FieldValueInvalid',
          message: `Invalid value: "bad finalizer": ${PART}`,
          field: 'spec.finalizers[1]',
        },
        {
          reason: 'FieldValueInvalid',
          message: `Invalid value: "bad finalizer": ${NOT_QUALIFIED}`,
          field: 'spec.finalizers[1]',
        },
      ],
    });
    const path = `/api/v1/namespaces/${name}/finalize`;
    expect((await raw(kc(), 'GET', path)).status).toBe(405);
    const patch = await raw(kc(), 'PATCH', path, {
      body: {},
      contentType: 'application/merge-patch+json',
    });
    expect(patch.status).toBe(405);
  });

  test('a Terminating Namespace goes once finalize empties spec.finalizers', async () => {
    const name = await createNamespace();
    const cm = await raw(kc(), 'POST', `/api/v1/namespaces/${name}/configmaps`, {
      body: { metadata: { name: 'held', finalizers: ['example.com/hold'] } },
    });
    expect(cm.status).toBe(201);
    const del = await raw(kc(), 'DELETE', `/api/v1/namespaces/${name}`);
    expect(del.json()).toMatchObject({ kind: 'Namespace', status: { phase: 'Terminating' } });
    const kept = await finalize(name, { spec: { finalizers: ['example.com/y'] } });
    expect(kept.json()).toMatchObject({
      spec: { finalizers: ['example.com/y'] },
      status: { phase: 'Terminating' },
    });
    expect(kept.json().metadata.deletionTimestamp).toEqual(expect.any(String));
    const gone = await finalize(name, {});
    expect(gone.status).toBe(200);
    expect(gone.json()).toMatchObject({ kind: 'Namespace', spec: {} });
    await expect
      .poll(async () => (await raw(kc(), 'GET', `/api/v1/namespaces/${name}`)).status, EVENTUALLY)
      .toBe(404);
  });

  test('a Namespace without the kubernetes finalizer stays Terminating until deleted again', async () => {
    const name = await createNamespace();
    expect((await finalize(name, {})).json().spec).toEqual({});
    const del = await raw(kc(), 'DELETE', `/api/v1/namespaces/${name}`);
    expect(del.status).toBe(200);
    expect(del.json()).toMatchObject({ kind: 'Namespace', status: { phase: 'Terminating' } });
    // The namespace controller counts it finalized already and leaves it alone.
    const kept = await raw(kc(), 'GET', `/api/v1/namespaces/${name}`);
    expect(kept.json()).toMatchObject({ spec: {}, status: { phase: 'Terminating' } });
    const again = await raw(kc(), 'DELETE', `/api/v1/namespaces/${name}`);
    expect(again.status).toBe(200);
    expect(again.json()).toMatchObject({ kind: 'Namespace', metadata: { name } });
    expect((await raw(kc(), 'GET', `/api/v1/namespaces/${name}`)).status).toBe(404);
  });

  test('the namespace controller removes only its own finalizer from spec.finalizers', async () => {
    const name = await createNamespace();
    await finalize(name, { spec: { finalizers: ['kubernetes', 'example.com/f'] } });
    await raw(kc(), 'DELETE', `/api/v1/namespaces/${name}`);
    await expect
      .poll(
        async () => (await raw(kc(), 'GET', `/api/v1/namespaces/${name}`)).json().spec,
        EVENTUALLY,
      )
      .toEqual({ finalizers: ['example.com/f'] });
    const gone = await finalize(name, {});
    expect(gone.status).toBe(200);
    await expect
      .poll(async () => (await raw(kc(), 'GET', `/api/v1/namespaces/${name}`)).status, EVENTUALLY)
      .toBe(404);
  });
});
