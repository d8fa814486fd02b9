/**
 * Differential: what a response is encoded as, by the Accept header: YAML (objects, lists,
 * errors, and a YAML body written back), 406 for what the server cannot encode, server-side
 * `Table` with `includeObject`, and metadata-only answers (`PartialObjectMetadata`) for
 * get, list and watch.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { parse } from 'yaml';
import { raw } from './raw-http.js';
import { type E2eContext, startE2e, uniqueSuffix } from './support.js';

let e2e: E2eContext;
let ns: string;
let cms: string;

beforeAll(async () => {
  e2e = await startE2e();
  ns = await e2e.namespace('e2e-output');
  cms = `/api/v1/namespaces/${ns}/configmaps`;
  const created = await raw(kc(), 'POST', cms, {
    body: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c1' }, data: { a: 'b' } },
  });
  expect(created.status).toBe(201);
});

afterAll(async () => {
  await e2e?.stop();
});

const kc = () => e2e.backend.kubeConfig;
const TABLE = 'application/json;as=Table;v=v1;g=meta.k8s.io';
const SERVED = 'application/json, application/yaml, application/vnd.kubernetes.protobuf';

describe('YAML', () => {
  test('an object, a list and an error answer YAML, the same values as JSON', async () => {
    const json = (await raw(kc(), 'GET', `${cms}/c1`)).json();
    const one = await raw(kc(), 'GET', `${cms}/c1`, { accept: 'application/yaml' });
    expect(one.status).toBe(200);
    expect(one.headers['content-type']).toBe('application/yaml');
    expect(parse(one.text)).toEqual(json);
    // Keys sorted, as Go's YAML encoder writes them.
    expect(one.text.startsWith('apiVersion: v1\ndata:\n  a: b\nkind: ConfigMap\nmetadata:\n')).toBe(
      true,
    );

    const list = await raw(kc(), 'GET', cms, {
      accept: 'application/yaml',
      query: { fieldSelector: 'metadata.name=c1' },
    });
    expect(list.headers['content-type']).toBe('application/yaml');
    const doc = parse(list.text);
    expect(doc).toMatchObject({ apiVersion: 'v1', kind: 'ConfigMapList' });
    expect(doc.items.map((i: { metadata: { name: string } }) => i.metadata.name)).toEqual(['c1']);

    const missing = await raw(kc(), 'GET', `${cms}/nope`, { accept: 'application/yaml' });
    expect(missing.status).toBe(404);
    expect(missing.headers['content-type']).toBe('application/yaml');
    expect(parse(missing.text)).toEqual({
      apiVersion: 'v1',
      kind: 'Status',
      metadata: {},
      status: 'Failure',
      message: 'configmaps "nope" not found',
      reason: 'NotFound',
      details: { name: 'nope', kind: 'configmaps' },
      code: 404,
    });
  });

  test('a YAML body is created and answered in YAML', async () => {
    const res = await raw(kc(), 'POST', cms, {
      accept: 'application/yaml',
      contentType: 'application/yaml',
      body: 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: y1\ndata:\n  k: v\n',
    });
    expect(res.status).toBe(201);
    expect(res.headers['content-type']).toBe('application/yaml');
    expect(parse(res.text)).toMatchObject({ kind: 'ConfigMap', data: { k: 'v' } });
  });
});

describe('406 Not Acceptable', () => {
  test('a media type the server cannot encode', async () => {
    const one = await raw(kc(), 'GET', `${cms}/c1`, { accept: 'text/html' });
    expect(one.status).toBe(406);
    expect(one.json()).toEqual({
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message: `406: Not Acceptable\n\nAvailable representations: ${SERVED}`,
      reason: 'NotAcceptable',
      details: {},
      code: 406,
    });
    const list = await raw(kc(), 'GET', cms, { accept: 'application/xml' });
    expect(list.status).toBe(406);
    expect(list.json().message).toBe(
      `406: Not Acceptable\n\nAvailable representations: ${SERVED}, application/json;stream=watch, application/vnd.kubernetes.protobuf;stream=watch`,
    );
  });

  test('a transformation at a version the server does not serve', async () => {
    const res = await raw(kc(), 'GET', cms, { accept: TABLE.replace('v=v1', 'v=v2') });
    expect(res.status).toBe(406);
    expect(res.json()).toEqual({
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message: `only the following media types are accepted: ${SERVED}`,
      reason: 'NotAcceptable',
      code: 406,
    });
  });

  test('a Table of a resource that has none (a review)', async () => {
    const res = await raw(kc(), 'POST', '/apis/authorization.k8s.io/v1/selfsubjectaccessreviews', {
      accept: TABLE,
      body: {
        apiVersion: 'authorization.k8s.io/v1',
        kind: 'SelfSubjectAccessReview',
        spec: { nonResourceAttributes: { path: '/', verb: 'get' } },
      },
    });
    expect(res.status).toBe(406);
    expect(res.json()).toMatchObject({ reason: 'NotAcceptable', code: 406 });
  });
});

describe('Table', () => {
  const rowObjects = async (includeObject?: string) => {
    const res = await raw(kc(), 'GET', cms, {
      accept: `${TABLE},application/json`,
      query: { fieldSelector: 'metadata.name=c1', ...(includeObject ? { includeObject } : {}) },
    });
    expect(res.status).toBe(200);
    const table = res.json();
    expect(table).toMatchObject({ kind: 'Table', apiVersion: 'meta.k8s.io/v1' });
    expect(table.rows).toHaveLength(1);
    return table.rows[0].object;
  };

  test('includeObject: Metadata (the default), None or Object', async () => {
    const full = (await raw(kc(), 'GET', `${cms}/c1`)).json();
    expect(await rowObjects()).toEqual({
      kind: 'PartialObjectMetadata',
      apiVersion: 'meta.k8s.io/v1',
      metadata: full.metadata,
    });
    expect(await rowObjects('Metadata')).toEqual(await rowObjects());
    expect(await rowObjects('None')).toBeNull();
    expect(await rowObjects('Object')).toEqual(full);
  });
});

describe('Table columns', () => {
  // biome-ignore lint/suspicious/noExplicitAny: tables are read as plain JSON.
  const tableOf = async (path: string, name: string): Promise<any> => {
    const res = await raw(kc(), 'GET', path, {
      accept: `${TABLE},application/json`,
      query: { fieldSelector: `metadata.name=${name}` },
    });
    expect(res.status).toBe(200);
    const table = res.json();
    expect(table.rows).toHaveLength(1);
    return table;
  };
  const header = (table: {
    columnDefinitions: { name: string; type: string; priority: number }[];
  }) => table.columnDefinitions.map((c) => `${c.name}:${c.type}:${c.priority}`);
  const AGE = expect.stringMatching(/^\d+s$/);

  test('built-in kinds print kube-apiserver columns and cells', async () => {
    const ns0 = `/api/v1/namespaces/${ns}`;
    await raw(kc(), 'POST', `${ns0}/secrets`, {
      body: { apiVersion: 'v1', kind: 'Secret', metadata: { name: 's1' }, stringData: { a: 'b' } },
    });
    await raw(kc(), 'POST', `${ns0}/services`, {
      body: {
        apiVersion: 'v1',
        kind: 'Service',
        metadata: { name: 'svc1' },
        spec: { ports: [{ port: 80 }], selector: { b: '2', a: '1' } },
      },
    });
    await raw(kc(), 'POST', `/apis/apps/v1/namespaces/${ns}/deployments`, {
      body: {
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        metadata: { name: 'd1' },
        spec: {
          replicas: 0,
          selector: { matchLabels: { app: 'd1' } },
          template: {
            metadata: { labels: { app: 'd1' } },
            spec: {
              containers: [
                { name: 'c', image: 'nginx' },
                { name: 'd', image: 'busybox' },
              ],
            },
          },
        },
      },
    });
    await raw(kc(), 'POST', `${ns0}/pods`, {
      body: {
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: { name: 'p1' },
        spec: { containers: [{ name: 'c', image: 'nginx' }] },
      },
    });

    const cm = await tableOf(`${ns0}/configmaps`, 'c1');
    expect(header(cm)).toEqual(['Name:string:0', 'Data:string:0', 'Age:string:0']);
    expect(cm.columnDefinitions[0].description).toMatch(/^Name must be unique within a namespace/);
    expect(cm.rows[0].cells).toEqual(['c1', 1, AGE]);

    const secret = await tableOf(`${ns0}/secrets`, 's1');
    expect(header(secret)).toEqual([
      'Name:string:0',
      'Type:string:0',
      'Data:string:0',
      'Age:string:0',
    ]);
    expect(secret.rows[0].cells).toEqual(['s1', 'Opaque', 1, AGE]);

    const namespace = await tableOf('/api/v1/namespaces', ns);
    expect(header(namespace)).toEqual(['Name:string:0', 'Status:string:0', 'Age:string:0']);
    expect(namespace.rows[0].cells).toEqual([ns, 'Active', AGE]);

    const deploy = await tableOf(`/apis/apps/v1/namespaces/${ns}/deployments`, 'd1');
    expect(header(deploy)).toEqual([
      'Name:string:0',
      'Ready:string:0',
      'Up-to-date:string:0',
      'Available:string:0',
      'Age:string:0',
      'Containers:string:1',
      'Images:string:1',
      'Selector:string:1',
    ]);
    expect(deploy.rows[0].cells).toEqual([
      'd1',
      '0/0',
      0,
      0,
      AGE,
      'c,d',
      'nginx,busybox',
      'app=d1',
    ]);

    const pod = await tableOf(`${ns0}/pods`, 'p1');
    expect(header(pod)).toEqual([
      'Name:string:0',
      'Ready:string:0',
      'Status:string:0',
      'Restarts:string:0',
      'Age:string:0',
      'IP:string:1',
      'Node:string:1',
      'Nominated Node:string:1',
      'Readiness Gates:string:1',
    ]);
    expect(pod.rows[0].cells).toEqual([
      'p1',
      '0/1',
      'Pending',
      '0',
      AGE,
      '<none>',
      '<none>',
      '<none>',
      '<none>',
    ]);

    const svc = await tableOf(`${ns0}/services`, 'svc1');
    expect(header(svc)).toEqual([
      'Name:string:0',
      'Type:string:0',
      'Cluster-IP:string:0',
      'External-IP:string:0',
      'Port(s):string:0',
      'Age:string:0',
      'Selector:string:1',
    ]);
    expect(svc.rows[0].cells).toEqual([
      'svc1',
      'ClusterIP',
      expect.stringMatching(/^\d+\.\d+\.\d+\.\d+$/),
      '<none>',
      '80/TCP',
      AGE,
      'a=1,b=2',
    ]);
  });
});

describe('custom resource tables', () => {
  test('exactly the declared printer columns, or Name and Age when none are declared', async () => {
    const group = `t${uniqueSuffix()}.e2e.kube-ts.dev`;
    const crds = '/apis/apiextensions.k8s.io/v1/customresourcedefinitions';
    const crd = (plural: string, kind: string, columns?: unknown[]) => ({
      apiVersion: 'apiextensions.k8s.io/v1',
      kind: 'CustomResourceDefinition',
      metadata: { name: `${plural}.${group}` },
      spec: {
        group,
        scope: 'Namespaced',
        names: { plural, kind, singular: kind.toLowerCase() },
        versions: [
          {
            name: 'v1',
            served: true,
            storage: true,
            schema: {
              openAPIV3Schema: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true },
            },
            ...(columns ? { additionalPrinterColumns: columns } : {}),
          },
        ],
      },
    });
    for (const body of [
      crd('tables', 'Table1', [
        { name: 'Size', type: 'integer', jsonPath: '.spec.size' },
        { name: 'Color', type: 'string', jsonPath: '.spec.color', description: 'the color' },
      ]),
      crd('plains', 'Plain'),
    ]) {
      expect((await raw(kc(), 'POST', crds, { body })).status).toBe(201);
      e2e.onStop(() => raw(kc(), 'DELETE', `${crds}/${body.metadata.name}`));
    }
    const create = async (plural: string, kind: string) => {
      const path = `/apis/${group}/v1/namespaces/${ns}/${plural}`;
      await expect
        .poll(
          async () =>
            (
              await raw(kc(), 'POST', path, {
                body: {
                  apiVersion: `${group}/v1`,
                  kind,
                  metadata: { name: 'x' },
                  spec: { size: 3, color: 'red' },
                },
              })
            ).status,
          { timeout: 30_000, interval: 300 },
        )
        .toBe(201);
      return (await raw(kc(), 'GET', path, { accept: TABLE })).json();
    };
    const declared = await create('tables', 'Table1');
    expect(
      declared.columnDefinitions.map((c: { name: string; type: string; description: string }) => [
        c.name,
        c.type,
        c.description,
      ]),
    ).toEqual([
      ['Name', 'string', expect.stringMatching(/^Name must be unique/)],
      ['Size', 'integer', 'Custom resource definition column (in JSONPath format): .spec.size'],
      ['Color', 'string', 'the color'],
    ]);
    expect(declared.rows[0].cells).toEqual(['x', 3, 'red']);
    const plain = await create('plains', 'Plain');
    expect(
      plain.columnDefinitions.map((c: { name: string; type: string }) => [c.name, c.type]),
    ).toEqual([
      ['Name', 'string'],
      ['Age', 'date'],
    ]);
    expect(plain.rows[0].cells).toEqual(['x', expect.stringMatching(/^\d+s$/)]);
  });
});

describe('PartialObjectMetadata', () => {
  const OBJECT = 'application/json;as=PartialObjectMetadata;g=meta.k8s.io;v=v1';
  const LIST = 'application/json;as=PartialObjectMetadataList;g=meta.k8s.io;v=v1';

  test('get and list answer metadata only', async () => {
    const full = (await raw(kc(), 'GET', `${cms}/c1`)).json();
    const one = await raw(kc(), 'GET', `${cms}/c1`, { accept: OBJECT });
    expect(one.json()).toEqual({
      kind: 'PartialObjectMetadata',
      apiVersion: 'meta.k8s.io/v1',
      metadata: full.metadata,
    });
    const list = await raw(kc(), 'GET', cms, {
      accept: LIST,
      query: { fieldSelector: 'metadata.name=c1' },
    });
    const body = list.json();
    expect(body).toMatchObject({ kind: 'PartialObjectMetadataList', apiVersion: 'meta.k8s.io/v1' });
    expect(body.items).toEqual([
      { kind: 'PartialObjectMetadata', apiVersion: 'meta.k8s.io/v1', metadata: full.metadata },
    ]);
    // An empty metadata list has items: null (a typed list has items: []).
    const query = { labelSelector: 'no-such=label' };
    const empty = await raw(kc(), 'GET', cms, { accept: LIST, query });
    expect(empty.json()).toMatchObject({ kind: 'PartialObjectMetadataList', items: null });
    expect((await raw(kc(), 'GET', cms, { query })).json().items).toEqual([]);
    const yaml = await raw(kc(), 'GET', cms, { accept: LIST.replace('json', 'yaml'), query });
    expect(parse(yaml.text)).toMatchObject({ kind: 'PartialObjectMetadataList', items: null });
  });

  test('create, delete and delete collection answer in the form asked for; a Status stays one', async () => {
    const cm = (name: string, set: string) => ({
      body: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, labels: { set } } },
    });
    const created = await raw(kc(), 'POST', cms, { ...cm('w1', 'writes'), accept: OBJECT });
    expect(created.status).toBe(201);
    const full = (await raw(kc(), 'GET', `${cms}/w1`)).json();
    expect(created.json()).toEqual({
      kind: 'PartialObjectMetadata',
      apiVersion: 'meta.k8s.io/v1',
      metadata: full.metadata,
    });
    const table = await raw(kc(), 'POST', cms, { ...cm('w2', 'writes'), accept: TABLE });
    expect(table.status).toBe(201);
    expect(table.json()).toMatchObject({ kind: 'Table', apiVersion: 'meta.k8s.io/v1' });
    expect(table.json().rows.map((r: { cells: unknown[] }) => r.cells[0])).toEqual(['w2']);
    // A list asked for one object: 406, but the object is created (the answer is
    // transformed once the request is done).
    const notList = await raw(kc(), 'POST', cms, { ...cm('w3', 'writes'), accept: LIST });
    expect(notList.status).toBe(406);
    expect(notList.json().message).toBe(
      'you requested PartialObjectMetadataList, but the requested object is not a list (*core.ConfigMap)',
    );
    expect((await raw(kc(), 'GET', `${cms}/w3`)).status).toBe(200);
    // Deleting a ConfigMap answers a Status, whatever was asked for.
    const deleted = await raw(kc(), 'DELETE', `${cms}/w3`, { accept: OBJECT });
    expect(deleted.status).toBe(200);
    expect(deleted.json()).toMatchObject({ kind: 'Status', status: 'Success' });
    expect(deleted.json().details.name).toBe('w3');

    const names = (body: { items: { metadata: { name: string } }[] }) =>
      body.items.map((i) => i.metadata.name).sort();
    const query = { labelSelector: 'set=writes' };
    const one = await raw(kc(), 'DELETE', cms, { accept: OBJECT, query });
    expect(one.status).toBe(406);
    expect(one.json().message).toBe(
      'you requested PartialObjectMetadata, but the requested object is a list (*core.ConfigMapList)',
    );
    for (const name of ['w1', 'w2']) await raw(kc(), 'POST', cms, cm(name, 'writes'));
    const list = await raw(kc(), 'DELETE', cms, { accept: LIST, query });
    expect(list.status).toBe(200);
    expect(list.json()).toMatchObject({
      kind: 'PartialObjectMetadataList',
      apiVersion: 'meta.k8s.io/v1',
    });
    expect(names(list.json())).toEqual(['w1', 'w2']);
    expect(list.json().items[0].kind).toBe('PartialObjectMetadata');
    for (const name of ['w1', 'w2']) await raw(kc(), 'POST', cms, cm(name, 'writes'));
    const rows = await raw(kc(), 'DELETE', cms, { accept: TABLE, query });
    expect(rows.json()).toMatchObject({ kind: 'Table', apiVersion: 'meta.k8s.io/v1' });
    expect(
      rows
        .json()
        .rows.map((r: { cells: unknown[] }) => r.cells[0])
        .sort(),
    ).toEqual(['w1', 'w2']);
  });

  test('a watch sends metadata-only events', async () => {
    const res = await raw(kc(), 'GET', cms, {
      accept: OBJECT,
      query: { watch: 'true', fieldSelector: 'metadata.name=c1', timeoutSeconds: '1' },
    });
    expect(res.status).toBe(200);
    const first = JSON.parse(res.text.split('\n')[0]!);
    expect(first.type).toBe('ADDED');
    expect(first.object.kind).toBe('PartialObjectMetadata');
    expect(first.object.metadata.name).toBe('c1');
    expect(first.object.data).toBeUndefined();
  });
});
