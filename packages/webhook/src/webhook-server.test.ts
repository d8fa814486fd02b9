import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { KubeObject } from '@kube-ts/core';
import type { AdmissionReview } from '@kube-ts/k8s/admission/v1';
import type { ConversionReview } from '@kube-ts/k8s/apiextensions/v1';
import type { RawExtension } from '@kube-ts/k8s/meta/v1';
import { defineResource } from '@kube-ts/schema';
import { Type } from '@sinclair/typebox';
import fastJsonPatch from 'fast-json-patch';
import { type Logger, pino } from 'pino';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { allow, deny, mutate } from './admission.js';
import { generateCertificates } from './certificates.js';
import { pemOf, send } from './fixtures/https-client.test-helper.js';
import type { TlsOptions } from './tls-source.js';
import { WebhookServer } from './webhook-server.js';

const silent = pino({ level: 'silent' });
const Gizmo = defineResource({
  group: 'example.com',
  kind: 'Gizmo',
  scope: 'Namespaced',
  versions: {
    v1alpha1: { spec: Type.Object({ size: Type.String() }) },
    v1: { spec: Type.Object({ replicas: Type.Integer(), tier: Type.String() }) },
  },
  storage: 'v1',
  conversion: {
    v1alpha1: {
      toStorage: (o) => ({ ...o, spec: { replicas: Number(o.spec.size), tier: 'standard' } }),
      fromStorage: (o) => ({ ...o, spec: { size: String(o.spec.replicas) } }),
    },
  },
});
const configMaps = {
  group: '',
  version: 'v1',
  kind: 'ConfigMap',
  plural: 'configmaps',
  namespaced: true,
};
type ConfigMap = KubeObject & { data?: Record<string, string> };

const running: { stop: AbortController; done: Promise<void> }[] = [];
afterEach(async () => {
  for (const r of running.splice(0)) {
    r.stop.abort();
    await r.done;
  }
});

/** How long a certificate reload may take on a loaded machine (the files are checked every 50 ms). */
const RELOAD = { timeout: 30_000, interval: 50 } as const;

async function serve(
  setup: (s: WebhookServer) => void,
  tls?: TlsOptions,
  logger: Logger = silent,
): Promise<{ server: WebhookServer; caPem: string; stop: AbortController; done: Promise<void> }> {
  const server = new WebhookServer({
    port: 0,
    host: '127.0.0.1',
    logger,
    tls,
    drainTimeoutMs: 2000,
  });
  setup(server);
  const stop = new AbortController();
  const done = server.start(stop.signal);
  running.push({ stop, done });
  await server.whenListening();
  return { server, caPem: pemOf(server.caBundle), stop, done };
}

function review(
  operation: string,
  object: ConfigMap | null,
  oldObject: ConfigMap | null = null,
): AdmissionReview {
  return {
    apiVersion: 'admission.k8s.io/v1',
    kind: 'AdmissionReview',
    request: {
      uid: 'uid-1',
      kind: { group: '', version: 'v1', kind: 'ConfigMap' },
      resource: { group: '', version: 'v1', resource: 'configmaps' },
      name: 'cm',
      namespace: 'default',
      operation: operation as 'CREATE',
      userInfo: { username: 'alice', groups: ['dev'] },
      // null on the wire where there is no object (the generated type has no null).
      object: object as unknown as RawExtension,
      oldObject: oldObject as unknown as RawExtension,
      dryRun: true,
    },
  };
}

const cm = (data: Record<string, string>): ConfigMap => ({
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name: 'cm', namespace: 'default' },
  data,
});

