/**
 * The client against the backend: CRUD, optimistic concurrency, pagination, selectors and
 * the four patch types. Watches, deletion and CRDs have files of their own.
 */
import { Api, Patch } from '@kube-ts/client';
import {
  fieldSelector,
  isAlreadyExists,
  isConflict,
  labelSelector,
  resources,
} from '@kube-ts/core';
import type { Deployment } from '@kube-ts/k8s/apps/v1';
import type { ConfigMap } from '@kube-ts/k8s/core/v1';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { apiErrorOf, type E2eContext, startE2e } from './support.js';

let e2e: E2eContext;
let ns: string;
let configMaps: Api<ConfigMap>;

beforeAll(async () => {
  e2e = await startE2e();
  ns = await e2e.namespace('e2e-client');
  configMaps = Api.namespaced(e2e.client, resources.configMaps, ns);
});

afterAll(async () => {
  await e2e?.stop();
});

function configMap(
  name: string,
  data: Record<string, string> = {},
  labels?: Record<string, string>,
): ConfigMap {
  return {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name, ...(labels ? { labels } : {}) },
    data,
  };
}

describe('CRUD', () => {
  test('create, get, list, replace and delete a ConfigMap', async () => {
    const created = await configMaps.create(configMap('crud', { a: '1' }));
    expect(created.metadata?.uid).toBeTruthy();
    expect(created.metadata?.resourceVersion).toBeTruthy();
    expect(created.metadata?.namespace).toBe(ns);
    expect(created.metadata?.creationTimestamp).toBeTruthy();

    const got = await configMaps.get('crud');
    expect(got.data).toEqual({ a: '1' });
    expect(got.metadata?.uid).toBe(created.metadata?.uid);

    const list = await configMaps.list();
    expect(list.items.map((c) => c.metadata?.name)).toContain('crud');
    expect(list.metadata?.resourceVersion).toBeTruthy();

    const replaced = await configMaps.replace('crud', { ...got, data: { a: '2' } });
    expect(replaced.data).toEqual({ a: '2' });
    expect(replaced.metadata?.resourceVersion).not.toBe(got.metadata?.resourceVersion);

    const deleted = await configMaps.delete('crud');
    expect(deleted.kind).toBe('deleted');
    expect(await configMaps.getOpt('crud')).toBeUndefined();
    const notFound = await apiErrorOf(configMaps.get('crud'));
    expect(notFound.code).toBe(404);
    expect(notFound.reason).toBe('NotFound');
  });

  test('creating an existing name is 409 AlreadyExists', async () => {
    await configMaps.create(configMap('twice'));
    const error = await apiErrorOf(configMaps.create(configMap('twice')));
    expect(error.code).toBe(409);
    expect(error.reason).toBe('AlreadyExists');
    expect(isAlreadyExists(error)).toBe(true);
    expect(isConflict(error)).toBe(false);
  });

  test('a replace with a stale resourceVersion is 409 Conflict and changes nothing', async () => {
    const v1 = await configMaps.create(configMap('stale', { v: '1' }));
    await configMaps.replace('stale', { ...v1, data: { v: '2' } });
    const error = await apiErrorOf(configMaps.replace('stale', { ...v1, data: { v: '3' } }));
    expect(error.code).toBe(409);
    expect(error.reason).toBe('Conflict');
    expect(error.message).toContain('the object has been modified');
    expect((await configMaps.get('stale')).data).toEqual({ v: '2' });
  });

  test('a delete with a stale resourceVersion precondition is 409 and keeps the object', async () => {
    const v1 = await configMaps.create(configMap('precondition'));
    await configMaps.patch('precondition', Patch.merge({ data: { x: 'y' } }));
    const error = await apiErrorOf(
      configMaps.delete('precondition', {
        preconditions: { resourceVersion: v1.metadata?.resourceVersion ?? '' },
      }),
    );
    expect(error.code).toBe(409);
    expect(await configMaps.getOpt('precondition')).toBeDefined();
  });
});

