/**
 * Differential: the type of list items. kube-apiserver encodes a built-in list as its Go
 * list type, whose items are the typed objects without `kind` and `apiVersion`; a custom
 * resource list is unstructured and its items keep them. The same holds for the objects a
 * DELETE of a collection answers with, for YAML, and for a kind served through a second
 * group (events.k8s.io Events). Our client hands lists over as the server sent them;
 * the runtime's watcher fills the two fields in. Same requests, same assertions on every
 * backend.
 */
import { Api } from '@kube-ts/client';
import { resources } from '@kube-ts/core';
import { watcher } from '@kube-ts/runtime';
import { firstValueFrom } from 'rxjs';
import { filter } from 'rxjs/operators';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { parse } from 'yaml';
import { installOpenCrd } from './crd-install.js';
import { raw } from './raw-http.js';
import { type E2eContext, startE2e, uniqueSuffix } from './support.js';

let e2e: E2eContext;
let ns: string;

const group = `items${uniqueSuffix()}.e2e.kube-ts.dev`;
const kc = () => e2e.backend.kubeConfig;
const core = (plural: string) => `/api/v1/namespaces/${ns}/${plural}`;
const widgets = () => `/apis/${group}/v1/namespaces/${ns}/widgets`;

beforeAll(async () => {
  e2e = await startE2e();
  ns = await e2e.namespace('e2e-list-items');
  await installOpenCrd(e2e, group, 'Widget', ns);
  for (const name of ['a', 'b']) {
    const cm = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, labels: { set: 'x' } } };
    expect((await raw(kc(), 'POST', core('configmaps'), { body: cm })).status).toBe(201);
    const w = { apiVersion: `${group}/v1`, kind: 'Widget', metadata: { name } };
    expect((await raw(kc(), 'POST', widgets(), { body: w })).status).toBe(201);
  }
});

afterAll(async () => {
  await e2e?.stop();
});

/** The items of a list answer, with their names, after checking the list's own type. */
// biome-ignore lint/suspicious/noExplicitAny: tests read arbitrary server JSON.
function itemsOf(list: any, apiVersion: string, kind: string): Record<string, unknown>[] {
  expect(list.apiVersion).toBe(apiVersion);
  expect(list.kind).toBe(kind);
  return list.items;
}

