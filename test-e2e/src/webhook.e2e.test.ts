/**
 * `@kube-ts/webhook` against the backend: the API server (kube-apiserver, or
 * MemoryApiServer, which calls webhooks the same way) is configured to call a
 * WebhookServer on https://127.0.0.1:PORT with the generated CA. Admission denies with
 * the handler's message and defaults through the mutating handler; a two-version custom
 * resource stored as v1 is read and written as v1alpha1 through the conversion webhook;
 * failurePolicy decides when the webhook is down; a rotated serving certificate is used
 * without a restart.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Api, Patch } from '@kube-ts/client';
import { delay, resources } from '@kube-ts/core';
import type { AdmissionRequest } from '@kube-ts/k8s/admission/v1';
import { defineResource, installCrds, type ResourceOf } from '@kube-ts/schema';
import {
  allow,
  caBundleOf,
  deny,
  generateCertificates,
  type ValidatingWebhookConfiguration,
  WebhookServer,
} from '@kube-ts/webhook';
import { Type } from '@sinclair/typebox';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, test, vi } from 'vitest';
import { raw, rawWatch } from './raw-http.js';
import {
  apiErrorOf,
  type E2eContext,
  EVENTUALLY,
  ignoreNotFound,
  startE2e,
  uniqueSuffix,
} from './support.js';
import { createCluster, mutatingConfigs, validatingConfigs } from './webhook-configs.js';

const suffix = uniqueSuffix();
const group = `w${suffix}.e2e.kube-ts.dev`;
const CONVERTED = 'e2e.kube-ts.dev/converted-to';
const logger = pino({ level: 'silent' });

const Gizmo = defineResource({
  group,
  kind: 'Gizmo',
  scope: 'Namespaced',
  versions: {
    v1alpha1: {
      spec: Type.Object({ size: Type.String(), tier: Type.Optional(Type.String()) }),
      printerColumns: [{ name: 'Size', type: 'string', jsonPath: '.spec.size' }],
    },
    v1: {
      spec: Type.Object({
        replicas: Type.Integer({ minimum: 0 }),
        tier: Type.Optional(Type.String()),
      }),
      printerColumns: [{ name: 'Replicas', type: 'integer', jsonPath: '.spec.replicas' }],
    },
  },
  storage: 'v1',
  conversion: {
    v1alpha1: {
      toStorage: (o) => ({
        ...o,
        metadata: convertedTo(o.metadata, 'v1'),
        spec: { replicas: Number.parseInt(o.spec.size, 10), tier: o.spec.tier },
      }),
      fromStorage: (o) => ({
        ...o,
        metadata: convertedTo(o.metadata, 'v1alpha1'),
        spec: { size: String(o.spec.replicas), tier: o.spec.tier },
      }),
    },
  },
});
type Gizmo = ResourceOf<typeof Gizmo>;
type GizmoAlpha = ResourceOf<typeof Gizmo.versions.v1alpha1>;

/** Metadata annotated with the version a conversion went to (conversions may change annotations). */
function convertedTo<M extends { annotations?: Record<string, string> }>(
  meta: M,
  version: string,
): M {
  return { ...meta, annotations: { ...meta.annotations, [CONVERTED]: version } };
}

const validateName = `validate.gizmos.${group}`;
const defaultName = `default.gizmos.${group}`;
const protectName = `protect.gizmos.${group}`;
const exactName = `exact.gizmos.${group}`;
const doubleName = `double.gizmos.${group}`;
/**
 * What the webhooks were sent for objects named `ver-*`: `<webhook> <kind version>
 * <requestKind version> <object apiVersion>`.
 */
const versionsSeen: string[] = [];

function sawVersions(name: string, req: AdmissionRequest): void {
  const obj = req.object as { apiVersion?: string; metadata?: { name?: string } } | undefined;
  if (!obj?.metadata?.name?.startsWith('ver-')) return;
  versionsSeen.push(`${name} ${req.kind.version} ${req.requestKind?.version} ${obj.apiVersion}`);
}
const slowName = `slow.configmaps.${group}`;
const LABEL = 'e2e.kube-ts.dev/webhook';

