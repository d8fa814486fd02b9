/**
 * Differential: API Priority and Fairness's work estimator. A priority level of one share
 * that lends and borrows nothing has 3 seats (see flowcontrol-limits); with `Reject`, a
 * request is refused at once when its estimated seats are not free. A ConfigMap create of
 * the level's user, held by an admission webhook until the test releases it, takes one
 * seat, so two are free: a request estimated at three or more is refused, one at two or
 * fewer is served. Five custom resources of about 45.5 kB each (as stored) make a LIST of
 * them all about 228 kB, 3 seats (once the storage's object counts, polled every 2 s here,
 * show them), a LIST of three of them 2 seats; a watch that lists first costs a LIST, one
 * from a resourceVersion one seat; a create with 25 watches of its resource holds
 * ceil(25 / 10) = 3 seats; a LIST of a resource whose CRD is gone is estimated by its
 * last counts until they are three minutes old, then as the most objects of the largest
 * size (more seats than the level has): that CRD goes first of all, so the other tests
 * run while its counts age (kube-apiserver's three minutes are fixed; MemoryApiServer
 * takes a shorter threshold). Built-in objects are sized as the protobuf etcd
 * holds: five PodTemplates of about 45 kB in protobuf (90 kB in JSON) make a LIST of four
 * 2 seats. Counts and sizes are compared only through these thresholds, with margins
 * wider than the two servers' encodings differ.
 */
import * as http from 'node:http';
import * as https from 'node:https';
import { afterAll, beforeAll, describe, expect, test, vi } from 'vitest';
import {
  createTinyLevel,
  type HoldingWebhook,
  holdingWebhook,
  webhookLoaded,
} from './apf-fixtures.js';
import { CRDS, installCrd, namespacedCrd } from './crd-install.js';
import { raw } from './raw-http.js';
import { type E2eContext, EVENTUALLY, startE2e } from './support.js';

let e2e: E2eContext;
let ns: string;
const GROUP = 'apf-work.e2e.kube-ts.dev';
/**
 * How old object counts get before they are stale: kube-apiserver's fixed three minutes,
 * MemoryApiServer's `objectCountStaleSeconds` here (long enough for the first test).
 */
const MEMORY_STALE_SECONDS = 30;
const staleSeconds = () => (e2e.backend.name === 'memory' ? MEMORY_STALE_SECONDS : 180);
/** A custom resource whose CRD is deleted before the tests, and when it was gone. */
let gizmos: string;
let gizmosGoneAt: number;
const USER = 'e2e-apf-work';
const admin = () => e2e.backend.kubeConfig;
const widgets = () => `/apis/${GROUP}/v1/namespaces/${ns}/widgets`;
/** Names of the objects the webhook was asked about. */
let reviewed: string[];
let webhook: HoldingWebhook;
const PAYLOAD = 'x'.repeat(45_000);

beforeAll(async () => {
  e2e = await startE2e({
    countMetricPollPeriodSeconds: 2,
    memoryObjectCountStaleSeconds: MEMORY_STALE_SECONDS,
  });
  ns = await e2e.namespace('e2e-apf-work');
  // First, so that its counts age while the other tests run.
  gizmos = `/apis/${GROUP}/v1/namespaces/${ns}/gizmos`;
  const gizmo = namespacedCrd(GROUP, 'Gizmo', {
    schema: { openAPIV3Schema: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true } },
  });
  await installCrd(e2e, gizmo, gizmos);
  const deleted = await raw(admin(), 'DELETE', `${CRDS}/${gizmo.metadata.name}`);
  expect(deleted.status, deleted.text).toBe(200);
  // vi.waitFor, as expect.poll works only inside a test.
  await vi.waitFor(
    async () => expect((await raw(admin(), 'GET', gizmos)).status).toBe(404),
    EVENTUALLY,
  );
  gizmosGoneAt = Date.now();
  webhook = await holdingWebhook(e2e, ns);
  reviewed = webhook.reviewed;
  const openAPIV3Schema = {
    type: 'object',
    properties: { spec: { type: 'object', properties: { data: { type: 'string' } } } },
  };
  await installCrd(e2e, namespacedCrd(GROUP, 'Widget', { schema: { openAPIV3Schema } }), widgets());
}, 120_000);

afterAll(async () => {
  await e2e?.stop();
});