describe('WebhookServer: admission', () => {
  it('gives a validating handler the typed request and answers allowed or denied with message and warnings', async () => {
    const seen: unknown[] = [];
    const { server, caPem } = await serve((s) =>
      s.validating<ConfigMap>(
        {
          name: 'validate.configmaps.example.com',
          resource: configMaps,
          operations: ['CREATE', 'UPDATE'],
        },
        (ctx) => {
          seen.push({
            op: ctx.operation,
            user: ctx.userInfo.username,
            dryRun: ctx.dryRun,
            old: ctx.oldObject?.data,
          });
          if (ctx.object?.data?.color === 'red')
            return deny('red is not allowed', { warnings: ['pick blue'] });
          return allow(['looks fine']);
        },
      ),
    );
    const url = `${server.url}/validate/validate.configmaps.example.com`;
    const ok = await send(url, {
      caPem,
      body: review('UPDATE', cm({ color: 'blue' }), cm({ color: 'green' })),
    });
    expect(ok.status).toBe(200);
    expect(JSON.parse(ok.body)).toEqual({
      apiVersion: 'admission.k8s.io/v1',
      kind: 'AdmissionReview',
      response: { uid: 'uid-1', allowed: true, warnings: ['looks fine'] },
    });
    const no = JSON.parse(
      (await send(url, { caPem, body: review('CREATE', cm({ color: 'red' })) })).body,
    );
    expect(no.response).toEqual({
      uid: 'uid-1',
      allowed: false,
      status: { status: 'Failure', code: 403, reason: 'Forbidden', message: 'red is not allowed' },
      warnings: ['pick blue'],
    });
    expect(seen).toEqual([
      { op: 'UPDATE', user: 'alice', dryRun: true, old: { color: 'green' } },
      { op: 'CREATE', user: 'alice', dryRun: true, old: undefined },
    ]);
  });

  it('computes the JSON Patch from the object a mutating handler returns', async () => {
    const { server, caPem } = await serve((s) =>
      s
        .mutating<ConfigMap>(
          { name: 'default.configmaps.example.com', resource: configMaps },
          (ctx) => {
            const o = ctx.object!;
            o.data = { ...o.data, size: o.data?.size ?? 'M' };
            o.metadata = { ...o.metadata, labels: { defaulted: 'true' } };
            return o;
          },
        )
        .mutating<ConfigMap>({ name: 'noop.configmaps.example.com', resource: configMaps }, (ctx) =>
          mutate(ctx.object!, ['unchanged']),
        ),
    );
    const original = cm({ color: 'blue' });
    const res = JSON.parse(
      (
        await send(`${server.url}/mutate/default.configmaps.example.com`, {
          caPem,
          body: review('CREATE', original),
        })
      ).body,
    );
    expect(res.response.patchType).toBe('JSONPatch');
    const ops = JSON.parse(Buffer.from(res.response.patch, 'base64').toString('utf8'));
    const patched = fastJsonPatch.applyPatch(structuredClone(original), ops).newDocument;
    expect(patched).toEqual({
      ...original,
      metadata: { ...original.metadata, labels: { defaulted: 'true' } },
      data: { color: 'blue', size: 'M' },
    });
    const noop = JSON.parse(
      (
        await send(`${server.url}/mutate/noop.configmaps.example.com`, {
          caPem,
          body: review('CREATE', original),
        })
      ).body,
    );
    expect(noop.response).toEqual({ uid: 'uid-1', allowed: true, warnings: ['unchanged'] });
  });

  it('denies with a 500 and the message when a handler throws; answers bad requests with 4xx', async () => {
    const { server, caPem } = await serve((s) =>
      s.validating({ name: 'boom.configmaps.example.com', resource: configMaps }, () => {
        throw new Error('database unavailable');
      }),
    );
    const url = `${server.url}/validate/boom.configmaps.example.com`;
    const res = JSON.parse((await send(url, { caPem, body: review('CREATE', cm({})) })).body);
    expect(res.response).toEqual({
      uid: 'uid-1',
      allowed: false,
      status: {
        status: 'Failure',
        code: 500,
        reason: 'InternalError',
        message: 'boom.configmaps.example.com: database unavailable',
      },
    });
    const bad = await send(url, {
      caPem,
      body: { apiVersion: 'admission.k8s.io/v1beta1', kind: 'AdmissionReview' },
    });
    expect(bad.status).toBe(400);
    expect(bad.body).toContain('set admissionReviewVersions: ["v1"]');
    expect((await send(url, { caPem, body: {}, contentType: 'text/plain' })).status).toBe(415);
    expect((await send(`${server.url}/nowhere`, { caPem, body: {} })).status).toBe(404);
    expect((await send(url, { caPem })).status).toBe(405);
    const health = await send(`${server.url}/healthz`, { caPem });
    expect([health.status, health.body]).toEqual([200, 'ok']);
  });

  it('refuses invalid registrations with every problem named', () => {
    const s = new WebhookServer({ logger: silent });
    expect(() =>
      s.validating(
        { name: 'short.name', resource: configMaps, timeoutSeconds: 31, path: 'x' },
        () => allow(),
      ),
    ).toThrow(
      /name "short.name" must be a lowercase fully qualified name.*; timeoutSeconds 31 must be an integer from 1 to 30; path "x" must start with \//,
    );
    expect(() =>
      s.validating(
        {
          name: 'c.b.example.com',
          resource: configMaps,
          matchConditions: [
            { name: 'same', expression: 'true' },
            { name: 'same', expression: 'true' },
            { name: '-bad', expression: ' ' },
          ],
        },
        () => allow(),
      ),
    ).toThrow(
      'matchConditions name "same" is used twice; matchConditions name "-bad" must be a qualified name; matchConditions "-bad" needs an expression',
    );
    s.validating({ name: 'a.b.example.com', resource: configMaps }, () => allow());
    expect(() =>
      s.validating({ name: 'a.b.example.com', resource: configMaps }, () => allow()),
    ).toThrow(/already registered/);
    expect(() => s.conversion({ kind: 'X' } as never)).toThrow(/X has no converters/);
  });
});

