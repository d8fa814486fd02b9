/**
 * Differential: the OpenAPI documents kube-apiserver v1.36.3 serves — `/openapi/v2`
 * (Swagger 2.0) and `/openapi/v3` (an index of per group/version documents) — with the
 * schemas of built-in kinds and of custom resources as soon as their CRD is established,
 * updated when a CRD's versions change, with ETags (304 on `If-None-Match`) and the v3
 * `?hash=` cache protocol (current hash: immutable; stale hash: 301 to the current one).
 */
import { Api } from '@kube-ts/client';
import { resources } from '@kube-ts/core';
import type { CustomResourceDefinition } from '@kube-ts/k8s/apiextensions/v1';
import { awaitCondition, conditions } from '@kube-ts/runtime';
import { afterAll, beforeAll, expect, test } from 'vitest';
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

// biome-ignore lint/suspicious/noExplicitAny: OpenAPI documents are read as plain JSON.
type Json = any;

const META_DOC =
  'https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md';
const API_VERSION = {
  description: `APIVersion defines the versioned schema of this representation of an object. Servers should convert recognized schemas to the latest internal value, and may reject unrecognized values. More info: ${META_DOC}#resources`,
  type: 'string',
};
const KIND = {
  description: `Kind is a string value representing the REST resource this object represents. Servers may infer this from the endpoint the client submits requests to. Cannot be updated. In CamelCase. More info: ${META_DOC}#types-kinds`,
  type: 'string',
};
const OBJECT_META_DESC = `Standard object's metadata. More info: ${META_DOC}#metadata`;
const OBJECT_META = 'io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta';

/** A schema with what kube-apiserver rewrites for OpenAPI v2 (nullable, junctors, defaults, preserve-unknown). */
const schema = {
  description: 'Gadget CRD',
  type: 'object',
  properties: {
    spec: {
      type: 'object',
      description: 'Specification of the gadget',
      properties: {
        bars: {
          type: 'array',
          items: {
            type: 'object',
            required: ['name'],
            properties: {
              name: { type: 'string', default: 'x' },
              count: { type: 'integer', nullable: true },
              port: { 'x-kubernetes-int-or-string': true },
            },
          },
        },
        free: {
          type: 'object',
          'x-kubernetes-preserve-unknown-fields': true,
          properties: { a: { type: 'string' } },
        },
        embedded: {
          type: 'object',
          'x-kubernetes-embedded-resource': true,
          properties: { spec: { type: 'string' } },
        },
        labels: {
          type: 'object',
          additionalProperties: { type: 'string' },
          'x-kubernetes-validations': [{ rule: 'size(self) < 5' }],
        },
      },
    },
    status: { type: 'object' },
  },
};

const EMBEDDED_PROPS = (metadata: Json) => ({
  apiVersion: {
    description: `apiVersion defines the versioned schema of this representation of an object. More info: ${META_DOC}#resources`,
    type: 'string',
  },
  kind: {
    description: `kind is a string value representing the type of this object. In CamelCase. More info: ${META_DOC}#types-kinds`,
    type: 'string',
  },
  metadata,
  spec: { type: 'string' },
});

/**
 * What the real server publishes for the schema above: in `/openapi/v2` (which drops
 * defaults, nullable and the properties of preserve-unknown objects, and references
 * ObjectMeta directly) or in `/openapi/v3/apis/<group>/<version>` (which keeps them, adds
 * `anyOf` to int-or-string and wraps the ObjectMeta reference in `allOf`).
 */
function expectedSchema(openapi: 2 | 3, group: string, version: string): Json {
  const v3 = openapi === 3;
  const metadata = v3
    ? { description: OBJECT_META_DESC, allOf: [{ $ref: `#/components/schemas/${OBJECT_META}` }] }
    : { description: OBJECT_META_DESC, $ref: `#/definitions/${OBJECT_META}` };
  return {
    description: 'Gadget CRD',
    type: 'object',
    properties: {
      apiVersion: API_VERSION,
      kind: KIND,
      metadata,
      spec: {
        type: 'object',
        description: 'Specification of the gadget',
        properties: {
          bars: {
            type: 'array',
            items: {
              type: 'object',
              required: ['name'],
              properties: v3
                ? {
                    name: { type: 'string', default: 'x' },
                    count: { type: 'integer', nullable: true },
                    port: {
                      'x-kubernetes-int-or-string': true,
                      anyOf: [{ type: 'integer' }, { type: 'string' }],
                    },
                  }
                : {
                    name: { type: 'string' },
                    count: {},
                    port: { 'x-kubernetes-int-or-string': true },
                  },
            },
          },
          free: v3
            ? {
                type: 'object',
                'x-kubernetes-preserve-unknown-fields': true,
                properties: { a: { type: 'string' } },
              }
            : { 'x-kubernetes-preserve-unknown-fields': true },
          embedded: {
            type: 'object',
            required: ['kind', 'apiVersion'],
            properties: EMBEDDED_PROPS(metadata),
            'x-kubernetes-embedded-resource': true,
          },
          labels: {
            type: 'object',
            additionalProperties: { type: 'string' },
            'x-kubernetes-validations': [{ rule: 'size(self) < 5' }],
          },
        },
      },
      status: { type: 'object' },
    },
    'x-kubernetes-group-version-kind': [{ group, kind: 'Gadget', version }],
    'x-kubernetes-selectable-fields': [{ fieldPath: 'spec.free.a' }],
  };
}