/** The level and the five widgets, made once (in a test: it polls). */
let prepared: Promise<void> | undefined;
function prepare(): Promise<void> {
  prepared ??= (async () => {
    await webhookLoaded(e2e, ns, reviewed);
    await createTinyLevel(e2e, ns, {
      name: `${ns}-work`,
      users: [USER],
      limitResponse: { type: 'Reject' },
      limited: { lendablePercent: 0, borrowingLimitPercent: 0 },
      rules: [
        { apiGroups: [''], resources: ['configmaps'], verbs: ['create', 'list'] },
        { apiGroups: [''], resources: ['podtemplates'], verbs: ['list'] },
        { apiGroups: [GROUP], resources: ['widgets'], verbs: ['create', 'list', 'watch'] },
      ],
    });
    for (let i = 0; i < 5; i++) {
      const created = await raw(admin(), 'POST', widgets(), {
        body: {
          apiVersion: `${GROUP}/v1`,
          kind: 'Widget',
          metadata: { name: `w-${i}` },
          spec: { data: PAYLOAD },
        },
      });
      expect(created.status, created.text).toBe(201);
    }
  })();
  return prepared;
}

/** A request of USER. */
function asUser(method: string, path: string, query: Record<string, string> = {}, body?: object) {
  return raw(admin(), method, path, {
    query,
    headers: { 'Impersonate-User': USER },
    ...(body ? { body } : {}),
  });
}

/**
 * Runs `check` while a ConfigMap create of USER holds one of the level's three seats (its
 * webhook review held until `check` ends).
 */
async function withOneSeatHeld(check: () => Promise<void>): Promise<void> {
  const name = `held-${reviewed.length}-${Date.now()}`;
  const create = asUser('POST', `/api/v1/namespaces/${ns}/configmaps`, {}, { metadata: { name } });
  try {
    await expect.poll(() => reviewed.includes(name), EVENTUALLY).toBe(true);
    await check();
  } finally {
    webhook.release();
  }
  expect((await create).status).toBe(201);
}

/** Opens `count` watches of `path` as the admin (exempt); resolves once all have started. */
async function openWatches(path: string, count: number): Promise<() => void> {
  const server = admin().getCurrentCluster()?.server;
  if (!server) throw new Error('the kubeconfig has no current cluster');
  const requests: http.ClientRequest[] = [];
  const started = Array.from({ length: count }, async () => {
    const url = new URL(path, server);
    url.searchParams.set('watch', '1');
    const opts: http.RequestOptions = { method: 'GET', headers: {} };
    await admin().applyToHTTPSOptions(opts);
    await new Promise<void>((resolve, reject) => {
      const lib = url.protocol === 'https:' ? https : http;
      const req = lib.request(url, opts, (res) => {
        if (res.statusCode === 200) resolve();
        else reject(new Error(`watch ${path}: HTTP ${res.statusCode}`));
        res.resume();
      });
      req.on('error', () => {});
      requests.push(req);
      req.end();
    });
  });
  await Promise.all(started);
  return () => {
    for (const req of requests) req.destroy();
  };
}

