/**
 * Differential: discovery as kube-apiserver v1.36.3 serves it: `/version`, the health
 * endpoints with `?verbose`, aggregated discovery (`apidiscovery.k8s.io/v2`) on `/api` and
 * `/apis` with custom resources once their CRD is established, and the legacy documents
 * when aggregated discovery is not asked for.
 */
import { createHash } from 'node:crypto';
import { Api } from '@kube-ts/client';
import { resources } from '@kube-ts/core';
import type { CustomResourceDefinition } from '@kube-ts/k8s/apiextensions/v1';
import { awaitCondition, conditions } from '@kube-ts/runtime';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { raw } from './raw-http.js';
import { type E2eContext, EVENTUALLY, ignoreNotFound, startE2e, uniqueSuffix } from './support.js';

let e2e: E2eContext;

beforeAll(async () => {
  e2e = await startE2e();
});

afterAll(async () => {
  await e2e?.stop();
});

const kc = () => e2e.backend.kubeConfig;
const AGGREGATED = 'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList';
const ALL_VERBS = [
  'create',
  'delete',
  'deletecollection',
  'get',
  'list',
  'patch',
  'update',
  'watch',
];

// biome-ignore lint/suspicious/noExplicitAny: discovery documents are read as plain JSON.
type Json = any;

function resourceOf(doc: Json, group: string, version: string, resource: string): Json {
  const g = doc.items.find((i: Json) => (i.metadata.name ?? '') === group);
  const v = g?.versions.find((x: Json) => x.version === version);
  return v?.resources.find((r: Json) => r.resource === resource);
}