describe('list items of built-in kinds have no kind or apiVersion', () => {
  test('core, apps, rbac and cluster-scoped lists, JSON and YAML', async () => {
    const cms = await raw(kc(), 'GET', core('configmaps'), { query: { labelSelector: 'set=x' } });
    const items = itemsOf(cms.json(), 'v1', 'ConfigMapList');
    expect(items.map((i) => (i.metadata as { name: string }).name).sort()).toEqual(['a', 'b']);
    for (const item of items) {
      expect(item).not.toHaveProperty('kind');
      expect(item).not.toHaveProperty('apiVersion');
    }
    const yaml = await raw(kc(), 'GET', core('configmaps'), {
      accept: 'application/yaml',
      query: { labelSelector: 'set=x' },
    });
    for (const item of itemsOf(parse(yaml.text), 'v1', 'ConfigMapList')) {
      expect(item).not.toHaveProperty('kind');
      expect(item).not.toHaveProperty('apiVersion');
    }
    const role = {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'Role',
      metadata: { name: 'r' },
      rules: [],
    };
    const roles = `/apis/rbac.authorization.k8s.io/v1/namespaces/${ns}/roles`;
    expect((await raw(kc(), 'POST', roles, { body: role })).status).toBe(201);
    const revision = {
      apiVersion: 'apps/v1',
      kind: 'ControllerRevision',
      metadata: { name: 'rev' },
      data: { a: 1 },
      revision: 1,
    };
    const revisions = `/apis/apps/v1/namespaces/${ns}/controllerrevisions`;
    expect((await raw(kc(), 'POST', revisions, { body: revision })).status).toBe(201);
    const listed = [
      [roles, 'rbac.authorization.k8s.io/v1', 'RoleList'],
      [revisions, 'apps/v1', 'ControllerRevisionList'],
      ['/api/v1/namespaces', 'v1', 'NamespaceList'],
    ] as const;
    for (const [path, apiVersion, kind] of listed) {
      const items = itemsOf((await raw(kc(), 'GET', path)).json(), apiVersion, kind);
      expect(items.length).toBeGreaterThan(0);
      for (const item of items) {
        expect(item).not.toHaveProperty('kind');
        expect(item).not.toHaveProperty('apiVersion');
      }
    }
  });

  test('events.k8s.io Events, a second view of core Events', async () => {
    const event = {
      apiVersion: 'events.k8s.io/v1',
      kind: 'Event',
      metadata: { name: 'e1' },
      eventTime: '2024-01-02T03:04:05.000000Z',
      reportingController: 'example.com/c',
      reportingInstance: 'i',
      action: 'Act',
      reason: 'Why',
      type: 'Normal',
      regarding: { kind: 'ConfigMap', namespace: ns, name: 'a', apiVersion: 'v1' },
    };
    const events = `/apis/events.k8s.io/v1/namespaces/${ns}/events`;
    expect((await raw(kc(), 'POST', events, { body: event })).status).toBe(201);
    for (const [path, apiVersion] of [
      [events, 'events.k8s.io/v1'],
      [core('events'), 'v1'],
    ] as const) {
      const items = itemsOf((await raw(kc(), 'GET', path)).json(), apiVersion, 'EventList');
      expect(items).toHaveLength(1);
      expect(items[0]).not.toHaveProperty('kind');
      expect(items[0]).not.toHaveProperty('apiVersion');
    }
  });

  test('the answer of a DELETE of a collection', async () => {
    const path = core('secrets');
    for (const name of ['s1', 's2']) {
      const s = { apiVersion: 'v1', kind: 'Secret', metadata: { name, labels: { gone: 'yes' } } };
      expect((await raw(kc(), 'POST', path, { body: s })).status).toBe(201);
    }
    const res = await raw(kc(), 'DELETE', path, { query: { labelSelector: 'gone=yes' } });
    expect(res.status).toBe(200);
    const items = itemsOf(res.json(), 'v1', 'SecretList');
    expect(items.map((i) => (i.metadata as { name: string }).name).sort()).toEqual(['s1', 's2']);
    for (const item of items) {
      expect(item).not.toHaveProperty('kind');
      expect(item).not.toHaveProperty('apiVersion');
    }
  });

  test('a single object and a watch event carry them', async () => {
    const one = (await raw(kc(), 'GET', `${core('configmaps')}/a`)).json();
    expect(one).toMatchObject({ apiVersion: 'v1', kind: 'ConfigMap' });
    const w = await raw(kc(), 'GET', core('configmaps'), {
      query: { watch: 'true', fieldSelector: 'metadata.name=a', timeoutSeconds: '1' },
    });
    const first = JSON.parse(w.text.split('\n')[0]!);
    expect(first).toMatchObject({ type: 'ADDED', object: { apiVersion: 'v1', kind: 'ConfigMap' } });
  });
});

describe('list items of custom resources keep them', () => {
  test('JSON and the answer of a DELETE of a collection', async () => {
    const items = itemsOf((await raw(kc(), 'GET', widgets())).json(), `${group}/v1`, 'WidgetList');
    expect(items).toHaveLength(2);
    for (const item of items)
      expect(item).toMatchObject({ apiVersion: `${group}/v1`, kind: 'Widget' });
    const res = await raw(kc(), 'DELETE', widgets());
    expect(res.status).toBe(200);
    const deleted = itemsOf(res.json(), `${group}/v1`, 'WidgetList');
    expect(deleted).toHaveLength(2);
    for (const item of deleted) {
      expect(item).toMatchObject({ apiVersion: `${group}/v1`, kind: 'Widget' });
    }
  });
});

describe('our client and runtime', () => {
  test('Api.list answers the items as sent; the watcher fills kind and apiVersion in', async () => {
    const configMaps = Api.namespaced(e2e.client, resources.configMaps, ns);
    const list = await configMaps.list({ labelSelector: 'set=x' });
    expect(list).toMatchObject({ apiVersion: 'v1', kind: 'ConfigMapList' });
    expect(list.items.map((c) => [c.apiVersion, c.kind])).toEqual([
      [undefined, undefined],
      [undefined, undefined],
    ]);
    const restarted = await firstValueFrom(
      watcher(configMaps, { labelSelector: 'set=x' }).pipe(filter((e) => e.type === 'Restarted')),
    );
    if (restarted.type !== 'Restarted')
      throw new Error(`expected Restarted, got ${restarted.type}`);
    expect(restarted.objects.map((c) => [c.apiVersion, c.kind])).toEqual([
      ['v1', 'ConfigMap'],
      ['v1', 'ConfigMap'],
    ]);
  });
});
