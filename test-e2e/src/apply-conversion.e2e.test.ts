/**
 * Differential: server-side apply and `managedFields` of a custom resource whose CRD
 * converts through a webhook that renames a field between versions (`spec.size` at
 * v1alpha1 is `spec.replicas` at v1). kube-apiserver's field manager works in the
 * request's version and converts objects to each manager's version through the webhook,
 * so a manager of the old name keeps or loses its field as the converted objects say
 * (a version the CRD lists but no longer serves included).
 */
import { Api, Patch } from '@kube-ts/client';
import { resources } from '@kube-ts/core';
import { defineResource, installCrds } from '@kube-ts/schema';
import { WebhookServer } from '@kube-ts/webhook';
import { Type } from '@sinclair/typebox';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { parse } from 'yaml';
import { raw } from './raw-http.js';
import { type E2eContext, EVENTUALLY, ignoreNotFound, startE2e, uniqueSuffix } from './support.js';

const suffix = uniqueSuffix();
const group = `ac${suffix}.e2e.kube-ts.dev`;

interface Spec {
  size?: string;
  replicas?: number;
  tier?: string;
}

/** The objects the conversion webhook was asked to convert, as `<name> <from>→<to> <spec keys>`. */
const converted: string[] = [];

function seen(o: { metadata?: { name?: string }; spec?: Spec }, to: string): void {
  const keys = Object.keys(o.spec ?? {}).sort();
  converted.push(`${o.metadata?.name ?? ''} ${to} ${keys.join(',')}`);
}

/** `spec.size` (a string) ↔ `spec.replicas` (an integer); `tier` is the same in both. */
function toReplicas(spec: Spec | undefined): Spec {
  const { size, ...rest } = spec ?? {};
  return size === undefined ? rest : { ...rest, replicas: Number.parseInt(size, 10) };
}

function toSize(spec: Spec | undefined): Spec {
  const { replicas, ...rest } = spec ?? {};
  return replicas === undefined ? rest : { ...rest, size: String(replicas) };
}

const Widget = defineResource({
  group,
  kind: 'Widget',
  scope: 'Namespaced',
  versions: {
    v1alpha1: {
      spec: Type.Object({ size: Type.Optional(Type.String()), tier: Type.Optional(Type.String()) }),
    },
    v1: {
      spec: Type.Object({
        replicas: Type.Optional(Type.Integer()),
        tier: Type.Optional(Type.String()),
      }),
    },
  },
  storage: 'v1',
  conversion: {
    v1alpha1: {
      toStorage: (o) => {
        seen(o, 'v1');
        return { ...o, spec: toReplicas(o.spec as Spec) } as never;
      },
      fromStorage: (o) => {
        seen(o, 'v1alpha1');
        return { ...o, spec: toSize(o.spec as Spec) } as never;
      },
    },
  },
});

let e2e: E2eContext;
let ns: string;
const stop = new AbortController();
let served: Promise<void>;

beforeAll(async () => {
  e2e = await startE2e();
  ns = await e2e.namespace('apply-conv');
  const webhook = new WebhookServer({
    name: `widget-webhook-${suffix}`,
    host: '127.0.0.1',
    port: 0,
    logger: pino({ level: 'silent' }),
  }).conversion(Widget);
  served = webhook.start(stop.signal);
  await webhook.whenListening();
  await installCrds(e2e.client, webhook.manifests({ url: webhook.url }).crds);
  e2e.onStop(async () => {
    await Api.cluster(e2e.client, resources.customResourceDefinitions)
      .delete(Widget.crdName)
      .catch(ignoreNotFound);
    stop.abort();
    await served;
  });
}, 120_000);

afterAll(() => e2e?.stop());

/** Sets whether the CRD serves `version`, and waits until its endpoint says so. */
async function setServed(version: string, served: boolean): Promise<void> {
  const crds = Api.cluster(e2e.client, resources.customResourceDefinitions);
  const crd = await crds.get(Widget.crdName);
  const versions = crd.spec.versions.map((v) => (v.name === version ? { ...v, served } : v));
  await crds.patch(Widget.crdName, Patch.merge({ spec: { versions } }));
  const list = `/apis/${group}/${version}/namespaces/${ns}/widgets`;
  const until = Date.now() + EVENTUALLY.timeout;
  while (((await raw(kc(), 'GET', list)).status === 200) !== served) {
    if (Date.now() > until) throw new Error(`${version} is not ${served ? '' : 'un'}served yet`);
    await new Promise((r) => setTimeout(r, EVENTUALLY.interval));
  }
}