test('/version reports v1.36.3 with kube-apiserver fields', async () => {
  const res = await raw(kc(), 'GET', '/version');
  expect(res.status).toBe(200);
  const v = res.json();
  expect(v).toMatchObject({
    major: '1',
    minor: '36',
    emulationMajor: '1',
    emulationMinor: '36',
    minCompatibilityMajor: '1',
    minCompatibilityMinor: '35',
    gitVersion: 'v1.36.3',
    gitTreeState: 'clean',
    compiler: 'gc',
  });
  expect(Object.keys(v).sort()).toEqual(
    [
      'major',
      'minor',
      'emulationMajor',
      'emulationMinor',
      'minCompatibilityMajor',
      'minCompatibilityMinor',
      'gitVersion',
      'gitCommit',
      'gitTreeState',
      'buildDate',
      'goVersion',
      'compiler',
      'platform',
    ].sort(),
  );
  expect(v.goVersion).toMatch(/^go1\.\d+/);
  expect(v.platform).toMatch(/^linux\//);
  expect(Number.isNaN(Date.parse(v.buildDate))).toBe(false);
});

describe('health endpoints', () => {
  test.each([
    ['readyz', ['[+]ping ok', '[+]etcd ok', '[+]etcd-readiness ok', '[+]shutdown ok']],
    ['livez', ['[+]ping ok', '[+]etcd ok', '[+]poststarthook/rbac/bootstrap-roles ok']],
    ['healthz', ['[+]ping ok', '[+]log ok', '[+]etcd ok']],
  ])('/%s?verbose lists the checks', async (endpoint, lines) => {
    const res = await raw(kc(), 'GET', `/${endpoint}`, { query: { verbose: '' }, accept: '*/*' });
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('text/plain; charset=utf-8');
    const body = res.text.split('\n');
    expect(body).toEqual(expect.arrayContaining(lines));
    expect(body.at(-2)).toBe(`${endpoint} check passed`);
    expect((await raw(kc(), 'GET', `/${endpoint}`, { accept: '*/*' })).text).toBe('ok');
  });

  test('one check answers ok; an unknown one is a plain 404', async () => {
    expect((await raw(kc(), 'GET', '/readyz/etcd', { accept: '*/*' })).text).toBe('ok');
    const res = await raw(kc(), 'GET', '/livez/nope', { accept: '*/*' });
    expect(res.status).toBe(404);
    expect(res.text).toBe('404 page not found\n');
  });

  test.each(['healthz', 'livez', 'readyz'])(
    '/%s answers any method as GET does; HEAD without a body',
    async (endpoint) => {
      for (const method of ['POST', 'PUT', 'DELETE', 'PATCH'] as const) {
        const res = await raw(kc(), method, `/${endpoint}`, { accept: '*/*' });
        expect([method, res.status, res.text]).toEqual([method, 200, 'ok']);
        const verbose = await raw(kc(), method, `/${endpoint}`, {
          query: { verbose: '' },
          accept: '*/*',
        });
        expect([method, verbose.status, verbose.text.split('\n').at(-2)]).toEqual([
          method,
          200,
          `${endpoint} check passed`,
        ]);
      }
      const head = await raw(kc(), 'HEAD', `/${endpoint}`, { accept: '*/*' });
      expect([head.status, head.text, head.headers['content-type']]).toEqual([
        200,
        '',
        'text/plain; charset=utf-8',
      ]);
      const check = await raw(kc(), 'POST', `/${endpoint}/etcd`, { accept: '*/*' });
      expect([check.status, check.text]).toEqual([200, 'ok']);
    },
  );
});

describe('aggregated discovery', () => {
  test.each(['/api', '/apis'])(
    '%s: the ETag hashes the document without its type; If-None-Match with it is a 304',
    async (path) => {
      // The document may change between two reads (an APIService's availability): poll.
      await expect
        .poll(async () => {
          const res = await raw(kc(), 'GET', path, { accept: AGGREGATED });
          const { kind, apiVersion, ...untyped } = res.json();
          const hash = createHash('sha512').update(JSON.stringify(untyped)).digest('hex');
          const again = await raw(kc(), 'GET', path, {
            accept: AGGREGATED,
            headers: { 'If-None-Match': String(res.headers.etag) },
          });
          return [
            kind,
            apiVersion,
            res.headers.etag === `"${hash.toUpperCase()}"`,
            again.status,
            again.text,
            again.headers.etag === res.headers.etag,
          ];
        }, EVENTUALLY)
        .toEqual(['APIGroupDiscoveryList', 'apidiscovery.k8s.io/v2', true, 304, '', true]);
    },
  );

  test('/api answers APIGroupDiscoveryList with the core group', async () => {
    const res = await raw(kc(), 'GET', '/api', { accept: `${AGGREGATED},application/json` });
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe(AGGREGATED);
    expect(res.headers.vary).toBe('Accept');
    expect(res.headers.etag).toMatch(/^"[0-9A-F]{128}"$/);
    const doc = res.json();
    expect(doc).toMatchObject({
      kind: 'APIGroupDiscoveryList',
      apiVersion: 'apidiscovery.k8s.io/v2',
      metadata: {},
    });
    expect(doc.items).toHaveLength(1);
    expect(doc.items[0].metadata).toEqual({});
    expect(doc.items[0].versions.map((v: Json) => [v.version, v.freshness])).toEqual([
      ['v1', 'Current'],
    ]);
    expect(resourceOf(doc, '', 'v1', 'configmaps')).toEqual({
      resource: 'configmaps',
      responseKind: { group: '', version: '', kind: 'ConfigMap' },
      scope: 'Namespaced',
      singularResource: 'configmap',
      verbs: ALL_VERBS,
      shortNames: ['cm'],
    });
    expect(resourceOf(doc, '', 'v1', 'persistentvolumeclaims')).toEqual({
      resource: 'persistentvolumeclaims',
      responseKind: { group: '', version: '', kind: 'PersistentVolumeClaim' },
      scope: 'Namespaced',
      singularResource: 'persistentvolumeclaim',
      verbs: ALL_VERBS,
      shortNames: ['pvc'],
      subresources: [
        {
          subresource: 'status',
          responseKind: { group: '', version: '', kind: 'PersistentVolumeClaim' },
          verbs: ['get', 'patch', 'update'],
        },
      ],
    });
    expect(resourceOf(doc, '', 'v1', 'namespaces')).toMatchObject({
      scope: 'Cluster',
      verbs: ALL_VERBS.filter((v) => v !== 'deletecollection'),
    });
  });

  test('/apis lists the named groups with resources and subresources', async () => {
    const res = await raw(kc(), 'GET', '/apis', { accept: AGGREGATED });
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe(AGGREGATED);
    const doc = res.json();
    expect(doc.kind).toBe('APIGroupDiscoveryList');
    expect(doc.items.every((i: Json) => typeof i.metadata.name === 'string')).toBe(true);
    expect(resourceOf(doc, 'apps', 'v1', 'deployments')).toEqual({
      resource: 'deployments',
      responseKind: { group: '', version: '', kind: 'Deployment' },
      scope: 'Namespaced',
      singularResource: 'deployment',
      verbs: ALL_VERBS,
      shortNames: ['deploy'],
      categories: ['all'],
      subresources: [
        {
          subresource: 'scale',
          responseKind: { group: 'autoscaling', version: 'v1', kind: 'Scale' },
          verbs: ['get', 'patch', 'update'],
        },
        {
          subresource: 'status',
          responseKind: { group: '', version: '', kind: 'Deployment' },
          verbs: ['get', 'patch', 'update'],
        },
      ],
    });
    expect(resourceOf(doc, 'authentication.k8s.io', 'v1', 'tokenreviews')).toEqual({
      resource: 'tokenreviews',
      responseKind: { group: '', version: '', kind: 'TokenReview' },
      scope: 'Cluster',
      singularResource: 'tokenreview',
      verbs: ['create'],
    });
  });

  test('without the aggregated media type, /api and /apis answer the legacy documents', async () => {
    const apis = await raw(kc(), 'GET', '/apis', {
      accept: `${AGGREGATED.replace('v=v2', 'v=v2beta1')},application/json`,
    });
    expect(apis.headers['content-type']).toBe('application/json');
    expect(apis.json().kind).toBe('APIGroupList');
    const api = await raw(kc(), 'GET', '/api');
    expect(api.json()).toMatchObject({ kind: 'APIVersions', versions: ['v1'] });
  });

  test('an aggregated version the server does not serve, alone, is 406', async () => {
    const res = await raw(kc(), 'GET', '/apis', {
      accept: AGGREGATED.replace('v=v2', 'v=v2beta1'),
    });
    expect(res.status).toBe(406);
    expect(res.json()).toEqual({
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message:
        'only the following media types are accepted: application/json, application/yaml, application/vnd.kubernetes.protobuf',
      reason: 'NotAcceptable',
      code: 406,
    });
  });

  test('a CRD appears once established, with its names, scope, verbs and subresources', async () => {
    const group = `d${uniqueSuffix()}.e2e.kube-ts.dev`;
    const name = `widgets.${group}`;
    const crds = Api.cluster(e2e.client, resources.customResourceDefinitions);
    e2e.onStop(() => crds.delete(name).catch(ignoreNotFound));
    await crds.create({
      apiVersion: 'apiextensions.k8s.io/v1',
      kind: 'CustomResourceDefinition',
      metadata: { name },
      spec: {
        group,
        scope: 'Namespaced',
        names: {
          kind: 'Widget',
          plural: 'widgets',
          singular: 'widget',
          shortNames: ['wd'],
          categories: ['gadgets'],
        },
        versions: [
          {
            name: 'v1',
            served: true,
            storage: true,
            subresources: {
              status: {},
              scale: { specReplicasPath: '.spec.replicas', statusReplicasPath: '.status.replicas' },
            },
            schema: {
              openAPIV3Schema: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true },
            },
          },
        ],
      },
    } as CustomResourceDefinition);
    await awaitCondition(crds, name, conditions.isCrdEstablished(), { timeoutMs: 30_000 });
    let entry: Json;
    await expect
      .poll(async () => {
        const doc = (await raw(kc(), 'GET', '/apis', { accept: AGGREGATED })).json();
        entry = resourceOf(doc, group, 'v1', 'widgets');
        return entry !== undefined;
      }, EVENTUALLY)
      .toBe(true);
    // Unlike built-ins: the group and version in responseKind, status before scale.
    expect(entry).toEqual({
      resource: 'widgets',
      responseKind: { group, version: 'v1', kind: 'Widget' },
      scope: 'Namespaced',
      singularResource: 'widget',
      verbs: ['delete', 'deletecollection', 'get', 'list', 'patch', 'create', 'update', 'watch'],
      shortNames: ['wd'],
      categories: ['gadgets'],
      subresources: [
        {
          subresource: 'status',
          responseKind: { group, version: 'v1', kind: 'Widget' },
          verbs: ['get', 'patch', 'update'],
        },
        {
          subresource: 'scale',
          responseKind: { group: 'autoscaling', version: 'v1', kind: 'Scale' },
          verbs: ['get', 'patch', 'update'],
        },
      ],
    });
  });
});

