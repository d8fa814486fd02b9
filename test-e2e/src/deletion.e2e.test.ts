/**
 * Deletion against the backend: finalizers hold an object with a deletionTimestamp, and the
 * garbage collector follows ownerReferences according to the propagation policy (on the
 * real backend, kube-controller-manager's garbage collector does it).
 */
import { Api, Patch } from '@kube-ts/client';
import { ownerRefTo, resources } from '@kube-ts/core';
import type { ConfigMap } from '@kube-ts/k8s/core/v1';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { raw } from './raw-http.js';
import {
  apiErrorOf,
  type E2eContext,
  EVENTUALLY,
  EVENTUALLY_COLLECTED,
  startE2e,
} from './support.js';

let e2e: E2eContext;
let configMaps: Api<ConfigMap>;
let ns: string;

const HOLD = 'e2e.kube-ts.dev/hold';

beforeAll(async () => {
  e2e = await startE2e();
  ns = await e2e.namespace('e2e-deletion');
  configMaps = Api.namespaced(e2e.client, resources.configMaps, ns);
});

afterAll(async () => {
  await e2e?.stop();
});

async function create(
  name: string,
  extra: Partial<ConfigMap['metadata']> = {},
): Promise<ConfigMap> {
  return configMaps.create({
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name, ...extra },
    data: {},
  });
}

async function createFamily(prefix: string, dependents: number, blockOwnerDeletion = false) {
  const owner = await create(`${prefix}-owner`);
  const ref = ownerRefTo(owner, { blockOwnerDeletion });
  const children: string[] = [];
  for (let i = 0; i < dependents; i++) {
    children.push(
      (await create(`${prefix}-child-${i}`, { ownerReferences: [ref] })).metadata?.name ?? '',
    );
  }
  return { owner, children };
}

const exists = async (name: string) => (await configMaps.getOpt(name)) !== undefined;

test('a finalizer holds a deleted object with a deletionTimestamp until it is removed', async () => {
  await create('held', { finalizers: [HOLD] });
  const result = await configMaps.delete('held');
  expect(result.kind).toBe('deleting');
  if (result.kind !== 'deleting') return;
  expect(result.object.metadata?.deletionTimestamp).toBeTruthy();

  const held = await configMaps.get('held');
  expect(held.metadata?.deletionTimestamp).toBeTruthy();
  expect(held.metadata?.finalizers).toEqual([HOLD]);

  // No new finalizers on an object that is being deleted.
  const refused = await apiErrorOf(
    configMaps.patch(
      'held',
      Patch.merge({ metadata: { finalizers: [HOLD, 'e2e.kube-ts.dev/late'] } }),
    ),
  );
  expect(refused.code).toBe(422);
  expect(refused.reason).toBe('Invalid');

  // Other changes are still allowed while it is held.
  const relabelled = await configMaps.patch(
    'held',
    Patch.merge({ metadata: { labels: { still: 'here' } } }),
  );
  expect(relabelled.metadata?.labels).toEqual({ still: 'here' });

  await configMaps.patch(
    'held',
    Patch.json([
      { op: 'test', path: '/metadata/finalizers/0', value: HOLD },
      { op: 'remove', path: '/metadata/finalizers/0' },
    ]),
  );
  await expect.poll(() => exists('held'), EVENTUALLY).toBe(false);
});

test('Background propagation (the default): the owner goes at once, then its dependents', async () => {
  const { children } = await createFamily('background', 2);
  const result = await configMaps.delete('background-owner');
  expect(result.kind).toBe('deleted');
  expect(await exists('background-owner')).toBe(false);
  for (const child of children) await expect.poll(() => exists(child), EVENTUALLY).toBe(false);
});