describe('WebhookServer: conversion', () => {
  it('converts every object of a ConversionReview through the storage version, or fails the whole review', async () => {
    const { server, caPem } = await serve((s) => s.conversion(Gizmo));
    const alpha = {
      apiVersion: 'example.com/v1alpha1',
      kind: 'Gizmo',
      metadata: { name: 'g', namespace: 'default' },
      spec: { size: '2' },
    };
    const body: ConversionReview = {
      apiVersion: 'apiextensions.k8s.io/v1',
      kind: 'ConversionReview',
      request: { uid: 'c1', desiredAPIVersion: 'example.com/v1', objects: [alpha] },
    };
    const res = JSON.parse((await send(`${server.url}/convert`, { caPem, body })).body);
    expect(res.response).toEqual({
      uid: 'c1',
      result: { status: 'Success' },
      convertedObjects: [
        { ...alpha, apiVersion: 'example.com/v1', spec: { replicas: 2, tier: 'standard' } },
      ],
    });
    body.request!.objects.push({ apiVersion: 'example.com/v1alpha1', kind: 'Other', metadata: {} });
    const failed = JSON.parse((await send(`${server.url}/convert`, { caPem, body })).body);
    expect(failed.response).toEqual({
      uid: 'c1',
      convertedObjects: [],
      result: {
        status: 'Failure',
        message:
          'no conversion is registered for Other.example.com; register it with webhook.conversion(resource)',
      },
    });
    body.request!.objects.splice(1, 1, null);
    const nulled = JSON.parse((await send(`${server.url}/convert`, { caPem, body })).body);
    expect(nulled.response.result).toEqual({
      status: 'Failure',
      message: 'the ConversionReview request holds an object that is not a JSON object',
    });
  });
});

describe('WebhookServer: certificates and shutdown', () => {
  it('serves a rotated certificate pair from disk without a restart', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'kube-ts-webhook-'));
    try {
      const first = await generateCertificates();
      const certFile = join(dir, 'tls.crt');
      const keyFile = join(dir, 'tls.key');
      const caFile = join(dir, 'ca.crt');
      await writeFile(certFile, first.cert);
      await writeFile(keyFile, first.key);
      await writeFile(caFile, first.caCert);
      const warnings: string[] = [];
      const { server } = await serve(
        () => {},
        { certFile, keyFile, caFile, reloadIntervalMs: 50 },
        pino({ level: 'warn' }, { write: (line: string) => warnings.push(line) }),
      );
      const health = () => send(`${server.url}/healthz`, { caPem: first.caCert });
      const before = await health();
      expect(before.status).toBe(200);
      const second = await generateCertificates();
      // A half-written rotation (new cert, old key) is not used: the reloader reads it,
      // refuses it and keeps serving the old pair.
      await writeFile(certFile, second.cert);
      await vi.waitFor(
        () => expect(warnings.join('')).toContain('the private key does not match'),
        RELOAD,
      );
      expect((await health()).serial).toBe(before.serial);
      await writeFile(keyFile, second.key);
      await writeFile(caFile, second.caCert);
      // The key and the CA are two writes: a check between them serves the new pair with
      // the old CA, and the next one picks up the CA. Wait for both.
      await vi.waitFor(async () => {
        expect(server.caBundle).toBe(Buffer.from(second.caCert).toString('base64'));
        expect((await send(`${server.url}/healthz`, { caPem: second.caCert })).status).toBe(200);
      }, RELOAD);
      await expect(health()).rejects.toThrow(/certificate/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }, 60_000);

  it('lets a request in flight finish on shutdown and refuses new connections', async () => {
    let release!: () => void;
    const gate = new Promise<void>((r) => {
      release = r;
    });
    let entered!: () => void;
    const inHandler = new Promise<void>((r) => {
      entered = r;
    });
    const { server, caPem, stop, done } = await serve((s) =>
      s.validating({ name: 'slow.configmaps.example.com', resource: configMaps }, async () => {
        entered();
        await gate;
        return deny('late but answered');
      }),
    );
    const url = server.url;
    const pending = send(`${url}/validate/slow.configmaps.example.com`, {
      caPem,
      body: review('CREATE', cm({})),
    });
    await inHandler;
    stop.abort();
    // The listener closes as the drain starts: new connections are refused from then on.
    await vi.waitFor(
      () => expect(send(`${url}/healthz`, { caPem })).rejects.toThrow(/ECONNREFUSED/),
      RELOAD,
    );
    release();
    const res = await pending;
    expect(JSON.parse(res.body).response.status.message).toBe('late but answered');
    await done;
    expect(server.isReady()).toBe(false);
  }, 60_000);

  it('fails start with the file names when the certificate files cannot be used', async () => {
    const server = new WebhookServer({
      port: 0,
      host: '127.0.0.1',
      logger: silent,
      tls: { certFile: '/nonexistent/tls.crt', keyFile: '/nonexistent/tls.key' },
    });
    await expect(server.start(new AbortController().signal)).rejects.toThrow(
      /webhook TLS: cannot use certFile \/nonexistent\/tls.crt with keyFile \/nonexistent\/tls.key: ENOENT/,
    );
    await expect(server.whenListening()).rejects.toThrow(/ENOENT/);
  });
});
