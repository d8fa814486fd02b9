/**
 * A CustomResourceDefinition's life against the backend: created, Established, served,
 * its schema enforced (422 with causes), its status subresource, and deleted with its objects.
 */
import { Api, Patch } from '@kube-ts/client';
import { type ApiResource, type KubeObject, resources } from '@kube-ts/core';
import type { CustomResourceDefinition } from '@kube-ts/k8s/apiextensions/v1';
import { awaitCondition, conditions } from '@kube-ts/runtime';
import { afterAll, beforeAll, expect, test } from 'vitest';
import {
  apiErrorOf,
  type E2eContext,
  EVENTUALLY,
  ignoreNotFound,
  startE2e,
  uniqueSuffix,
} from './support.js';

interface Gadget extends KubeObject {
  spec: { replicas: number; color?: string; size?: string };
  status?: { ready?: boolean; observed?: number };
}

const group = `c${uniqueSuffix()}.e2e.kube-ts.dev`;
const gadgets: ApiResource<Gadget> = {
  group,
  version: 'v1',
  kind: 'Gadget',
  plural: 'gadgets',
  namespaced: true,
};
const crdName = `gadgets.${group}`;
const apiVersion = `${group}/v1`;

// A plain JSON manifest: client-node's model spells `enum` as `_enum`, so the literal is cast.
const crd = {
  apiVersion: 'apiextensions.k8s.io/v1',
  kind: 'CustomResourceDefinition',
  metadata: { name: crdName },
  spec: {
    group,
    scope: 'Namespaced',
    names: { kind: 'Gadget', plural: 'gadgets', singular: 'gadget', listKind: 'GadgetList' },
    versions: [
      {
        name: 'v1',
        served: true,
        storage: true,
        subresources: { status: {} },
        schema: {
          openAPIV3Schema: {
            type: 'object',
            required: ['spec'],
            properties: {
              spec: {
                type: 'object',
                required: ['replicas'],
                properties: {
                  replicas: { type: 'integer', minimum: 0 },
                  color: { type: 'string', enum: ['red', 'green'] },
                  size: { type: 'string', maxLength: 5 },
                },
              },
              status: {
                type: 'object',
                properties: { ready: { type: 'boolean' }, observed: { type: 'integer' } },
              },
            },
          },
        },
      },
    ],
  },
} as unknown as CustomResourceDefinition;

let e2e: E2eContext;
let crds: Api<CustomResourceDefinition>;
let objects: Api<Gadget>;

beforeAll(async () => {
  e2e = await startE2e();
  const ns = await e2e.namespace('e2e-crd');
  crds = Api.cluster(e2e.client, resources.customResourceDefinitions);
  objects = Api.namespaced(e2e.client, gadgets, ns);
  e2e.onStop(() => crds.delete(crdName).catch(ignoreNotFound));
});

afterAll(async () => {
  await e2e?.stop();
});

function gadget(
  name: string,
  spec: Record<string, unknown>,
  extra: Record<string, unknown> = {},
): Gadget {
  return { apiVersion, kind: 'Gadget', metadata: { name }, spec, ...extra } as Gadget;
}

test('a created CRD becomes Established and its resource is served', async () => {
  await crds.create(crd);
  const established = await awaitCondition(crds, crdName, conditions.isCrdEstablished(), {
    timeoutMs: 30_000,
  });
  const types = (established?.status?.conditions ?? [])
    .filter((c) => c.status === 'True')
    .map((c) => c.type);
  expect(types).toEqual(expect.arrayContaining(['NamesAccepted', 'Established']));
  expect(established?.status?.acceptedNames?.kind).toBe('Gadget');

  // Established means the storage is ready; the handler may take a moment longer.
  await expect
    .poll(
      async () =>
        await objects.list().then(
          () => true,
          () => false,
        ),
      EVENTUALLY,
    )
    .toBe(true);
  const discovery = await e2e.client.request<{
    resources: { name: string; namespaced: boolean }[];
  }>({
    method: 'GET',
    path: `/apis/${group}/v1`,
  });
  expect(discovery.resources.map((r) => r.name)).toEqual(
    expect.arrayContaining(['gadgets', 'gadgets/status']),
  );

  const created = await objects.create(
    gadget('first', { replicas: 1, color: 'red', unknown: 'dropped' }),
  );
  expect(created.spec).toEqual({ replicas: 1, color: 'red' });
  expect(created.metadata?.generation).toBe(1);
});