describe('API Priority and Fairness work estimates', () => {
  test('a LIST of a resource whose CRD is gone is estimated by its last counts while they are fresh', async () => {
    await prepare();
    expect(Date.now() - gizmosGoneAt).toBeLessThan(staleSeconds() * 1000);
    // One seat (the user may not list it: 403).
    await withOneSeatHeld(async () => {
      expect((await asUser('GET', gizmos)).status).toBe(403);
    });
  });

  test('a LIST takes seats by the size of the objects it may load, as last counted', async () => {
    await prepare();
    await withOneSeatHeld(async () => {
      // The counts catch up with the five widgets within a poll period or two.
      await expect.poll(async () => (await asUser('GET', widgets())).status, EVENTUALLY).toBe(429);
      const three = await asUser('GET', widgets(), { limit: '3' });
      expect(three.status, three.text).toBe(200);
      expect(three.json().items).toHaveLength(3);
      expect((await asUser('GET', widgets(), { limit: '5' })).status).toBe(429);
      // One named object: one seat.
      const named = await asUser('GET', widgets(), { fieldSelector: 'metadata.name=w-0' });
      expect(named.status, named.text).toBe(200);
      expect(named.json().items).toHaveLength(1);
      // A read from etcd at a resourceVersion: by its limit too.
      const rv = three.json().metadata.resourceVersion as string;
      const exact = await asUser('GET', widgets(), {
        limit: '3',
        resourceVersion: rv,
        resourceVersionMatch: 'Exact',
      });
      expect(exact.status, exact.text).toBe(200);
      // A limit that is no integer: the most seats, before the handler's 400.
      expect((await asUser('GET', widgets(), { limit: 'x' })).status).toBe(429);
      // Other resources are small.
      expect((await asUser('GET', `/api/v1/namespaces/${ns}/configmaps`)).status).toBe(200);
    });
    // With nothing of the level running, a request wider than the free seats is served.
    expect((await asUser('GET', widgets())).status).toBe(200);
    const bad = await asUser('GET', widgets(), { limit: 'x' });
    expect(bad.status, bad.text).toBe(400);
  });

  test('a LIST of built-in objects is sized by their protobuf, not their JSON', async () => {
    await prepare();
    const templates = `/api/v1/namespaces/${ns}/podtemplates`;
    for (let i = 0; i < 5; i++) {
      const created = await raw(admin(), 'POST', templates, {
        body: {
          apiVersion: 'v1',
          kind: 'PodTemplate',
          // A quote is one byte in protobuf, two in JSON.
          metadata: { name: `t-${i}`, annotations: { quotes: '"'.repeat(45_000) } },
          template: { spec: { containers: [{ name: 'c', image: 'busybox' }] } },
        },
      });
      expect(created.status, created.text).toBe(201);
    }
    await withOneSeatHeld(async () => {
      // Five: about 226 kB, 3 seats, once the counts show them.
      await expect.poll(async () => (await asUser('GET', templates)).status, EVENTUALLY).toBe(429);
      // Four: about 181 kB, 2 seats (as JSON, 361 kB, it would be refused).
      const four = await asUser('GET', templates, { limit: '4' });
      expect(four.status, four.text).toBe(200);
      expect(four.json().items).toHaveLength(4);
    });
  });

  test('a watch that sends the existing objects first takes a LIST’s seats', async () => {
    await prepare();
    await withOneSeatHeld(async () => {
      await expect.poll(async () => (await asUser('GET', widgets())).status, EVENTUALLY).toBe(429);
      const list = await asUser('GET', widgets(), { limit: '1' });
      const rv = list.json().metadata.resourceVersion as string;
      const watch = (query: Record<string, string>) =>
        asUser('GET', widgets(), { watch: '1', timeoutSeconds: '1', ...query });
      expect((await watch({ resourceVersion: rv })).status).toBe(200);
      expect((await watch({})).status).toBe(429);
      expect((await watch({ resourceVersion: '0' })).status).toBe(429);
      const streaming = await watch({
        resourceVersion: rv,
        sendInitialEvents: 'true',
        resourceVersionMatch: 'NotOlderThan',
        allowWatchBookmarks: 'true',
      });
      expect(streaming.status).toBe(429);
    });
  });

  test('a create holds a seat for every ten watches of its resource', async () => {
    await prepare();
    const widget = (name: string) => ({
      apiVersion: `${GROUP}/v1`,
      kind: 'Widget',
      metadata: { name },
    });
    await withOneSeatHeld(async () => {
      const alone = await asUser('POST', widgets(), {}, widget('alone'));
      expect(alone.status, alone.text).toBe(201);
      const close = await openWatches(widgets(), 25);
      try {
        expect((await asUser('POST', widgets(), {}, widget('watched'))).status).toBe(429);
      } finally {
        close();
      }
      // The server forgets the watches once it sees them closed.
      await expect
        .poll(async () => (await asUser('POST', widgets(), {}, widget('after'))).status, EVENTUALLY)
        .toBe(201);
    });
  });
  test('a LIST of a resource whose CRD is gone takes the most seats once its counts are stale', async () => {
    await prepare();
    // The threshold after its last count (taken before the CRD went), and a margin: the
    // most objects of the largest size, more seats than the level has.
    const staleAt = gizmosGoneAt + staleSeconds() * 1000 + 2_000;
    await new Promise((r) => setTimeout(r, Math.max(0, staleAt - Date.now())));
    await withOneSeatHeld(async () => {
      expect((await asUser('GET', gizmos)).status).toBe(429);
    });
  }, 300_000);
});