let e2e: E2eContext;
let ns: string;
let webhook: WebhookServer;
let gizmos: Api<Gizmo>;
let alphas: Api<GizmoAlpha>;
const stop = new AbortController();
let served: Promise<void>;

const configs = () => ({
  validating: Api.cluster(e2e.client, validatingConfigs),
  mutating: Api.cluster(e2e.client, mutatingConfigs),
});

beforeAll(async () => {
  e2e = await startE2e();
  ns = await e2e.namespace('webhook');
  webhook = new WebhookServer({
    name: `gizmo-webhook-${suffix}`,
    host: '127.0.0.1',
    port: 0,
    logger,
  })
    .validating({ name: validateName, resource: Gizmo }, ({ object, request }) => {
      sawVersions(validateName, request);
      return object!.spec.replicas > 10
        ? deny('spec.replicas must be at most 10')
        : allow(object!.spec.replicas === 0 ? ['no replicas: nothing will run'] : []);
    })
    // Match v1alpha1 requests only: kube-apiserver calls them with v1alpha1 objects.
    .validating(
      { name: exactName, resource: Gizmo.versions.v1alpha1, matchPolicy: 'Exact' },
      ({ object, request }) => {
        sawVersions(exactName, request);
        return object!.spec.size === '9' ? deny('size 9 is refused at v1alpha1') : allow();
      },
    )
    .mutating(
      { name: doubleName, resource: Gizmo.versions.v1alpha1, matchPolicy: 'Exact' },
      ({ object }) => {
        const o = object!;
        if (o.spec.tier === 'double') o.spec.size = String(Number(o.spec.size) * 2);
        return o;
      },
    )
    .mutating({ name: defaultName, resource: Gizmo }, ({ object }) => {
      const o = object!;
      o.spec.tier ??= 'standard';
      return o;
    })
    .validating({ name: protectName, resource: Gizmo, operations: ['DELETE'] }, ({ oldObject }) =>
      oldObject?.metadata.labels?.protected === 'true'
        ? deny('protected gizmos cannot be deleted')
        : allow(),
    )
    .validating(
      {
        name: slowName,
        resource: resources.configMaps,
        operations: ['CREATE'],
        timeoutSeconds: 1,
        objectSelector: { matchLabels: { [LABEL]: `slow-${suffix}` } },
      },
      async ({ signal }) => {
        await delay(3000, signal).catch(() => {});
        return allow();
      },
    )
    .conversion(Gizmo);
  served = webhook.start(stop.signal);
  await webhook.whenListening();
  const m = webhook.manifests({ url: webhook.url });
  await installCrds(e2e.client, m.crds);
  e2e.onStop(() =>
    Api.cluster(e2e.client, resources.customResourceDefinitions)
      .delete(Gizmo.crdName)
      .catch(ignoreNotFound),
  );
  const { validating, mutating } = configs();
  await createCluster(e2e, validating, m.validating!);
  await createCluster(e2e, mutating, m.mutating!);
  gizmos = Api.namespaced(e2e.client, Gizmo, ns);
  alphas = Api.namespaced(e2e.client, Gizmo.versions.v1alpha1, ns);
  e2e.onStop(async () => {
    stop.abort();
    await served;
  });
}, 120_000);

afterAll(() => e2e?.stop());