const kc = () => e2e.backend.kubeConfig;
const path = (version: string, name: string) =>
  `/apis/${group}/${version}/namespaces/${ns}/widgets/${name}`;

function apply(version: string, name: string, manager: string, spec: Spec, force = false) {
  return raw(kc(), 'PATCH', path(version, name), {
    body: JSON.stringify({
      apiVersion: `${group}/${version}`,
      kind: 'Widget',
      metadata: { name },
      spec,
    }),
    contentType: 'application/apply-patch+yaml',
    query: { fieldManager: manager, ...(force ? { force: 'true' } : {}) },
  });
}

interface Entry {
  manager: string;
  operation: string;
  apiVersion: string;
  fieldsV1: { 'f:spec'?: Record<string, unknown> };
}

/** Each manager's entry as `<manager> <operation> <version> <spec fields>`. */
function entries(obj: { metadata: { managedFields?: Entry[] } }): string[] {
  return (obj.metadata.managedFields ?? [])
    .map(
      (e) =>
        `${e.manager} ${e.operation} ${e.apiVersion.slice(group.length + 1)} ${Object.keys(
          e.fieldsV1['f:spec'] ?? {},
        )
          .filter((k) => k !== '.')
          .map((k) => k.slice('f:'.length))
          .sort()
          .join(',')}`,
    )
    .sort();
}

describe('managers of another version are compared after conversion through the webhook', () => {
  test("an apply at v1 conflicts with the v1alpha1 manager of the field's old name", async () => {
    const created = await apply('v1alpha1', 'renamed', 'alpha', { size: '3', tier: 'gold' });
    expect(created.status, created.text).toBe(201);
    expect(entries(created.json())).toEqual(['alpha Apply v1alpha1 size,tier']);

    const conflict = await apply('v1', 'renamed', 'beta', { replicas: 5 });
    expect(conflict.status, conflict.text).toBe(409);
    expect(conflict.json().message).toBe(
      'Apply failed with 1 conflict: conflict with "alpha": .spec.size',
    );
    // The same value is shared, not a conflict.
    const shared = await apply('v1', 'renamed', 'beta', { replicas: 3 });
    expect(shared.status, shared.text).toBe(200);
    expect(entries(shared.json())).toEqual([
      'alpha Apply v1alpha1 size,tier',
      'beta Apply v1 replicas',
    ]);
    const forced = await apply('v1', 'renamed', 'beta', { replicas: 5, tier: 'silver' }, true);
    expect(forced.status, forced.text).toBe(200);
    expect(entries(forced.json())).toEqual(['beta Apply v1 replicas,tier']);
    expect(forced.json().spec).toEqual({ replicas: 5, tier: 'silver' });
  });

  test('an update at v1 takes the renamed field from the v1alpha1 manager', async () => {
    const created = await apply('v1alpha1', 'updated', 'alpha', { size: '2', tier: 'gold' });
    expect(created.status, created.text).toBe(201);
    const widgets = Api.namespaced(e2e.client, Widget, ns);
    const patched = await widgets.patch('updated', Patch.merge({ spec: { replicas: 4 } }), {
      fieldManager: 'editor',
    });
    expect(entries(patched as never)).toEqual([
      'alpha Apply v1alpha1 tier',
      'editor Update v1 replicas',
    ]);
  });
});

describe('an apply at the converted version', () => {
  test('merges into the live object converted to that version', async () => {
    const created = await apply('v1', 'partial', 'owner', { replicas: 7, tier: 'gold' });
    expect(created.status, created.text).toBe(201);
    converted.length = 0;
    const applied = await apply('v1alpha1', 'partial', 'tiering', { tier: 'gold' });
    expect(applied.status, applied.text).toBe(200);
    expect(applied.json().spec).toEqual({ size: '7', tier: 'gold' });
    expect(entries(applied.json())).toEqual([
      'owner Apply v1 replicas,tier',
      'tiering Apply v1alpha1 tier',
    ]);
    // The webhook converts whole objects, never the applied (partial) one.
    expect(converted.filter((c) => c.startsWith('partial '))).not.toContain('partial v1 tier');
    expect(converted.filter((c) => c.startsWith('partial ')).length).toBeGreaterThan(0);
    const stored = await raw(kc(), 'GET', path('v1', 'partial'));
    expect(stored.json().spec).toEqual({ replicas: 7, tier: 'gold' });
  });
});