describe('subresources, bindings and storage versions', () => {
  test('/api/v1 lists every subresource kube-apiserver serves, and bindings', async () => {
    const res = await raw(kc(), 'GET', '/api/v1');
    const doc = res.json();
    // The core document has no apiVersion (the named groups' have one).
    expect(Object.keys(doc).sort()).toEqual(['groupVersion', 'kind', 'resources']);
    const byName = new Map(doc.resources.map((r: Json) => [r.name, r]));
    const subs = doc.resources
      .filter((r: Json) => r.name.includes('/'))
      .map((r: Json) => `${r.name} ${r.kind} ${r.verbs.join(',')}`);
    expect(subs).toEqual([
      'namespaces/finalize Namespace update',
      'namespaces/status Namespace get,patch,update',
      'nodes/proxy NodeProxyOptions create,delete,get,patch,update',
      'nodes/status Node get,patch,update',
      'persistentvolumeclaims/status PersistentVolumeClaim get,patch,update',
      'persistentvolumes/status PersistentVolume get,patch,update',
      'pods/attach PodAttachOptions create,get',
      'pods/binding Binding create',
      'pods/ephemeralcontainers Pod get,patch,update',
      'pods/eviction Eviction create',
      'pods/exec PodExecOptions create,get',
      'pods/log Pod get',
      'pods/portforward PodPortForwardOptions create,get',
      'pods/proxy PodProxyOptions create,delete,get,patch,update',
      'pods/resize Pod get,patch,update',
      'pods/status Pod get,patch,update',
      'replicationcontrollers/scale Scale get,patch,update',
      'replicationcontrollers/status ReplicationController get,patch,update',
      'resourcequotas/status ResourceQuota get,patch,update',
      'serviceaccounts/token TokenRequest create',
      'services/proxy ServiceProxyOptions create,delete,get,patch,update',
      'services/status Service get,patch,update',
    ]);
    expect(byName.get('bindings')).toEqual({
      name: 'bindings',
      singularName: 'binding',
      namespaced: true,
      kind: 'Binding',
      verbs: ['create'],
    });
    expect(byName.get('pods/eviction')).toMatchObject({ group: 'policy', version: 'v1' });
  });

  test('storage version hashes name the stored group/version/kind', async () => {
    const hashes = async (path: string) => {
      const doc = (await raw(kc(), 'GET', path)).json();
      return Object.fromEntries(doc.resources.map((r: Json) => [r.name, r.storageVersionHash]));
    };
    const core = await hashes('/api/v1');
    expect(core.configmaps).toBe('qFsyl6wFWjQ=');
    expect(core.pods).toBe('xPOwRZ+Yhw8=');
    expect(core.events).toBe('r2yiGXH7wu8=');
    // What is never stored has none.
    expect(core.bindings).toBeUndefined();
    expect(core.componentstatuses).toBeUndefined();
    expect((await hashes('/apis/apps/v1')).deployments).toBe('8aSe+NMegvE=');
    // events.k8s.io Events are stored as core/v1 Events.
    expect((await hashes('/apis/events.k8s.io/v1')).events).toBe('r2yiGXH7wu8=');
    // CRDs and MutatingAdmissionPolicies are stored at v1beta1.
    expect((await hashes('/apis/apiextensions.k8s.io/v1')).customresourcedefinitions).toBe(
      'jfWCUB31mvA=',
    );
    const admission = await hashes('/apis/admissionregistration.k8s.io/v1');
    expect(admission.mutatingadmissionpolicies).toBe('LYmCf+UMVdg=');
    expect(admission.mutatingadmissionpolicybindings).toBe('90V5FRZZ3Zg=');
    expect((await hashes('/apis/authorization.k8s.io/v1')).subjectaccessreviews).toBeUndefined();
  });

  test('aggregated discovery lists the same subresources', async () => {
    const doc = (await raw(kc(), 'GET', '/api', { accept: AGGREGATED })).json();
    const subs = (resource: string) =>
      resourceOf(doc, '', 'v1', resource).subresources.map(
        (s: Json) => `${s.subresource} ${s.responseKind.kind}`,
      );
    expect(subs('pods')).toEqual([
      'attach PodAttachOptions',
      'binding Binding',
      'ephemeralcontainers Pod',
      'eviction Eviction',
      'exec PodExecOptions',
      'log Pod',
      'portforward PodPortForwardOptions',
      'proxy PodProxyOptions',
      'resize Pod',
      'status Pod',
    ]);
    expect(subs('namespaces')).toEqual(['finalize Namespace', 'status Namespace']);
    expect(subs('nodes')).toEqual(['proxy NodeProxyOptions', 'status Node']);
    expect(subs('services')).toEqual(['proxy ServiceProxyOptions', 'status Service']);
    expect(resourceOf(doc, '', 'v1', 'bindings')).toEqual({
      resource: 'bindings',
      responseKind: { group: '', version: '', kind: 'Binding' },
      scope: 'Namespaced',
      singularResource: 'binding',
      verbs: ['create'],
    });
    const apis = (await raw(kc(), 'GET', '/apis', { accept: AGGREGATED })).json();
    const csr = resourceOf(apis, 'certificates.k8s.io', 'v1', 'certificatesigningrequests');
    expect(csr.subresources.map((s: Json) => s.subresource)).toEqual(['approval', 'status']);
  });
});