describe('admission webhooks', () => {
  test("reject an invalid object with the handler's message", async () => {
    // The API server picks up new webhook configurations within moments: poll.
    const err = await vi.waitFor(async () => {
      const bad = { ...Gizmo.create('x', { replicas: 11 }), metadata: { generateName: 'bad-' } };
      const e = await apiErrorOf(gizmos.create(bad));
      expect(e.message).toContain('denied the request');
      return e;
    }, EVENTUALLY);
    expect(err.code).toBe(403);
    expect(err.reason).toBe('Forbidden');
    expect(err.status.message).toBe(
      `admission webhook "${validateName}" denied the request: spec.replicas must be at most 10`,
    );
  });

  test('default a field through the mutating handler', async () => {
    const created = await vi.waitFor(async () => {
      const obj = { ...Gizmo.create('', { replicas: 2 }), metadata: { generateName: 'dflt-' } };
      const out = await gizmos.create(obj);
      expect(out.spec.tier).toBe('standard');
      return out;
    }, EVENTUALLY);
    expect((await gizmos.get(String(created.metadata.name))).spec).toEqual({
      replicas: 2,
      tier: 'standard',
    });
    // What the handler was given is left alone when it is already set.
    const kept = await gizmos.create(Gizmo.create('gold', { replicas: 1, tier: 'gold' }));
    expect(kept.spec.tier).toBe('gold');
  });
});

describe('conversion webhook', () => {
  test('a custom resource stored as v1 is read as v1alpha1 and written back', async () => {
    await gizmos.create(Gizmo.create('conv', { replicas: 3, tier: 'gold' }));
    const alpha = await alphas.get('conv');
    expect(alpha.apiVersion).toBe(`${group}/v1alpha1`);
    expect(alpha.spec).toEqual({ size: '3', tier: 'gold' });
    const listed = await alphas.list();
    expect(listed.items.find((i) => i.metadata.name === 'conv')?.spec).toEqual({
      size: '3',
      tier: 'gold',
    });

    alpha.spec.size = '5';
    const replaced = await alphas.replace('conv', alpha);
    expect(replaced.spec).toEqual({ size: '5', tier: 'gold' });
    expect((await gizmos.get('conv')).spec).toEqual({ replicas: 5, tier: 'gold' });

    const patched = await alphas.patch('conv', Patch.merge({ spec: { size: '7' } }));
    expect(patched.spec.size).toBe('7');
    expect((await gizmos.get('conv')).spec.replicas).toBe(7);

    const created = await alphas.create(
      Gizmo.versions.v1alpha1.create('from-alpha', { size: '4' }),
    );
    expect(created.spec).toEqual({ size: '4', tier: 'standard' });
    expect((await gizmos.get('from-alpha')).spec).toEqual({ replicas: 4, tier: 'standard' });

    // Admission sees the converted object: the v1 handler denies a v1alpha1 write.
    const denied = await apiErrorOf(
      alphas.create(Gizmo.versions.v1alpha1.create('too-big', { size: '12' })),
    );
    expect(denied.status.message).toBe(
      `admission webhook "${validateName}" denied the request: spec.replicas must be at most 10`,
    );
  });

  test('a watch at v1alpha1 gets converted objects', async () => {
    const stopWatch = new AbortController();
    const events = alphas.watch({ signal: stopWatch.signal, resourceVersion: '0' } as never);
    const created = gizmos.create(Gizmo.create('watched', { replicas: 6, tier: 'gold' }));
    try {
      for await (const ev of events) {
        if (ev.type === 'ADDED' && ev.object.metadata.name === 'watched') {
          expect(ev.object.apiVersion).toBe(`${group}/v1alpha1`);
          expect(ev.object.spec).toEqual({ size: '6', tier: 'gold' });
          break;
        }
      }
    } finally {
      stopWatch.abort();
    }
    await created;
  });

  test('a conversion webhook that is down fails reads at the other version', async () => {
    const port = await closedPort();
    const Broken = defineResource({
      group,
      kind: 'Broken',
      scope: 'Namespaced',
      versions: {
        v1alpha1: { spec: Type.Object({ a: Type.String() }) },
        v1: { spec: Type.Object({ a: Type.String() }) },
      },
      storage: 'v1',
      conversion: { v1alpha1: { toStorage: (o) => o, fromStorage: (o) => o } },
    });
    const crd = Broken.crd({
      url: `https://127.0.0.1:${port}/convert`,
      caBundle: webhook.caBundle!,
    });
    await installCrds(e2e.client, [crd]);
    e2e.onStop(() =>
      Api.cluster(e2e.client, resources.customResourceDefinitions)
        .delete(Broken.crdName)
        .catch(ignoreNotFound),
    );
    await Api.namespaced(e2e.client, Broken, ns).create(Broken.create('b', { a: 'x' }));
    const err = await apiErrorOf(Api.namespaced(e2e.client, Broken.versions.v1alpha1, ns).get('b'));
    // kube-apiserver's words, and a bare 500 (no reason, no details).
    expect(err.status).toEqual({
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message: `conversion webhook for ${group}/v1, Kind=Broken failed: Post "https://127.0.0.1:${port}/convert?timeout=30s": dial tcp 127.0.0.1:${port}: connect: connection refused`,
      code: 500,
    });
  });
});