test('the schema is enforced: 422 Invalid with one cause per violation', async () => {
  const error = await apiErrorOf(
    objects.create(gadget('bad', { replicas: -1, color: 'blue', size: 'toolong' })),
  );
  expect(error.code).toBe(422);
  expect(error.reason).toBe('Invalid');
  expect(error.details?.kind).toBe('Gadget');
  expect(error.details?.name).toBe('bad');
  const causes = (error.details?.causes ?? []).map((c) => `${c.field} ${c.reason}`).sort();
  expect(causes).toEqual([
    'spec.color FieldValueNotSupported',
    'spec.replicas FieldValueInvalid',
    'spec.size FieldValueTooLong',
  ]);
  const messages = Object.fromEntries(
    (error.details?.causes ?? []).map((c) => [c.field, c.message]),
  );
  expect(messages).toEqual({
    'spec.color': 'Unsupported value: "blue": supported values: "red", "green"',
    'spec.replicas':
      'Invalid value: -1: spec.replicas in body should be greater than or equal to 0',
    'spec.size': 'Too long: may not be more than 5 bytes',
  });

  const missing = await apiErrorOf(objects.create(gadget('missing', {})));
  expect(missing.code).toBe(422);
  expect(missing.details?.causes?.map((c) => `${c.field} ${c.reason}`)).toEqual([
    'spec.replicas FieldValueRequired',
  ]);

  const wrongType = await apiErrorOf(objects.create(gadget('wrongtype', { replicas: 'two' })));
  expect(wrongType.code).toBe(422);
  expect(wrongType.details?.causes?.map((c) => `${c.field} ${c.reason}`)).toEqual([
    'spec.replicas FieldValueTypeInvalid',
  ]);
  expect(await objects.getOpt('bad')).toBeUndefined();
});

test('status subresource: status is written only through /status, and does not bump generation', async () => {
  const created = await objects.create(
    gadget('statusful', { replicas: 1 }, { status: { ready: true } }),
  );
  expect(created.status).toBeUndefined();

  const withStatus = await objects.patchStatus(
    'statusful',
    Patch.merge({ status: { ready: true, observed: 1 } }),
  );
  expect(withStatus.status).toEqual({ ready: true, observed: 1 });
  expect(withStatus.metadata?.generation).toBe(1);

  // Spec changes through /status and status changes through the main resource are ignored.
  const ignoredSpec = await objects.patchStatus(
    'statusful',
    Patch.merge({ spec: { replicas: 5 } }),
  );
  expect(ignoredSpec.spec.replicas).toBe(1);
  const ignoredStatus = await objects.patch('statusful', Patch.merge({ status: { ready: false } }));
  expect(ignoredStatus.status?.ready).toBe(true);

  const specChanged = await objects.patch('statusful', Patch.merge({ spec: { replicas: 2 } }));
  expect(specChanged.metadata?.generation).toBe(2);
  expect((await objects.getStatus('statusful')).status).toEqual({ ready: true, observed: 1 });

  const invalidStatus = await apiErrorOf(
    objects.patchStatus('statusful', Patch.merge({ status: { observed: 'many' } })),
  );
  expect(invalidStatus.code).toBe(422);
});

test('strategic merge patch on a custom resource is 415', async () => {
  const error = await apiErrorOf(
    objects.patch('first', Patch.strategic({ spec: { replicas: 3 } })),
  );
  expect(error.code).toBe(415);
});

test('a default added to the schema shows on objects stored before, on read', async () => {
  const g = `dr${uniqueSuffix()}.e2e.kube-ts.dev`;
  const name = `things.${g}`;
  const crds = Api.cluster(e2e.client, resources.customResourceDefinitions);
  e2e.onStop(() => crds.delete(name).catch(ignoreNotFound));
  await crds.create({
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: { name },
    spec: {
      group: g,
      scope: 'Cluster',
      names: { kind: 'Thing', plural: 'things' },
      versions: [
        {
          name: 'v1',
          served: true,
          storage: true,
          schema: {
            openAPIV3Schema: {
              type: 'object',
              properties: { a: { type: 'string' }, b: { type: 'string' } },
            },
          },
        },
      ],
    },
  } as CustomResourceDefinition);
  await awaitCondition(crds, name, conditions.isCrdEstablished(), { timeoutMs: 30_000 });
  const things: ApiResource<KubeObject & { a?: string; b?: string }> = {
    group: g,
    version: 'v1',
    kind: 'Thing',
    plural: 'things',
    namespaced: false,
  };
  const api = Api.cluster(e2e.client, things);
  let created: KubeObject | undefined;
  await expect
    .poll(async () => {
      created = await api
        .create({ apiVersion: `${g}/v1`, kind: 'Thing', metadata: { name: 'one' } })
        .catch(() => undefined);
      return created !== undefined;
    }, EVENTUALLY)
    .toBe(true);
  await crds.patch(
    name,
    Patch.json([
      {
        op: 'add',
        path: '/spec/versions/0/schema/openAPIV3Schema/properties/a/default',
        value: 'A',
      },
    ]),
  );
  await expect.poll(async () => (await api.get('one')).a, EVENTUALLY).toBe('A');
  const read = await api.get('one');
  expect(read.metadata?.resourceVersion).toBe(created?.metadata?.resourceVersion);
  const listed = await api.list();
  expect(listed.items.find((i) => i.metadata?.name === 'one')?.a).toBe('A');
});

test('deleting the CRD deletes its objects and stops serving the resource', async () => {
  await crds.delete(crdName);
  await expect
    .poll(
      async () =>
        objects.list().then(
          () => 'served',
          (e) => (e as { code?: number }).code,
        ),
      {
        ...EVENTUALLY,
        timeout: 60_000,
      },
    )
    .toBe(404);
  await expect.poll(() => crds.getOpt(crdName), EVENTUALLY).toBeUndefined();
}, 90_000);