const modelName = (group: string, version: string, kind: string) =>
  `${group.split('.').reverse().join('.')}.${version}.${kind}`;

async function swagger(): Promise<Json> {
  const res = await raw(kc(), 'GET', '/openapi/v2');
  expect(res.status).toBe(200);
  return res.json();
}

test('built-in kinds are described in both versions', async () => {
  const v2 = await swagger();
  expect(v2.swagger).toBe('2.0');
  expect(v2.definitions['io.k8s.api.apps.v1.Deployment'].properties.spec).toEqual({
    description: 'Specification of the desired behavior of the Deployment.',
    $ref: '#/definitions/io.k8s.api.apps.v1.DeploymentSpec',
  });
  expect(
    v2.paths['/apis/apps/v1/namespaces/{namespace}/deployments/{name}'].patch.operationId,
  ).toBe('patchAppsV1NamespacedDeployment');
  const index = await raw(kc(), 'GET', '/openapi/v3');
  expect(index.status).toBe(200);
  const paths = index.json().paths;
  expect(Object.keys(paths)).toEqual(expect.arrayContaining(['api/v1', 'apis/apps/v1', 'version']));
  expect(paths['apis/apps/v1'].serverRelativeURL).toMatch(
    /^\/openapi\/v3\/apis\/apps\/v1\?hash=[0-9A-F]{128}$/,
  );
  const apps = await raw(kc(), 'GET', paths['apis/apps/v1'].serverRelativeURL);
  expect(apps.status).toBe(200);
  expect(apps.headers['cache-control']).toBe('public, immutable');
  expect(
    apps.json().components.schemas['io.k8s.api.apps.v1.Deployment'][
      'x-kubernetes-group-version-kind'
    ],
  ).toEqual([{ group: 'apps', kind: 'Deployment', version: 'v1' }]);
  const missing = await raw(kc(), 'GET', '/openapi/v3/apis/nothing.example.com/v1');
  expect(missing.status).toBe(404);
});

test('ETags: If-None-Match gives 304, a stale v3 hash redirects to the current one', async () => {
  const v2 = await raw(kc(), 'GET', '/openapi/v2');
  const etag = v2.headers.etag;
  expect(etag).toMatch(/^"[0-9A-F]{128}"$/);
  const again = await raw(kc(), 'GET', '/openapi/v2', {
    headers: { 'If-None-Match': String(etag) },
  });
  expect(again.status).toBe(304);
  expect(again.text).toBe('');

  const doc = await raw(kc(), 'GET', '/openapi/v3/api/v1');
  expect(doc.status).toBe(200);
  expect(doc.headers['cache-control']).not.toBe('public, immutable');
  const hash = String(doc.headers.etag).replaceAll('"', '');
  const stale = await raw(kc(), 'GET', '/openapi/v3/api/v1', { query: { hash: 'ABC' } });
  expect(stale.status).toBe(301);
  expect(stale.headers.location).toBe(`/openapi/v3/api/v1?hash=${hash}`);
  const cached = await raw(kc(), 'GET', '/openapi/v3/api/v1', {
    headers: { 'If-None-Match': `"${hash}"` },
  });
  expect(cached.status).toBe(304);
});