describe('discovery order', () => {
  // The order kube-apiserver 1.36.3 lists its built-in groups in.
  const BUILTIN_GROUPS = [
    'apiregistration.k8s.io',
    'apps',
    'events.k8s.io',
    'authentication.k8s.io',
    'authorization.k8s.io',
    'autoscaling',
    'batch',
    'certificates.k8s.io',
    'networking.k8s.io',
    'policy',
    'rbac.authorization.k8s.io',
    'storage.k8s.io',
    'admissionregistration.k8s.io',
    'apiextensions.k8s.io',
    'scheduling.k8s.io',
    'coordination.k8s.io',
    'node.k8s.io',
    'discovery.k8s.io',
    'resource.k8s.io',
    'flowcontrol.apiserver.k8s.io',
  ];
  const sorted = (names: string[]) => [...names].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));

  test('/apis and aggregated /apis: the built-in groups in the server order, then the others by name', async () => {
    const legacy = (await raw(kc(), 'GET', '/apis')).json();
    const names: string[] = legacy.groups.map((g: Json) => g.name);
    expect(names.slice(0, BUILTIN_GROUPS.length)).toEqual(BUILTIN_GROUPS);
    const rest = names.slice(BUILTIN_GROUPS.length);
    expect(rest).toEqual(sorted(rest));
    const aggregated = await raw(kc(), 'GET', '/apis', { headers: { Accept: AGGREGATED } });
    expect(aggregated.json().items.map((i: Json) => i.metadata.name)).toEqual(names);
  });

  test.each([
    ['/api/v1', '', 'v1'],
    ['/apis/apps/v1', 'apps', 'v1'],
    ['/apis/batch/v1', 'batch', 'v1'],
  ])(
    '%s lists its resources and subresources by name, in both forms',
    async (path, group, version) => {
      const legacy = (await raw(kc(), 'GET', path)).json();
      const names: string[] = legacy.resources.map((r: Json) => r.name);
      expect(names).toEqual(sorted(names));
      const base = group === '' ? '/api' : '/apis';
      const doc = (await raw(kc(), 'GET', base, { headers: { Accept: AGGREGATED } })).json();
      const g = doc.items.find((i: Json) => (i.metadata.name ?? '') === group);
      const v = g.versions.find((x: Json) => x.version === version);
      const resources: string[] = v.resources.map((r: Json) => r.resource);
      expect(resources).toEqual(sorted(resources));
    },
  );
});