describe('lists', () => {
  test('limit and continue page through every object once, in name order', async () => {
    const names = Array.from({ length: 7 }, (_, i) => `page-${i}`);
    for (const name of names) await configMaps.create(configMap(name, {}, { set: 'paged' }));

    const seen: string[] = [];
    let token: string | undefined;
    let pages = 0;
    do {
      const page = await configMaps.list({ labelSelector: 'set=paged', limit: 3, continue: token });
      pages++;
      expect(page.items.length).toBeLessThanOrEqual(3);
      seen.push(...page.items.map((c) => c.metadata?.name ?? ''));
      token = page.metadata?.continue || undefined;
    } while (token !== undefined);
    expect(pages).toBe(3);
    expect(seen).toEqual(names);

    const all = await configMaps.listAll({ labelSelector: 'set=paged', limit: 2 });
    expect(all.items.map((c) => c.metadata?.name)).toEqual(names);
  });

  test('without a selector, a limited page reports how many items remain', async () => {
    const first = await configMaps.list({ limit: 1 });
    // Count at the same resourceVersion: on a real cluster kube-controller-manager may add
    // kube-root-ca.crt to the namespace between the two lists.
    const total = (
      await configMaps.list({
        resourceVersion: first.metadata?.resourceVersion,
        resourceVersionMatch: 'Exact',
      })
    ).items.length;
    expect(first.metadata?.continue).toBeTruthy();
    expect(first.metadata?.remainingItemCount).toBe(total - 1);
  });

  test('label selectors: equality, set, existence and their negations', async () => {
    await configMaps.create(configMap('sel-a', {}, { sel: 'yes', tier: 'front' }));
    await configMaps.create(configMap('sel-b', {}, { sel: 'yes', tier: 'back' }));
    await configMaps.create(configMap('sel-c', {}, { sel: 'yes', tier: 'db', legacy: 'true' }));
    await configMaps.create(configMap('sel-d', {}, { sel: 'yes' }));
    const names = async (selector: string) =>
      (await configMaps.list({ labelSelector: `sel=yes,${selector}` })).items.map(
        (c) => c.metadata?.name,
      );

    expect(await names('tier=front')).toEqual(['sel-a']);
    expect(await names('tier!=front')).toEqual(['sel-b', 'sel-c', 'sel-d']);
    expect(await names('tier in (front,db)')).toEqual(['sel-a', 'sel-c']);
    expect(await names('tier notin (front,db)')).toEqual(['sel-b', 'sel-d']);
    expect(await names('legacy')).toEqual(['sel-c']);
    expect(await names('!tier')).toEqual(['sel-d']);
    const built = labelSelector()
      .eq('sel', 'yes')
      .in('tier', ['back', 'db'])
      .doesNotExist('legacy');
    expect(
      (await configMaps.list({ labelSelector: built })).items.map((c) => c.metadata?.name),
    ).toEqual(['sel-b']);
  });

  test('field selectors on metadata.name and metadata.namespace', async () => {
    const byName = await configMaps.list({
      fieldSelector: fieldSelector().eq('metadata.name', 'sel-b'),
    });
    expect(byName.items.map((c) => c.metadata?.name)).toEqual(['sel-b']);
    const notName = await configMaps.list({
      labelSelector: 'sel=yes',
      fieldSelector: 'metadata.name!=sel-b',
    });
    expect(notName.items.map((c) => c.metadata?.name)).toEqual(['sel-a', 'sel-c', 'sel-d']);
    const everywhere = Api.all(e2e.client, resources.configMaps);
    const inNs = await everywhere.list({
      fieldSelector: `metadata.namespace=${ns}`,
      labelSelector: 'sel=yes',
    });
    expect(inNs.items).toHaveLength(4);
  });

  test('an unknown field in a field selector is 400 BadRequest', async () => {
    const error = await apiErrorOf(configMaps.list({ fieldSelector: 'data.a=1' }));
    expect(error.code).toBe(400);
    expect(error.reason).toBe('BadRequest');
  });
});