test('/openapi/v2 in protobuf, as the Accept header orders it, with the JSON ETag', async () => {
  const PROTOBUF = 'application/com.github.proto-openapi.spec.v2@v1.0+protobuf';
  const SERVED = 'application/com.github.proto-openapi.spec.v2.v1.0+protobuf';
  const v2 = (accept: string) => raw(kc(), 'GET', '/openapi/v2', { accept });
  const json = await v2('application/json');
  const proto = await v2(PROTOBUF);
  expect(proto.status).toBe(200);
  expect(proto.headers['content-type']).toBe(SERVED);
  expect(proto.headers.etag).toBe(json.headers.etag);
  expect(Number(proto.headers['content-length'])).toBeGreaterThan(100_000);
  expect((await v2(`application/json;q=0.5, ${PROTOBUF}`)).headers['content-type']).toBe(SERVED);
  expect((await v2(`application/json, ${PROTOBUF}`)).headers['content-type']).toBe(
    'application/json',
  );
  expect((await v2(`*/*;q=0.1, ${SERVED}`)).headers['content-type']).toBe(SERVED);
  expect((await v2('text/html')).status).toBe(406);
});

test('/openapi/v3 documents in protobuf, as the Accept header orders it, with the JSON ETag', async () => {
  const PROTOBUF = 'application/com.github.proto-openapi.spec.v3@v1.0+protobuf';
  const SERVED = 'application/com.github.proto-openapi.spec.v3.v1.0+protobuf';
  const v3 = (accept: string, query: Record<string, string> = {}) =>
    raw(kc(), 'GET', '/openapi/v3/apis/apps/v1', { accept, query });
  const json = await v3('application/json');
  const proto = await v3(PROTOBUF);
  expect(proto.status).toBe(200);
  expect(proto.headers['content-type']).toBe(SERVED);
  expect(proto.headers.etag).toBe(json.headers.etag);
  expect(proto.headers.vary).toBe('Accept');
  expect(Number(proto.headers['content-length'])).toBeGreaterThan(10_000);
  expect((await v3(SERVED)).headers['content-type']).toBe(SERVED);
  expect((await v3(`application/json;q=0.5, ${PROTOBUF}`)).headers['content-type']).toBe(SERVED);
  expect((await v3(`application/json, ${PROTOBUF}`)).headers['content-type']).toBe(
    'application/json',
  );
  const hash = String(json.headers.etag).replaceAll('"', '');
  const immutable = await v3(PROTOBUF, { hash });
  expect(immutable.headers['content-type']).toBe(SERVED);
  expect(immutable.headers['cache-control']).toBe('public, immutable');
  expect((await v3('text/html')).status).toBe(406);
});