describe('a converted resource is admitted and transformed at the request version', () => {
  test('webhooks get the object at the version their rules match; requestKind is the request version', async () => {
    versionsSeen.length = 0;
    await alphas.create(Gizmo.versions.v1alpha1.create('ver-a', { size: '3' }));
    expect([...versionsSeen].sort()).toEqual([
      `${exactName} v1alpha1 v1alpha1 ${group}/v1alpha1`,
      `${validateName} v1 v1alpha1 ${group}/v1`,
    ]);
    // A webhook matching v1alpha1 only (Exact) refuses a v1alpha1 write (that the v1
    // webhook allows: kube-apiserver reports the denial that comes first in time)…
    const err = await apiErrorOf(
      alphas.create(Gizmo.versions.v1alpha1.create('ver-b', { size: '9' })),
    );
    expect(err.status.message).toBe(
      `admission webhook "${exactName}" denied the request: size 9 is refused at v1alpha1`,
    );
    // …and is not called for a v1 write.
    versionsSeen.length = 0;
    await gizmos.create(Gizmo.create('ver-c', { replicas: 5 }));
    expect(versionsSeen).toEqual([`${validateName} v1 v1 ${group}/v1`]);
  });

  test("a mutating webhook's change at v1alpha1 is stored at v1", async () => {
    const out = await alphas.create(
      Gizmo.versions.v1alpha1.create('ver-d', { size: '3', tier: 'double' }),
    );
    expect(out.spec).toEqual({ size: '6', tier: 'double' });
    expect((await gizmos.get('ver-d')).spec).toEqual({ replicas: 6, tier: 'double' });
  });

  test('Table and PartialObjectMetadata answers at v1alpha1 are made from converted objects', async () => {
    const kc = e2e.backend.kubeConfig;
    const base = `/apis/${group}/v1alpha1/namespaces/${ns}/gizmos`;
    const table = 'application/json;as=Table;v=v1;g=meta.k8s.io';
    const one = await raw(kc, 'GET', `${base}/ver-d`, { accept: table });
    expect(one.status).toBe(200);
    expect(one.json().columnDefinitions.map((c: { name: string }) => c.name)).toEqual([
      'Name',
      'Size',
    ]);
    expect(one.json().rows.map((r: { cells: unknown[] }) => r.cells)).toEqual([['ver-d', '6']]);
    const all = await raw(kc, 'GET', base, {
      accept: table,
      query: { includeObject: 'Object' },
    });
    const row = all.json().rows.find((r: { cells: unknown[] }) => r.cells[0] === 'ver-d');
    expect(row.cells).toEqual(['ver-d', '6']);
    expect(row.object.apiVersion).toBe(`${group}/v1alpha1`);
    expect(row.object.spec).toEqual({ size: '6', tier: 'double' });
    const meta = await raw(kc, 'GET', `${base}/ver-d`, {
      accept: 'application/json;as=PartialObjectMetadata;v=v1;g=meta.k8s.io',
    });
    expect(meta.json().kind).toBe('PartialObjectMetadata');
    expect(meta.json().metadata.annotations[CONVERTED]).toBe('v1alpha1');
    const metas = await raw(kc, 'GET', base, {
      accept: 'application/json;as=PartialObjectMetadataList;v=v1;g=meta.k8s.io',
    });
    const item = metas
      .json()
      .items.find((i: { metadata: { name: string } }) => i.metadata.name === 'ver-d');
    expect(item.metadata.annotations[CONVERTED]).toBe('v1alpha1');
    // A watch at v1alpha1 in either form: its events are made from converted objects too.
    const watchOne = (accept: string) =>
      rawWatch(
        kc,
        base,
        { resourceVersion: '0', fieldSelector: 'metadata.name=ver-d' },
        (events) => events.some((e) => e.type === 'ADDED'),
        async () => {},
        30_000,
        accept,
      ).then(
        (events) =>
          events.find((e) => e.type === 'ADDED')?.object as {
            rows: { cells: unknown[] }[];
            metadata: { annotations: Record<string, string> };
          },
      );
    const tableEvent = await watchOne(table);
    expect(tableEvent).toMatchObject({ kind: 'Table' });
    expect(tableEvent.rows.map((r) => r.cells)).toEqual([['ver-d', '6']]);
    const metaEvent = await watchOne(
      'application/json;as=PartialObjectMetadata;v=v1;g=meta.k8s.io',
    );
    expect(metaEvent).toMatchObject({ kind: 'PartialObjectMetadata' });
    expect(metaEvent.metadata.annotations[CONVERTED]).toBe('v1alpha1');
    // At the storage version nothing is converted.
    const stored = await raw(kc, 'GET', `/apis/${group}/v1/namespaces/${ns}/gizmos/ver-d`, {
      accept: table,
    });
    expect(stored.json().rows[0].cells).toEqual(['ver-d', 6]);
  });
});