describe('patches', () => {
  test('merge patch: objects merge, null deletes a key', async () => {
    await configMaps.create(configMap('merge', { keep: '1', drop: '2' }));
    const patched = await configMaps.patch(
      'merge',
      Patch.merge({ data: { drop: null, add: '3' } }),
    );
    expect(patched.data).toEqual({ keep: '1', add: '3' });
  });

  test('JSON patch: operations apply in order; a failing test op is 422 and changes nothing', async () => {
    await configMaps.create(configMap('json', { a: '1' }));
    const ok = await configMaps.patch(
      'json',
      Patch.json([
        { op: 'test', path: '/data/a', value: '1' },
        { op: 'replace', path: '/data/a', value: '2' },
        { op: 'add', path: '/data/b', value: '3' },
      ]),
    );
    expect(ok.data).toEqual({ a: '2', b: '3' });

    const error = await apiErrorOf(
      configMaps.patch(
        'json',
        Patch.json([
          { op: 'test', path: '/data/a', value: '1' },
          { op: 'replace', path: '/data/a', value: '9' },
        ]),
      ),
    );
    // The same error on every backend: kube-apiserver 1.36 answers a failed `test` op with a
    // bare 422 (the patch library's message is not passed on as a cause).
    expect(error.code).toBe(422);
    expect(error.reason).toBe('Invalid');
    expect(error.status.message).toBe(
      'the server rejected our request due to an error in our request',
    );
    expect(error.details?.causes ?? []).toEqual([]);
    expect((await configMaps.get('json')).data).toEqual({ a: '2', b: '3' });
  });

  test('strategic merge patch: ConfigMap data merges; Deployment containers merge by name', async () => {
    await configMaps.create(configMap('strategic', { a: '1' }));
    const cm = await configMaps.patch('strategic', Patch.strategic({ data: { b: '2' } }));
    expect(cm.data).toEqual({ a: '1', b: '2' });

    const deployments = Api.namespaced(e2e.client, resources.deployments, ns);
    const labels = { app: 'strategic' };
    await deployments.create({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'strategic' },
      spec: {
        replicas: 0,
        selector: { matchLabels: labels },
        template: {
          metadata: { labels },
          spec: { containers: [{ name: 'app', image: 'example.com/app:1' }] },
        },
      },
    } satisfies Deployment);
    const sidecar = {
      spec: {
        template: { spec: { containers: [{ name: 'sidecar', image: 'example.com/side:1' }] } },
      },
    };
    const merged = await deployments.patch('strategic', Patch.strategic(sidecar));
    // kube-apiserver puts the patch's new items before the existing ones.
    expect(merged.spec?.template.spec?.containers.map((c) => c.name)).toEqual(['sidecar', 'app']);
    const upgraded = await deployments.patch(
      'strategic',
      Patch.strategic({
        spec: { template: { spec: { containers: [{ name: 'app', image: 'example.com/app:2' }] } } },
      }),
    );
    const upgradedContainers = upgraded.spec?.template.spec?.containers ?? [];
    expect(upgradedContainers.map((c) => `${c.name}=${c.image}`).sort()).toEqual([
      'app=example.com/app:2',
      'sidecar=example.com/side:1',
    ]);
    // An item the patch merges into keeps its place.
    expect(upgradedContainers.map((c) => c.name)).toEqual(
      merged.spec?.template.spec?.containers.map((c) => c.name),
    );
    // A JSON merge patch replaces the list instead.
    const replaced = await deployments.patch('strategic', Patch.merge(sidecar));
    expect(replaced.spec?.template.spec?.containers.map((c) => c.name)).toEqual(['sidecar']);
  });

  test('server-side apply: a second manager conflicts with 409 until it forces', async () => {
    const intent = (value: string): ConfigMap => ({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'applied', namespace: ns },
      data: { shared: value },
    });
    const created = await configMaps.patch('applied', Patch.apply(intent('alice')), {
      fieldManager: 'alice',
    });
    expect(created.data).toEqual({ shared: 'alice' });

    const error = await apiErrorOf(
      configMaps.patch('applied', Patch.apply(intent('bob')), { fieldManager: 'bob' }),
    );
    expect(error.code).toBe(409);
    expect(error.reason).toBe('Conflict');
    expect(error.status.message).toBe(
      'Apply failed with 1 conflict: conflict with "alice": .data.shared',
    );
    expect(error.details?.causes).toEqual([
      { reason: 'FieldManagerConflict', message: 'conflict with "alice"', field: '.data.shared' },
    ]);

    const forced = await configMaps.patch('applied', Patch.apply(intent('bob')), {
      fieldManager: 'bob',
      force: true,
    });
    expect(forced.data).toEqual({ shared: 'bob' });
    const owners = (forced.metadata?.managedFields ?? []).filter((m) =>
      JSON.stringify(m.fieldsV1 ?? {}).includes('"f:shared"'),
    );
    expect(owners.map((m) => `${m.manager}/${m.operation}`)).toEqual(['bob/Apply']);
  });
});