test('Foreground propagation: the owner stays (foregroundDeletion) until blocking dependents are gone', async () => {
  const { children } = await createFamily('foreground', 1, true);
  const child = children[0] ?? '';
  // A finalizer on the dependent makes the intermediate state observable.
  await configMaps.patch(child, Patch.merge({ metadata: { finalizers: [HOLD] } }));

  const result = await configMaps.delete('foreground-owner', { propagationPolicy: 'Foreground' });
  expect(result.kind).toBe('deleting');
  const owner = await configMaps.get('foreground-owner');
  expect(owner.metadata?.deletionTimestamp).toBeTruthy();
  expect(owner.metadata?.finalizers).toContain('foregroundDeletion');

  await expect
    .poll(
      async () => Boolean((await configMaps.getOpt(child))?.metadata?.deletionTimestamp),
      EVENTUALLY,
    )
    .toBe(true);
  expect(await exists('foreground-owner')).toBe(true);

  await configMaps.patch(child, Patch.merge({ metadata: { finalizers: null } }));
  await expect.poll(() => exists(child), EVENTUALLY).toBe(false);
  await expect.poll(() => exists('foreground-owner'), EVENTUALLY).toBe(false);
});

test('Foreground propagation through a circle of blocking ownerReferences deletes every member', async () => {
  // circle-a is owned by circle-c, circle-b by circle-a, circle-c by circle-b: the garbage
  // collector must make one reference non-blocking, or each waits for the next forever.
  const names = ['circle-a', 'circle-b', 'circle-c'];
  const made: ConfigMap[] = [];
  for (const name of names) made.push(await create(name));
  for (const [i, obj] of made.entries()) {
    const owner = made[(i + 2) % made.length] as ConfigMap;
    await configMaps.patch(
      obj.metadata?.name ?? '',
      Patch.merge({
        metadata: { ownerReferences: [ownerRefTo(owner, { blockOwnerDeletion: true })] },
      }),
    );
  }
  await configMaps.delete('circle-a', { propagationPolicy: 'Foreground' });
  for (const name of names) {
    await expect.poll(() => exists(name), EVENTUALLY_COLLECTED).toBe(false);
  }
}, 120_000);

test('Foreground propagation: a dependent with another live owner loses only that reference', async () => {
  const first = await create('shared-owner-1');
  const second = await create('shared-owner-2');
  await create('shared-dependent', {
    ownerReferences: [first, second].map((o) =>
      ownerRefTo(o, { controller: false, blockOwnerDeletion: true }),
    ),
  });
  await configMaps.delete('shared-owner-1', { propagationPolicy: 'Foreground' });
  await expect.poll(() => exists('shared-owner-1'), EVENTUALLY_COLLECTED).toBe(false);
  const left = await configMaps.get('shared-dependent');
  expect(left.metadata?.deletionTimestamp).toBeUndefined();
  expect((left.metadata?.ownerReferences ?? []).map((r) => r.name)).toEqual(['shared-owner-2']);
}, 120_000);

test('Orphan propagation: the owner goes, its dependents stay without the ownerReference', async () => {
  const { owner, children } = await createFamily('orphan', 2);
  await configMaps.delete('orphan-owner', { propagationPolicy: 'Orphan' });
  await expect.poll(() => exists('orphan-owner'), EVENTUALLY).toBe(false);
  for (const child of children) {
    const left = await configMaps.get(child);
    expect(left.metadata?.deletionTimestamp).toBeUndefined();
    const ownerUids = (left.metadata?.ownerReferences ?? []).map((r) => r.uid);
    expect(ownerUids).not.toContain(owner.metadata?.uid);
  }
});

test('a dependent whose owner never existed (unknown uid) is collected', async () => {
  const ghost = {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    name: 'ghost-owner',
    uid: '00000000-0000-4000-8000-000000000000',
  };
  await create('ghost-child', { ownerReferences: [ghost] });
  await expect.poll(() => exists('ghost-child'), EVENTUALLY).toBe(false);
});

test('deleting a namespace makes it Terminating, removes its content, then removes it', async () => {
  const ns = await e2e.namespace('e2e-doomed');
  const namespaces = Api.cluster(e2e.client, resources.namespaces);
  const inside = Api.namespaced(e2e.client, resources.configMaps, ns);
  await inside.create({
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: 'content' },
    data: {},
  });

  const result = await namespaces.delete(ns);
  expect(result.kind).toBe('deleting');
  const terminating = await namespaces.getOpt(ns);
  // Namespace deletion is asynchronous on both backends; it may already be done here.
  if (terminating) expect(terminating.status?.phase).toBe('Terminating');
  await expect
    .poll(() => namespaces.getOpt(ns), { ...EVENTUALLY, timeout: 90_000 })
    .toBeUndefined();
  expect(await inside.getOpt('content')).toBeUndefined();
}, 120_000);