describe('admission on delete and timeouts', () => {
  test('a validating webhook for DELETE keeps a protected object', async () => {
    await gizmos.create(Gizmo.create('keep', { replicas: 1 }, { labels: { protected: 'true' } }));
    const err = await apiErrorOf(gizmos.delete('keep'));
    expect(err.code).toBe(403);
    expect(err.status.message).toBe(
      `admission webhook "${protectName}" denied the request: protected gizmos cannot be deleted`,
    );
    await gizmos.patch('keep', Patch.merge({ metadata: { labels: { protected: null } } }));
    await gizmos.delete('keep');
  });

  test('a webhook slower than timeoutSeconds fails the request with failurePolicy Fail', async () => {
    const cms = Api.namespaced(e2e.client, resources.configMaps, ns);
    const err = await apiErrorOf(
      cms.create({
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: { generateName: 'slow-', labels: { [LABEL]: `slow-${suffix}` } },
      }),
    );
    const url = `${webhook.url}/validate/${slowName}?timeout=1s`;
    expect(err.code).toBe(500);
    expect(err.status.message).toBe(
      `Internal error occurred: failed calling webhook "${slowName}": failed to call webhook: Post "${url}": context deadline exceeded`,
    );
  });
});

/** A port nothing listens on. */
async function closedPort(): Promise<number> {
  const srv = createServer();
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', () => r()));
  const { port } = srv.address() as { port: number };
  await new Promise<void>((r) => srv.close(() => r()));
  return port;
}

function downConfig(
  name: string,
  port: number,
  failurePolicy: 'Fail' | 'Ignore',
  label: string,
  caBundle: string,
) {
  const config: ValidatingWebhookConfiguration = {
    apiVersion: 'admissionregistration.k8s.io/v1',
    kind: 'ValidatingWebhookConfiguration',
    metadata: { name },
    webhooks: [
      {
        name,
        clientConfig: { url: `https://127.0.0.1:${port}/validate/${name}`, caBundle },
        rules: [
          {
            operations: ['CREATE'],
            apiGroups: [''],
            apiVersions: ['v1'],
            resources: ['configmaps'],
          },
        ],
        failurePolicy,
        sideEffects: 'None',
        timeoutSeconds: 5,
        admissionReviewVersions: ['v1'],
        objectSelector: { matchLabels: { 'e2e.kube-ts.dev/webhook': label } },
      },
    ],
  };
  return config;
}