describe('componentstatuses', () => {
  const DEPRECATED = '299 - "v1 ComponentStatus is deprecated in v1.19+"';

  test('is listed in discovery with get and list only, and no storage version', async () => {
    const legacy = (await raw(kc(), 'GET', '/api/v1')).json();
    expect(legacy.resources.find((r: Json) => r.name === 'componentstatuses')).toEqual({
      name: 'componentstatuses',
      singularName: 'componentstatus',
      namespaced: false,
      kind: 'ComponentStatus',
      verbs: ['get', 'list'],
      shortNames: ['cs'],
    });
  });

  test('lists the controller manager, the scheduler and etcd, with a deprecation warning', async () => {
    const res = await raw(kc(), 'GET', '/api/v1/componentstatuses');
    expect(res.status).toBe(200);
    expect(res.headers.warning).toBe(DEPRECATED);
    const list = res.json();
    expect(list).toMatchObject({ kind: 'ComponentStatusList', apiVersion: 'v1', metadata: {} });
    // kube-apiserver lists them from a Go map, so in no fixed order.
    expect(list.items.map((i: Json) => i.metadata.name).sort()).toEqual([
      'controller-manager',
      'etcd-0',
      'scheduler',
    ]);
    // Whether kube-apiserver reaches the controller manager and the scheduler depends on
    // the ports they serve on; each item has one Healthy condition either way.
    for (const item of list.items) {
      expect(item.conditions).toHaveLength(1);
      expect(item.conditions[0].type).toBe('Healthy');
    }
    const etcd = list.items.find((i: Json) => i.metadata.name === 'etcd-0');
    expect(etcd.conditions[0]).toEqual({ type: 'Healthy', status: 'True', message: 'ok' });
  });

  test('gets one by name; an unknown name is 404, and a write 405', async () => {
    const one = await raw(kc(), 'GET', '/api/v1/componentstatuses/etcd-0');
    expect(one.status).toBe(200);
    expect(one.headers.warning).toBe(DEPRECATED);
    expect(one.json()).toEqual({
      kind: 'ComponentStatus',
      apiVersion: 'v1',
      metadata: { name: 'etcd-0' },
      conditions: [{ type: 'Healthy', status: 'True', message: 'ok' }],
    });
    const missing = await raw(kc(), 'GET', '/api/v1/componentstatuses/nope');
    expect(missing.status).toBe(404);
    expect(missing.json()).toMatchObject({
      reason: 'NotFound',
      message: 'componentstatus "nope" not found',
      details: { name: 'nope', kind: 'componentstatus' },
    });
    const write = await raw(kc(), 'POST', '/api/v1/componentstatuses', {
      body: { apiVersion: 'v1', kind: 'ComponentStatus', metadata: { name: 'x' } },
    });
    expect(write.status).toBe(405);
  });

  test('prints as a Table with NAME, STATUS, MESSAGE and ERROR, and as metadata', async () => {
    const TABLE = 'application/json;as=Table;v=v1;g=meta.k8s.io';
    const res = await raw(kc(), 'GET', '/api/v1/componentstatuses', { accept: TABLE });
    expect(res.status).toBe(200);
    expect(res.headers.warning).toBe(DEPRECATED);
    const table = res.json();
    expect(table).toMatchObject({ kind: 'Table', apiVersion: 'meta.k8s.io/v1', metadata: {} });
    expect(table.metadata).toEqual({});
    expect(
      table.columnDefinitions.map((c: Json) => [c.name, c.type, c.format, c.priority]),
    ).toEqual([
      ['Name', 'string', 'name', 0],
      ['Status', 'string', '', 0],
      ['Message', 'string', '', 0],
      ['Error', 'string', '', 0],
    ]);
    expect(table.columnDefinitions[1].description).toBe('Status of the component conditions');
    expect(table.rows.map((r: Json) => r.cells[0]).sort()).toEqual([
      'controller-manager',
      'etcd-0',
      'scheduler',
    ]);
    const etcd = table.rows.find((r: Json) => r.cells[0] === 'etcd-0');
    expect(etcd).toEqual({
      cells: ['etcd-0', 'Healthy', 'ok', ''],
      object: {
        kind: 'PartialObjectMetadata',
        apiVersion: 'meta.k8s.io/v1',
        metadata: { name: 'etcd-0' },
      },
    });
    const one = await raw(kc(), 'GET', '/api/v1/componentstatuses/etcd-0', {
      accept: TABLE,
      query: { includeObject: 'Object' },
    });
    expect(one.json()).toMatchObject({ metadata: {}, rows: [{ cells: etcd.cells }] });
    expect(one.json().rows[0].object).toEqual({
      kind: 'ComponentStatus',
      apiVersion: 'v1',
      metadata: { name: 'etcd-0' },
      conditions: [{ type: 'Healthy', status: 'True', message: 'ok' }],
    });
    const meta = await raw(kc(), 'GET', '/api/v1/componentstatuses', {
      accept: 'application/json;as=PartialObjectMetadataList;v=v1;g=meta.k8s.io',
    });
    expect(meta.json()).toMatchObject({ kind: 'PartialObjectMetadataList', metadata: {} });
    expect(meta.json().items).toContainEqual({
      kind: 'PartialObjectMetadata',
      apiVersion: 'meta.k8s.io/v1',
      metadata: { name: 'etcd-0' },
    });
  });
});