test("a namespace is emptied of its Pods first, with the namespace controller's conditions", async () => {
  const ns = await e2e.namespace('e2e-ordered');
  const namespaces = Api.cluster(e2e.client, resources.namespaces);
  const inside = Api.namespaced(e2e.client, resources.configMaps, ns);
  const pods = Api.namespaced(e2e.client, resources.pods, ns);
  await pods.create({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'held', finalizers: [HOLD] },
    spec: { containers: [{ name: 'c', image: 'registry.invalid/c:1' }] },
  });
  await inside.create({
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: 'kept' },
    data: {},
  });
  await namespaces.delete(ns);
  const conditions = async () =>
    (await namespaces.getOpt(ns))?.status?.conditions?.map((c) => [c.type, c.status, c.reason]);
  // While a Pod remains, the controller stops its pass early: its conditions report nothing left.
  await expect.poll(conditions, { ...EVENTUALLY, timeout: 60_000 }).toEqual([
    ['NamespaceDeletionDiscoveryFailure', 'False', 'ResourcesDiscovered'],
    ['NamespaceDeletionGroupVersionParsingFailure', 'False', 'ParsedGroupVersions'],
    ['NamespaceDeletionContentFailure', 'False', 'ContentDeleted'],
    ['NamespaceContentRemaining', 'False', 'ContentRemoved'],
    ['NamespaceFinalizersRemaining', 'False', 'ContentHasNoFinalizers'],
  ]);
  // The ConfigMap waits for the Pod, which its finalizer holds.
  expect((await pods.get('held')).metadata?.deletionTimestamp).toBeDefined();
  expect(await inside.getOpt('kept')).toBeDefined();
  await pods.patch('held', Patch.merge({ metadata: { finalizers: null } }));
  await expect
    .poll(() => namespaces.getOpt(ns), { ...EVENTUALLY, timeout: 90_000 })
    .toBeUndefined();
}, 180_000);

test('a DELETE reads its options from its body when it has one, else from its query, and refuses orphanDependents with propagationPolicy', async () => {
  const kc = e2e.backend.kubeConfig;
  const path = (name: string) => `/api/v1/namespaces/${ns}/configmaps/${name}`;
  await create('opts-both');
  const both = await raw(kc, 'DELETE', path('opts-both'), {
    query: { propagationPolicy: 'Orphan', orphanDependents: 'false' },
  });
  expect(both.status).toBe(422);
  expect(both.json()).toMatchObject({
    reason: 'Invalid',
    message:
      'DeleteOptions.meta.k8s.io "" is invalid: propagationPolicy: Invalid value: "Orphan": orphanDependents and deletionPropagation cannot be both set',
    details: {
      group: 'meta.k8s.io',
      kind: 'DeleteOptions',
      causes: [
        {
          reason: 'FieldValueInvalid',
          message:
            'Invalid value: "Orphan": orphanDependents and deletionPropagation cannot be both set',
          field: 'propagationPolicy',
        },
      ],
    },
  });
  expect(await exists('opts-both')).toBe(true);

  // With a body, the query's dryRun is not read: the object goes.
  const withBody = await raw(kc, 'DELETE', path('opts-both'), {
    query: { dryRun: 'All' },
    body: { kind: 'DeleteOptions', apiVersion: 'v1' },
  });
  expect(withBody.status).toBe(200);
  expect(await exists('opts-both')).toBe(false);

  // Without one, it is.
  await create('opts-query');
  expect((await raw(kc, 'DELETE', path('opts-query'), { query: { dryRun: 'All' } })).status).toBe(
    200,
  );
  expect(await exists('opts-query')).toBe(true);
});