describe('failurePolicy when the webhook is down', () => {
  test('Ignore lets the request through, Fail rejects it with the call error', async () => {
    const port = await closedPort();
    const { validating } = configs();
    const caBundle = webhook.caBundle!;
    const ignore = `ignore.configmaps.${group}`;
    const fail = `fail.configmaps.${group}`;
    await createCluster(
      e2e,
      validating,
      downConfig(ignore, port, 'Ignore', `ignore-${suffix}`, caBundle),
    );
    await createCluster(
      e2e,
      validating,
      downConfig(fail, port, 'Fail', `fail-${suffix}`, caBundle),
    );
    const cms = Api.namespaced(e2e.client, resources.configMaps, ns);
    const cm = (prefix: string, label: string) => ({
      apiVersion: 'v1' as const,
      kind: 'ConfigMap' as const,
      metadata: { generateName: prefix, labels: { 'e2e.kube-ts.dev/webhook': label } },
    });
    const err = await vi.waitFor(async () => {
      const e = await apiErrorOf(cms.create(cm('fail-', `fail-${suffix}`)));
      expect(e.code).toBe(500);
      return e;
    }, EVENTUALLY);
    const url = `https://127.0.0.1:${port}/validate/${fail}?timeout=5s`;
    const why = `failed calling webhook "${fail}": failed to call webhook: Post "${url}": dial tcp 127.0.0.1:${port}: connect: connection refused`;
    expect(err.reason).toBe('InternalError');
    expect(err.status.message).toBe(`Internal error occurred: ${why}`);
    expect(err.details?.causes).toEqual([{ message: why }]);
    const through = await cms.create(cm('ignore-', `ignore-${suffix}`));
    expect(through.metadata?.name).toMatch(/^ignore-/);
  });
});

describe('certificate rotation', () => {
  test('a rotated serving certificate is used without restarting the webhook server', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'kube-ts-e2e-webhook-'));
    e2e.onStop(() => rm(dir, { recursive: true, force: true }));
    const first = await generateCertificates();
    const second = await generateCertificates();
    const certFile = join(dir, 'tls.crt');
    const keyFile = join(dir, 'tls.key');
    await writeFile(certFile, first.cert);
    await writeFile(keyFile, first.key);
    const name = `rotate.configmaps.${group}`;
    const rotating = new WebhookServer({
      name,
      host: '127.0.0.1',
      port: 0,
      logger,
      tls: { certFile, keyFile, reloadIntervalMs: 100 },
    }).validating({ name, resource: resources.configMaps, operations: ['CREATE'] }, () =>
      deny('rotation check reached the webhook'),
    );
    const halt = new AbortController();
    const running = rotating.start(halt.signal);
    e2e.onStop(async () => {
      halt.abort();
      await running;
    });
    await rotating.whenListening();
    const label = `rotate-${suffix}`;
    const { validating } = configs();
    // The API server trusts only the second CA: until rotation the call fails the TLS check.
    const config = downConfig(name, rotating.port, 'Fail', label, caBundleOf(second.caCert));
    await createCluster(e2e, validating, config);
    const cms = Api.namespaced(e2e.client, resources.configMaps, ns);
    const cm = {
      apiVersion: 'v1' as const,
      kind: 'ConfigMap' as const,
      metadata: { generateName: 'rot-', labels: { 'e2e.kube-ts.dev/webhook': label } },
    };
    // Polled until the call fails on the certificate itself: until the API server has the
    // configuration the create goes through, and on a loaded machine a call can also time
    // out (a 500 too, but not the one this test is about).
    await vi.waitFor(async () => {
      const e = await apiErrorOf(cms.create(cm));
      expect(e.code).toBe(500);
      expect(e.message).toContain(`failed calling webhook "${name}"`);
      expect(e.message).toMatch(/x509|certificate/);
    }, EVENTUALLY);
    await writeFile(certFile, second.cert);
    await writeFile(keyFile, second.key);
    const after = await vi.waitFor(async () => {
      const e = await apiErrorOf(cms.create(cm));
      expect(e.code).toBe(403);
      return e;
    }, EVENTUALLY);
    expect(after.status.message).toBe(
      `admission webhook "${name}" denied the request: rotation check reached the webhook`,
    );
  });
});