test('a CRD is published in both versions, and unpublished version by version', async () => {
  const group = `oa${uniqueSuffix()}.e2e.kube-ts.dev`;
  const name = `gadgets.${group}`;
  const crds = Api.cluster(e2e.client, resources.customResourceDefinitions);
  e2e.onStop(() => crds.delete(name).catch(ignoreNotFound));
  const version = (v: string, storage: boolean) => ({
    name: v,
    served: true,
    storage,
    schema: { openAPIV3Schema: schema },
    subresources: { status: {} },
    selectableFields: [{ jsonPath: '.spec.free.a' }],
  });
  await crds.create({
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: { name },
    spec: {
      group,
      scope: 'Namespaced',
      names: { kind: 'Gadget', plural: 'gadgets' },
      versions: [version('v1', true), version('v2', false)],
    },
  } as CustomResourceDefinition);
  await awaitCondition(crds, name, conditions.isCrdEstablished(), { timeoutMs: 30_000 });

  const v1Name = modelName(group, 'v1', 'Gadget');
  const v2Name = modelName(group, 'v2', 'Gadget');
  await expect
    .poll(async () => (await swagger()).definitions[v2Name] !== undefined, EVENTUALLY)
    .toBe(true);
  const doc = await swagger();
  expect(doc.definitions[v1Name]).toEqual(expectedSchema(2, group, 'v1'));
  expect(doc.definitions[`${v1Name.replace(/Gadget$/, 'GadgetList')}`]).toEqual({
    description: 'GadgetList is a list of Gadget',
    type: 'object',
    required: ['items'],
    properties: {
      apiVersion: API_VERSION,
      items: {
        description: `List of gadgets. More info: ${META_DOC}`,
        type: 'array',
        items: { $ref: `#/definitions/${v1Name}` },
      },
      kind: KIND,
      metadata: {
        description: `Standard list metadata. More info: ${META_DOC}#types-kinds`,
        $ref: '#/definitions/io.k8s.apimachinery.pkg.apis.meta.v1.ListMeta',
      },
    },
    'x-kubernetes-group-version-kind': [{ group, kind: 'GadgetList', version: 'v1' }],
    'x-kubernetes-selectable-fields': [{ fieldPath: 'spec.free.a' }],
  });
  const item = doc.paths[`/apis/${group}/v1/namespaces/{namespace}/gadgets/{name}`];
  expect(Object.keys(item).sort()).toEqual(['delete', 'get', 'parameters', 'patch', 'put']);
  expect(item.patch.consumes).toEqual([
    'application/json-patch+json',
    'application/merge-patch+json',
    'application/apply-patch+yaml',
  ]);
  expect(item.get.responses['200'].schema).toEqual({ $ref: `#/definitions/${v1Name}` });
  // kube-openapi lists parameters once under `parameters`, named by a hash of their JSON, and
  // refers to them; `name`, `dryRun`, `fieldValidation` and the kind's own body stay inline.
  const shown = (list: Json[]) =>
    list.map((p) => (p.$ref ? String(p.$ref).replace('#/parameters/', '') : `inline:${p.name}`));
  const NAMESPACE_PRETTY = ['namespace-vgWSWtn3', 'pretty-tJGM1-ng'];
  expect(shown(item.parameters)).toEqual(['inline:name', ...NAMESPACE_PRETTY]);
  expect(shown(item.get.parameters)).toEqual(['resourceVersion-5WAnf1kx']);
  const WRITE = ['inline:body', 'inline:dryRun'];
  expect(shown(item.put.parameters)).toEqual([
    ...WRITE,
    'fieldManager-Qy4HdaTW',
    'inline:fieldValidation',
  ]);
  expect(shown(item.patch.parameters)).toEqual([
    'body-78PwaGsr',
    'inline:dryRun',
    'fieldManager-7c6nTn1T',
    'inline:fieldValidation',
    'force-tOGGb0Yi',
  ]);
  expect(shown(item.delete.parameters)).toEqual([
    'body-2Y1dVQaQ',
    'inline:dryRun',
    'gracePeriodSeconds--K5HaBOS',
    'ignoreStoreReadErrorWithClusterBreakingPotential-QbNkfIqj',
    'orphanDependents-uRB25kX5',
    'propagationPolicy-6jk3prlO',
  ]);
  expect(item.parameters[0]).toEqual({
    uniqueItems: true,
    type: 'string',
    description: 'name of the Gadget',
    name: 'name',
    in: 'path',
    required: true,
  });
  const collection = doc.paths[`/apis/${group}/v1/namespaces/{namespace}/gadgets`];
  expect(shown(collection.parameters)).toEqual(NAMESPACE_PRETTY);
  expect(shown(collection.post.parameters)).toEqual(shown(item.put.parameters));
  for (const [path, ops] of Object.entries(doc.paths as Record<string, Json>)) {
    if (!path.includes(group)) continue;
    for (const [key, op] of Object.entries(ops as Record<string, Json>)) {
      for (const p of (key === 'parameters' ? op : op.parameters) ?? []) {
        if (p.$ref) expect(doc.parameters[p.$ref.replace('#/parameters/', '')]).toBeDefined();
      }
    }
  }

  // kube-apiserver updates the /openapi/v3 index apart from /openapi/v2: wait for it too.
  await expect
    .poll(async () => Object.keys((await raw(kc(), 'GET', '/openapi/v3')).json().paths), EVENTUALLY)
    .toEqual(expect.arrayContaining([`apis/${group}/v1`, `apis/${group}/v2`]));
  const index = (await raw(kc(), 'GET', '/openapi/v3')).json();
  expect(Object.keys(index.paths)).not.toContain(`apis/${group}`);
  const v3 = (await raw(kc(), 'GET', index.paths[`apis/${group}/v1`].serverRelativeURL)).json();
  expect(v3.info).toEqual({ title: 'Kubernetes CRD Swagger', version: 'v0.1.0' });
  expect(v3.components.schemas[v1Name]).toEqual(expectedSchema(3, group, 'v1'));
  expect(Object.keys(v3.components.schemas).sort()).toEqual(
    [
      `${v1Name}`,
      `${v1Name}List`,
      'io.k8s.apimachinery.pkg.apis.meta.v1.DeleteOptions',
      'io.k8s.apimachinery.pkg.apis.meta.v1.FieldsV1',
      'io.k8s.apimachinery.pkg.apis.meta.v1.ListMeta',
      'io.k8s.apimachinery.pkg.apis.meta.v1.ManagedFieldsEntry',
      'io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta',
      'io.k8s.apimachinery.pkg.apis.meta.v1.OwnerReference',
      'io.k8s.apimachinery.pkg.apis.meta.v1.Patch',
      'io.k8s.apimachinery.pkg.apis.meta.v1.Preconditions',
      'io.k8s.apimachinery.pkg.apis.meta.v1.ShardInfo',
      'io.k8s.apimachinery.pkg.apis.meta.v1.Status',
      'io.k8s.apimachinery.pkg.apis.meta.v1.StatusCause',
      'io.k8s.apimachinery.pkg.apis.meta.v1.StatusDetails',
      'io.k8s.apimachinery.pkg.apis.meta.v1.Time',
    ].sort(),
  );
  const operations = Object.entries(v3.paths as Record<string, Json>).flatMap(([path, ops]) =>
    Object.entries(ops)
      .filter(([method]) => method !== 'parameters')
      .map(([method, op]) => `${method} ${path} ${(op as Json).operationId}`),
  );
  const g = group
    .split(/[.-]/)
    .map((p) => p.charAt(0).toUpperCase() + p.slice(1))
    .join('');
  const base = `/apis/${group}/v1`;
  expect(operations.sort()).toEqual(
    [
      `get ${base}/gadgets list${g}V1GadgetForAllNamespaces`,
      `get ${base}/namespaces/{namespace}/gadgets list${g}V1NamespacedGadget`,
      `post ${base}/namespaces/{namespace}/gadgets create${g}V1NamespacedGadget`,
      `delete ${base}/namespaces/{namespace}/gadgets delete${g}V1CollectionNamespacedGadget`,
      `get ${base}/namespaces/{namespace}/gadgets/{name} read${g}V1NamespacedGadget`,
      `put ${base}/namespaces/{namespace}/gadgets/{name} replace${g}V1NamespacedGadget`,
      `delete ${base}/namespaces/{namespace}/gadgets/{name} delete${g}V1NamespacedGadget`,
      `patch ${base}/namespaces/{namespace}/gadgets/{name} patch${g}V1NamespacedGadget`,
      `get ${base}/namespaces/{namespace}/gadgets/{name}/status read${g}V1NamespacedGadgetStatus`,
      `put ${base}/namespaces/{namespace}/gadgets/{name}/status replace${g}V1NamespacedGadgetStatus`,
      `patch ${base}/namespaces/{namespace}/gadgets/{name}/status patch${g}V1NamespacedGadgetStatus`,
    ].sort(),
  );
  const list = v3.paths[`${base}/namespaces/{namespace}/gadgets`];
  expect(list.parameters.map((p: Json) => p.name)).toEqual(['namespace', 'pretty']);
  expect(list.parameters[1]).toEqual({
    name: 'pretty',
    in: 'query',
    description:
      "If 'true', then the output is pretty printed. Defaults to 'false' unless the user-agent indicates a browser or command-line HTTP tool (curl and wget).",
    schema: { type: 'string', uniqueItems: true },
  });
  expect(list.get.parameters.map((p: Json) => p.name)).toEqual([
    'allowWatchBookmarks',
    'continue',
    'fieldSelector',
    'labelSelector',
    'limit',
    'resourceVersion',
    'resourceVersionMatch',
    'sendInitialEvents',
    'shardSelector',
    'timeoutSeconds',
    'watch',
  ]);
  expect(list.post.description).toBe('create a Gadget');

  // Stop serving v2: its definitions leave /openapi/v2; kube-apiserver keeps serving its
  // last /openapi/v3 document until the CRD is deleted.
  const crd = await crds.get(name);
  crd.spec.versions[1]!.served = false;
  await crds.replace(name, crd);
  await expect
    .poll(async () => (await swagger()).definitions[v2Name] === undefined, EVENTUALLY)
    .toBe(true);
  expect((await swagger()).definitions[v1Name]).toEqual(expectedSchema(2, group, 'v1'));
  const stale = await raw(kc(), 'GET', `/openapi/v3/apis/${group}/v2`);
  expect(stale.status).toBe(200);
  expect(stale.json().components.schemas[v2Name]).toEqual(expectedSchema(3, group, 'v2'));

  await crds.delete(name);
  await expect
    .poll(async () => (await swagger()).definitions[v1Name] === undefined, EVENTUALLY)
    .toBe(true);
  await expect
    .poll(async () => (await raw(kc(), 'GET', `/openapi/v3/apis/${group}/v2`)).status, EVENTUALLY)
    .toBe(404);
  const after = (await raw(kc(), 'GET', '/openapi/v3')).json();
  expect(Object.keys(after.paths)).not.toContain(`apis/${group}/v1`);
});
