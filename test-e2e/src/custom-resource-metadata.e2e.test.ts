/**
 * Differential: a custom resource's metadata as kube-apiserver decodes it into ObjectMeta
 * (`objectmeta.Coerce`) on every write (create, update, merge and JSON patches, server-side
 * apply, the status subresource): empty members (`labels: {}`, `ownerReferences: []`,
 * `finalizers: []`, `generateName: ""`) are dropped, so they are neither stored nor owned
 * (an apply still owns the empty maps and strings it sends, as structured-merge-diff
 * records them, but not empty lists);
 * `metadata.finalizers` is a set owned item by item and `ownerReferences` a list keyed by
 * `uid`, as for a built-in, so two managers applying finalizers share the list.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { installCrd, namespacedCrd } from './crd-install.js';
import { type RawResponse, raw } from './raw-http.js';
import { type E2eContext, startE2e, uniqueSuffix } from './support.js';

let e2e: E2eContext;
let ns: string;
const group = `crmeta${uniqueSuffix()}.e2e.kube-ts.dev`;
const apiVersion = `${group}/v1`;
let base: string;

beforeAll(async () => {
  e2e = await startE2e();
  ns = await e2e.namespace('e2e-cr-meta');
  base = `/apis/${group}/v1/namespaces/${ns}/widgets`;
  const openAPIV3Schema = { type: 'object', 'x-kubernetes-preserve-unknown-fields': true };
  await installCrd(
    e2e,
    namespacedCrd(group, 'Widget', { schema: { openAPIV3Schema }, subresources: { status: {} } }),
    base,
  );
});

afterAll(() => e2e?.stop());

const kc = () => e2e.backend.kubeConfig;
const MERGE = 'application/merge-patch+json';
const JSON_PATCH = 'application/json-patch+json';
const APPLY = 'application/apply-patch+yaml';

const widget = (name: string, metadata: object, rest: object = {}) => ({
  apiVersion,
  kind: 'Widget',
  metadata: { name, ...metadata },
  ...rest,
});

async function write(
  method: string,
  path: string,
  manager: string,
  body: unknown,
  contentType?: string,
): Promise<RawResponse> {
  const res = await raw(kc(), method, `${base}/${path}`, {
    body,
    query: { fieldManager: manager },
    ...(contentType ? { contentType } : {}),
  });
  expect(res.status, res.text).toBeLessThan(300);
  return res;
}

interface Meta {
  readonly resourceVersion: string;
  readonly managedFields?: {
    manager: string;
    operation: string;
    subresource?: string;
    fieldsV1: object;
  }[];
  readonly [member: string]: unknown;
}

/** The metadata members besides the server-set ones, as stored. */
function members(meta: Meta): Record<string, unknown> {
  const out: Record<string, unknown> = { ...meta };
  for (const k of [
    'uid',
    'resourceVersion',
    'creationTimestamp',
    'generation',
    'managedFields',
    'name',
    'namespace',
  ])
    delete out[k];
  return out;
}

/**
 * Who owns what: each entry's fieldsV1 by `manager/operation[/subresource]` (the entries'
 * order follows their times, which the two backends stamp to the second at other moments).
 */
function owners(meta: Meta): Record<string, object> {
  const out: Record<string, object> = {};
  for (const e of meta.managedFields ?? []) {
    out[[e.manager, e.operation, ...(e.subresource ? [e.subresource] : [])].join('/')] = e.fieldsV1;
  }
  return out;
}

const metaOf = (res: RawResponse): Meta => res.json().metadata;
const spec = { 'f:spec': { '.': {}, 'f:x': {} } };