describe('a version listed but no longer served', () => {
  test("its managers' entries are still converted through the webhook and compared", async () => {
    const created = await apply('v1alpha1', 'unserved', 'old', { size: '3', tier: 'gold' });
    expect(created.status, created.text).toBe(201);
    await setServed('v1alpha1', false);
    try {
      const conflict = await apply('v1', 'unserved', 'new', { replicas: 5 });
      expect(conflict.status, conflict.text).toBe(409);
      expect(conflict.json().message).toBe(
        'Apply failed with 1 conflict: conflict with "old": .spec.size',
      );
      const merged = await raw(kc(), 'PATCH', path('v1', 'unserved'), {
        body: { spec: { replicas: 4 } },
        contentType: 'application/merge-patch+json',
        query: { fieldManager: 'editor' },
      });
      expect(merged.status, merged.text).toBe(200);
      expect(entries(merged.json())).toEqual([
        'editor Update v1 replicas',
        'old Apply v1alpha1 tier',
      ]);
    } finally {
      await setServed('v1alpha1', true);
    }
  });
});

describe('YAML at the converted version', () => {
  test('a read, a list and a write answer YAML of the converted objects', async () => {
    const created = await apply('v1', 'yaml', 'owner', { replicas: 2, tier: 'gold' });
    expect(created.status, created.text).toBe(201);
    const yaml = { accept: 'application/yaml' };
    const got = await raw(kc(), 'GET', path('v1alpha1', 'yaml'), yaml);
    expect(got.status, got.text).toBe(200);
    expect(got.headers['content-type']).toBe('application/yaml');
    expect(parse(got.text).spec).toEqual({ size: '2', tier: 'gold' });
    const listed = await raw(kc(), 'GET', `/apis/${group}/v1alpha1/namespaces/${ns}/widgets`, yaml);
    expect(listed.status, listed.text).toBe(200);
    const items = parse(listed.text).items as { metadata: { name: string }; spec: Spec }[];
    expect(items.find((i) => i.metadata.name === 'yaml')?.spec).toEqual({
      size: '2',
      tier: 'gold',
    });
    const body = { ...parse(got.text), spec: { size: '4', tier: 'gold' } };
    const put = await raw(kc(), 'PUT', path('v1alpha1', 'yaml'), { ...yaml, body });
    expect(put.status, put.text).toBe(200);
    expect(put.headers['content-type']).toBe('application/yaml');
    expect(parse(put.text).spec).toEqual({ size: '4', tier: 'gold' });
    const missing = await raw(kc(), 'GET', path('v1alpha1', 'none'), yaml);
    expect(missing.status).toBe(404);
    expect(missing.headers['content-type']).toBe('application/yaml');
    expect(parse(missing.text)).toMatchObject({ kind: 'Status', reason: 'NotFound', code: 404 });
  });
});

describe('a version removed from the CRD', () => {
  test('an apply fails and an update drops every managedFields entry', async () => {
    const created = await apply('v1alpha1', 'dropped', 'old', { size: '1', tier: 'gold' });
    expect(created.status, created.text).toBe(201);
    const crds = Api.cluster(e2e.client, resources.customResourceDefinitions);
    const crd = await crds.get(Widget.crdName);
    const versions = crd.spec.versions.filter((v) => v.name !== 'v1alpha1');
    await crds.patch(Widget.crdName, Patch.merge({ spec: { versions } }));
    const until = Date.now() + EVENTUALLY.timeout;
    while ((await raw(kc(), 'GET', path('v1alpha1', 'dropped'))).status !== 404) {
      if (Date.now() > until) throw new Error('v1alpha1 is still served');
      await new Promise((r) => setTimeout(r, EVENTUALLY.interval));
    }
    // kube-apiserver's field manager cannot convert to the removed version: a bare 500.
    const failure = {
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message: `request to convert CR to an invalid group/version: ${group}/v1alpha1`,
      code: 500,
    };
    const applied = await apply('v1', 'dropped', 'new', { replicas: 2 }, true);
    expect(applied.status).toBe(500);
    expect(applied.json()).toEqual(failure);
    // An update is stored, but the field manager's failure leaves it no managedFields.
    const merged = await raw(kc(), 'PATCH', path('v1', 'dropped'), {
      body: { spec: { replicas: 3 } },
      contentType: 'application/merge-patch+json',
      query: { fieldManager: 'editor' },
    });
    expect(merged.status, merged.text).toBe(200);
    expect(merged.json().spec).toEqual({ replicas: 3, tier: 'gold' });
    expect(merged.json().metadata.managedFields).toBeUndefined();
    // Then an apply works again, the object's fields first owned by "before-first-apply".
    const after = await apply('v1', 'dropped', 'new', { replicas: 2 }, true);
    expect(after.status, after.text).toBe(200);
    expect(entries(after.json())).toEqual([
      'before-first-apply Update v1 tier',
      'new Apply v1 replicas',
    ]);
  });
});