describe('a custom resource metadata', () => {
  test('drops empty members on every write, so they are neither stored nor owned', async () => {
    const empty = {
      generateName: '',
      labels: {},
      annotations: {},
      ownerReferences: [],
      finalizers: [],
    };
    const created = metaOf(
      await write('POST', '', 'creator', widget('empty', empty, { spec: { x: 1 } })),
    );
    expect(members(created)).toEqual({});
    expect(owners(created)).toEqual({ 'creator/Update': spec });

    // Writes that only send empty members change nothing: no new resourceVersion.
    const merged = metaOf(
      await write('PATCH', 'empty', 'merger', { metadata: { ...empty, labels: null } }, MERGE),
    );
    const patched = metaOf(
      await write(
        'PATCH',
        'empty',
        'patcher',
        [
          { op: 'add', path: '/metadata/annotations', value: {} },
          { op: 'add', path: '/metadata/ownerReferences', value: [] },
          { op: 'add', path: '/metadata/finalizers', value: [] },
        ],
        JSON_PATCH,
      ),
    );
    const put = metaOf(
      await write(
        'PUT',
        'empty',
        'putter',
        widget('empty', { ...empty, resourceVersion: created.resourceVersion }, { spec: { x: 1 } }),
      ),
    );
    const status = metaOf(
      await write(
        'PUT',
        'empty/status',
        'statuser',
        widget('empty', { ...empty, resourceVersion: created.resourceVersion }),
      ),
    );
    for (const meta of [merged, patched, put, status]) {
      expect(meta.resourceVersion).toBe(created.resourceVersion);
      expect(members(meta)).toEqual({});
      expect(owners(meta)).toEqual({ 'creator/Update': spec });
    }

    // An apply owns what it sends (the empty maps, the empty name prefix) but the empty
    // lists; none is stored.
    const applied = metaOf(
      await write('PATCH', 'applied', 'applier', widget('applied', empty), APPLY),
    );
    expect(members(applied)).toEqual({});
    expect(owners(applied)).toEqual({
      'applier/Apply': {
        'f:metadata': { 'f:annotations': {}, 'f:generateName': {}, 'f:labels': {} },
      },
    });
  });

  test("an apply owns no empty associative list, a built-in's either", async () => {
    const body = {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'applied', finalizers: [], ownerReferences: [], labels: {} },
      data: {},
    };
    const res = await raw(kc(), 'PATCH', `/api/v1/namespaces/${ns}/configmaps/applied`, {
      body,
      query: { fieldManager: 'applier' },
      contentType: APPLY,
    });
    expect(res.status, res.text).toBe(201);
    expect(members(metaOf(res))).toEqual({});
    expect(owners(metaOf(res))).toEqual({
      'applier/Apply': { 'f:data': {}, 'f:metadata': { 'f:labels': {} } },
    });
  });

  test('owns finalizers item by item, so managers applying finalizers share the list', async () => {
    await write('POST', '', 'creator', widget('shared', {}, { spec: { x: 1 } }));
    const a = 'example.com/a';
    const b = 'example.com/b';
    const item = (f: string) => `v:${JSON.stringify(f)}`;
    const finalizers = (...fs: string[]) => ({
      'f:metadata': { 'f:finalizers': Object.fromEntries(fs.map((f) => [item(f), {}])) },
    });
    const apply = (manager: string, metadata: object) =>
      write('PATCH', 'shared', manager, widget('shared', metadata), APPLY).then(metaOf);

    expect(owners(await apply('op-a', { finalizers: [a] }))).toEqual({
      'creator/Update': spec,
      'op-a/Apply': finalizers(a),
    });
    let meta = await apply('op-b', { finalizers: [b] });
    expect(meta.finalizers).toEqual([a, b]);
    expect(owners(meta)['op-b/Apply']).toEqual(finalizers(b));
    // Applying another manager's finalizer too makes it a co-owner, not a conflict.
    meta = await apply('op-b', { finalizers: [a, b] });
    expect(meta.finalizers).toEqual([a, b]);
    expect(owners(meta)).toEqual({
      'creator/Update': spec,
      'op-a/Apply': finalizers(a),
      'op-b/Apply': finalizers(a, b),
    });
    // op-a lets go of its finalizer (still op-b's, so it stays) and applies an empty map.
    meta = await apply('op-a', { finalizers: [], labels: {} });
    expect(meta.finalizers).toEqual([a, b]);
    expect(owners(meta)['op-a/Apply']).toEqual({ 'f:metadata': { 'f:labels': {} } });

    // An update owns the finalizers and owner references it adds, each by its key.
    const uid = '6f1c3d2e-0000-4000-8000-000000000001';
    const owner = { apiVersion: 'v1', kind: 'ConfigMap', name: 'owner', uid };
    meta = metaOf(
      await write(
        'PATCH',
        'shared',
        'updater',
        { metadata: { ownerReferences: [owner], finalizers: [a, b, 'example.com/c'] } },
        MERGE,
      ),
    );
    expect(owners(meta)['updater/Update']).toEqual({
      'f:metadata': {
        'f:finalizers': { [item('example.com/c')]: {} },
        'f:ownerReferences': { '.': {}, [`k:${JSON.stringify({ uid })}`]: {} },
      },
    });
    // Removing an item takes it from every owner.
    meta = metaOf(
      await write(
        'PATCH',
        'shared',
        'remover',
        [
          { op: 'remove', path: '/metadata/finalizers/0' },
          { op: 'remove', path: '/metadata/ownerReferences/0' },
        ],
        JSON_PATCH,
      ),
    );
    expect(meta.finalizers).toEqual([b, 'example.com/c']);
    expect(meta.ownerReferences).toBeUndefined();
    expect(owners(meta)).toEqual({
      'creator/Update': spec,
      'op-a/Apply': { 'f:metadata': { 'f:labels': {} } },
      'op-b/Apply': finalizers(b),
      'updater/Update': finalizers('example.com/c'),
    });
    // An apply without its finalizers removes those nobody else owns.
    meta = await apply('op-b', {});
    expect(meta.finalizers).toEqual(['example.com/c']);
    expect(owners(meta)['op-b/Apply']).toBeUndefined();
    meta = metaOf(
      await write('PATCH', 'shared', 'updater', { metadata: { finalizers: null } }, MERGE),
    );
    expect(meta.finalizers).toBeUndefined();
    expect(owners(meta)).toEqual({
      'creator/Update': spec,
      'op-a/Apply': { 'f:metadata': { 'f:labels': {} } },
    });
  });
});
