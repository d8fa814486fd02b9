/**
 * The client's per-call control (timeouts and aborts on every method family), its error
 * helpers on the backend's own Status bodies, the message for a resource that is not
 * served, the subresource helpers (TokenRequest + TokenReview, eviction, logs) and
 * metadata-only reads, watches and `owns`.
 */
import { Api, Client, Patch, RequestTimeoutError, ResourceNotServedError } from '@kube-ts/client';
import {
  type ApiResource,
  isAlreadyExists,
  isConflict,
  isForbidden,
  isInvalid,
  isNotFound,
  isServerTimeout,
  isTooManyRequests,
  isUnauthorized,
  type KubeObject,
  ownerRefTo,
  type PartialObjectMetadata,
  resources,
} from '@kube-ts/core';
import type { ConfigMap, Pod } from '@kube-ts/k8s/core/v1';
import { Action, Controller, type ReconcileInfo, Reconciler } from '@kube-ts/runtime';
import { KubeConfig } from '@kubernetes/client-node/dist/config.js';
import type { Subscription } from 'rxjs';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { faultProxy } from './fault-proxy.js';
import { apiErrorOf, type E2eContext, EVENTUALLY, startE2e } from './support.js';

let e2e: E2eContext;
let ns: string;
let configMaps: Api<ConfigMap>;

beforeAll(async () => {
  e2e = await startE2e();
  ns = await e2e.namespace('e2e-calls');
  configMaps = Api.namespaced(e2e.client, resources.configMaps, ns);
  await configMaps.create({ metadata: { name: 'exists' }, data: { a: '1' } });
});

afterAll(async () => {
  await e2e?.stop();
});

/** One call of every method family, with per-call options. */
function families(
  client: Client,
  namespace: string,
  o: { signal?: AbortSignal; timeoutMs?: number },
): Record<string, () => Promise<unknown>> {
  const cms = Api.namespaced(client, resources.configMaps, namespace);
  const deployments = Api.namespaced(client, resources.deployments, namespace);
  const pods = Api.namespaced(client, resources.pods, namespace);
  const sas = Api.namespaced(client, resources.serviceAccounts, namespace);
  const cm: ConfigMap = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'exists' } };
  const drain = async (it: AsyncIterable<unknown>) => {
    for await (const _ of it) {
      /* consume */
    }
  };
  return {
    get: () => cms.get('exists', o),
    getOpt: () => cms.getOpt('exists', o),
    list: () => cms.list(o),
    listPages: () => drain(cms.listPages({ ...o, limit: 1 })),
    create: () => cms.create({ metadata: { name: 'new-one' } }, o),
    replace: () => cms.replace('exists', cm, o),
    patch: () => cms.patch('exists', Patch.merge({ data: { b: '2' } }), o),
    apply: () => cms.apply('exists', cm, { ...o, fieldManager: 'e2e' }),
    delete: () => cms.delete('no-such', o),
    status: () => deployments.getStatus('no-such', o),
    scale: () => deployments.getScale('no-such', o),
    subresource: () => sas.subresource('default', 'token').create({}, o),
    token: () => sas.token('default', {}, o),
    evict: () => pods.evict('no-such', o),
    logs: () => pods.logs('no-such', o),
    metadata: () => cms.metadata().get('exists', o),
    watch: () => drain(cms.watch({ ...o, resourceVersion: '0' })),
  };
}

describe('per-call timeout and abort', () => {
  test('against a server that never answers: timeoutMs is a RequestTimeoutError for every family', async () => {
    const proxy = await faultProxy(e2e.backend.kubeConfig);
    proxy.hang(true);
    const client = Client.fromKubeConfig(proxy.kubeConfig, { retry: { maxRetries: 0 } });
    try {
      for (const [name, call] of Object.entries(families(client, ns, { timeoutMs: 300 }))) {
        const started = Date.now();
        const err = await call().then(
          () => undefined,
          (e: unknown) => e,
        );
        expect(err, name).toBeInstanceOf(RequestTimeoutError);
        expect((err as RequestTimeoutError).timeoutMs, name).toBe(300);
        expect(Date.now() - started, name).toBeLessThan(5_000);
      }
    } finally {
      client.close();
      await proxy.close();
    }
  });

  test("against a server that never answers: abort rejects with the signal's reason (a watch ends)", async () => {
    const proxy = await faultProxy(e2e.backend.kubeConfig);
    proxy.hang(true);
    const client = Client.fromKubeConfig(proxy.kubeConfig, { retry: { maxRetries: 0 } });
    try {
      for (const name of Object.keys(families(client, ns, {}))) {
        const ac = new AbortController();
        const reason = new Error(`cancelled ${name}`);
        const running = families(client, ns, { signal: ac.signal })[name]!().then(
          () => 'ended',
          (e: unknown) => e,
        );
        setTimeout(() => ac.abort(reason), 50);
        expect(await running, name).toBe(name === 'watch' ? 'ended' : reason);
      }
      const timedOut = await Api.namespaced(client, resources.configMaps, ns)
        .list({ signal: AbortSignal.timeout(100) })
        .catch((e: unknown) => e);
      expect(timedOut).toBeInstanceOf(RequestTimeoutError);
    } finally {
      client.close();
      await proxy.close();
    }
  });

  test('a watch whose connection freezes after it started outlives its header timeout; abort ends it', async () => {
    const proxy = await faultProxy(e2e.backend.kubeConfig);
    const client = Client.fromKubeConfig(proxy.kubeConfig);
    try {
      const ac = new AbortController();
      const watch = Api.namespaced(client, resources.configMaps, ns).watch({
        signal: ac.signal,
        timeoutMs: 2_000,
      });
      const seen: string[] = [];
      const done = (async () => {
        for await (const event of watch) {
          if (event.type !== 'ERROR') seen.push(event.object.metadata?.name ?? '');
          if (seen.includes('exists')) proxy.freeze();
        }
      })();
      await expect.poll(() => seen.includes('exists'), EVENTUALLY).toBe(true);
      await new Promise((r) => setTimeout(r, 2_500)); // past timeoutMs: still open
      ac.abort();
      await done;
    } finally {
      client.close();
      await proxy.close();
    }
  });

  test('a server that stops answering on open connections, and (memory) injected latency: timeouts per family', async () => {
    const proxy = await faultProxy(e2e.backend.kubeConfig);
    const client = Client.fromKubeConfig(proxy.kubeConfig, { retry: { maxRetries: 0 } });
    try {
      await Api.namespaced(client, resources.configMaps, ns).list(); // a connection is open
      proxy.freeze();
      proxy.hang(true);
      for (const [name, call] of Object.entries(families(client, ns, { timeoutMs: 300 }))) {
        const err = await call().then(
          () => undefined,
          (e: unknown) => e,
        );
        expect(err, name).toBeInstanceOf(RequestTimeoutError);
      }
    } finally {
      client.close();
      await proxy.close();
    }
    // MemoryApiServer's fault injection delays every request on the server side (the
    // real API server cannot be slowed down from here: the frozen proxy above stands in).
    const faults = e2e.backend.faults;
    if (!faults) return;
    faults.latency(1_000);
    try {
      for (const [name, call] of Object.entries(families(e2e.client, ns, { timeoutMs: 200 }))) {
        const err = await call().then(
          () => undefined,
          (e: unknown) => e,
        );
        expect(err, name).toBeInstanceOf(RequestTimeoutError);
      }
    } finally {
      faults.latency(0);
    }
  });
});

describe('error helpers on the Status bodies of the backend', () => {
  test('NotFound, AlreadyExists, Conflict, Invalid, Forbidden', async () => {
    const notFound = await apiErrorOf(configMaps.get('no-such'));
    const exists = await apiErrorOf(configMaps.create({ metadata: { name: 'exists' } }));
    const current = await configMaps.get('exists');
    await configMaps.replace('exists', { ...current, data: { a: '2' } });
    const conflict = await apiErrorOf(
      configMaps.replace('exists', { ...current, data: { a: '3' } }),
    );
    const invalid = await apiErrorOf(configMaps.create({ metadata: { name: 'Not_A_Name' } }));
    const forbidden = await apiErrorOf(
      Api.cluster(e2e.client, resources.namespaces).delete('default'),
    );
    const table = [
      [notFound, isNotFound],
      [exists, isAlreadyExists],
      [conflict, isConflict],
      [invalid, isInvalid],
      [forbidden, isForbidden],
    ] as const;
    const checks = [isNotFound, isAlreadyExists, isConflict, isInvalid, isForbidden];
    for (const [error, expected] of table) {
      for (const check of checks)
        expect(check(error), `${error.reason} ${check.name}`).toBe(check === expected);
    }
    expect(exists.reason).toBe('AlreadyExists');
    expect(conflict.reason).toBe('Conflict');
  });

  test('Unauthorized, TooManyRequests with retryAfterMs, ServerTimeout', async () => {
    const faults = e2e.backend.faults;
    if (faults) {
      // MemoryApiServer checks no credentials and never throttles: inject the answers
      // (for this path only, so no other request of the run takes them).
      await configMaps.create({ metadata: { name: 'injected' } });
      const path = `/api/v1/namespaces/${ns}/configmaps/injected`;
      faults.failNext(1, { method: 'GET', path }, 401);
      faults.failNext(1, { method: 'GET', path }, 429, { retryAfterSeconds: 3600 });
      faults.failNext(4, { method: 'GET', path }, 504);
      const unauthorized = await apiErrorOf(configMaps.get('injected'));
      expect(isUnauthorized(unauthorized)).toBe(true);
      const throttled = await apiErrorOf(configMaps.get('injected'));
      expect(isTooManyRequests(throttled)).toBe(true);
      expect(throttled.retryAfterMs).toBe(3_600_000);
      const timedOut = await apiErrorOf(configMaps.get('injected'));
      expect(isServerTimeout(timedOut)).toBe(true);
      return;
    }
    // kube-apiserver: a bearer token it does not know is 401 (throttling and server
    // timeouts cannot be provoked from a test, so the memory run covers them).
    const kc = e2e.backend.kubeConfig;
    const bad = new KubeConfig();
    bad.loadFromOptions({
      clusters: kc.clusters,
      users: [{ name: 'bad', token: 'not-a-token-the-server-knows' }],
      contexts: [{ name: 'bad', cluster: kc.getCurrentCluster()!.name, user: 'bad' }],
      currentContext: 'bad',
    });
    const client = Client.fromKubeConfig(bad);
    try {
      const err = await apiErrorOf(Api.namespaced(client, resources.configMaps, ns).get('exists'));
      expect(isUnauthorized(err)).toBe(true);
      expect(err.message).not.toContain('not-a-token-the-server-knows');
    } finally {
      client.close();
    }
  });
});

describe('a resource the server does not serve', () => {
  const widget = (group: string): ApiResource<KubeObject> => ({
    group,
    version: 'v1',
    kind: 'Widget',
    plural: 'widgets',
    namespaced: true,
  });

  test('an unknown group (CRD not installed) names the resource and says to install its CRD', async () => {
    const widgets = Api.namespaced(e2e.client, widget('nothing.e2e.kube-ts.dev'), ns);
    const err = await widgets.get('w').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ResourceNotServedError);
    expect(isNotFound(err)).toBe(true);
    expect((err as Error).message).toMatch(
      /does not serve Widget \(widgets\.nothing\.e2e\.kube-ts\.dev\/v1\).*install the CustomResourceDefinition/,
    );
    await expect(widgets.getOpt('w')).rejects.toBeInstanceOf(ResourceNotServedError);
    await expect(widgets.list()).rejects.toBeInstanceOf(ResourceNotServedError);
  });

  test('an unknown resource of a served group version too', async () => {
    const err = await Api.namespaced(e2e.client, widget(''), ns)
      .get('w')
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ResourceNotServedError);
    expect((err as Error).message).toMatch(/does not serve Widget \(widgets\/v1\)/);
    expect(await configMaps.getOpt('no-such')).toBeUndefined();
  });
});

describe('subresources', () => {
  test('TokenRequest then TokenReview: the token authenticates as the service account', async () => {
    const sas = Api.namespaced(e2e.client, resources.serviceAccounts, ns);
    await sas.create({ metadata: { name: 'robot' } });
    const sa = await sas.get('robot');
    const issued = await sas.token('robot', { expirationSeconds: 600 });
    const token = issued.status?.token ?? '';
    expect(token.length).toBeGreaterThan(20);
    expect(Date.parse(issued.status?.expirationTimestamp ?? '')).toBeGreaterThan(Date.now());
    const reviews = Api.cluster(e2e.client, resources.tokenReviews);
    const review = await reviews.create({
      apiVersion: 'authentication.k8s.io/v1',
      kind: 'TokenReview',
      spec: { token },
    });
    expect(review.status?.authenticated).toBe(true);
    expect(review.status?.user?.username).toBe(`system:serviceaccount:${ns}:robot`);
    expect(review.status?.user?.uid).toBe(sa.metadata?.uid);
    const forged = await reviews.create({
      apiVersion: 'authentication.k8s.io/v1',
      kind: 'TokenReview',
      spec: { token: `${token.slice(0, -4)}AAAA` },
    });
    expect(forged.status?.authenticated).not.toBe(true);
  });

  test('eviction deletes an unprotected pod', async () => {
    const pods = Api.namespaced(e2e.client, resources.pods, ns);
    await pods.create(pod('evictee', ['main']));
    const status = await pods.evict('evictee', { deleteOptions: { gracePeriodSeconds: 0 } });
    expect(status.status).toBe('Success');
    await expect.poll(() => pods.getOpt('evictee'), EVENTUALLY).toBeUndefined();
    expect(isNotFound(await pods.evict('evictee').catch((e: unknown) => e))).toBe(true);
  });

  test('logs: an unscheduled pod has an empty log (a scheduled one needs a kubelet); the container is checked', async () => {
    const pods = Api.namespaced(e2e.client, resources.pods, ns);
    await pods.create(pod('logger', ['main', 'side']));
    expect(await pods.logs('logger', { container: 'main', tailLines: 10 })).toBe('');
    const lines: string[] = [];
    for await (const line of pods.logs('logger', { container: 'main', follow: true })) {
      lines.push(line);
    }
    expect(lines).toEqual([]);
    const which = await apiErrorOf(pods.logs('logger'));
    expect(which.code).toBe(400);
    expect(which.message).toMatch(/container name must be specified/);
    const wrong = await apiErrorOf(pods.logs('logger', { container: 'nope' }));
    expect(wrong.code).toBe(400);
    expect(wrong.message).toMatch(/container nope is not valid/);
  });
});

function pod(name: string, containers: string[]): Pod {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name },
    spec: { containers: containers.map((c) => ({ name: c, image: 'busybox:1' })) },
  };
}

describe('metadata-only', () => {
  test('get, list and watch answer PartialObjectMetadata without the data', async () => {
    const secrets = Api.namespaced(e2e.client, resources.secrets, ns);
    await secrets.create({
      metadata: { name: 'meta', labels: { a: 'b' } },
      stringData: { p: 'hunter2' },
    });
    const meta = secrets.metadata();
    const one = await meta.get('meta');
    expect(one.kind).toBe('PartialObjectMetadata');
    expect(one.apiVersion).toBe('meta.k8s.io/v1');
    expect(one.metadata?.labels).toEqual({ a: 'b' });
    expect(JSON.stringify(one)).not.toContain(Buffer.from('hunter2').toString('base64'));
    const list = await meta.list();
    expect(list.kind).toBe('PartialObjectMetadataList');
    expect(list.items.map((i) => [i.kind, i.metadata?.name])).toContainEqual([
      'PartialObjectMetadata',
      'meta',
    ]);
    expect(list.metadata?.resourceVersion).toBeTruthy();
    const ac = new AbortController();
    const events: PartialObjectMetadata[] = [];
    const watching = (async () => {
      for await (const e of meta.watch({
        resourceVersion: list.metadata?.resourceVersion,
        signal: ac.signal,
      })) {
        if (e.type !== 'ERROR' && e.type !== 'BOOKMARK') events.push(e.object);
      }
    })();
    await secrets.patch('meta', Patch.merge({ metadata: { labels: { a: 'c' } } }));
    await expect.poll(() => events.length, EVENTUALLY).toBeGreaterThan(0);
    ac.abort();
    await watching;
    expect(events[0]?.kind).toBe('PartialObjectMetadata');
    expect(events[0]?.metadata?.labels).toEqual({ a: 'c' });
    expect(JSON.stringify(events)).not.toContain(Buffer.from('hunter2').toString('base64'));
    // A patch through the metadata-only handle answers with the object's metadata only.
    const patched = await meta.patch('meta', Patch.merge({ metadata: { labels: { a: 'd' } } }));
    expect(patched.kind).toBe('PartialObjectMetadata');
    expect(patched.metadata?.labels).toEqual({ a: 'd' });
    expect(JSON.stringify(patched)).not.toContain(Buffer.from('hunter2').toString('base64'));
  });

  test('Controller.owns over a metadata-only Api reconciles the owner when a child is deleted', async () => {
    const secrets = Api.namespaced(e2e.client, resources.secrets, ns);
    const reconciled: string[] = [];
    class Owner extends Reconciler<ConfigMap> {
      async reconcile(cm: ConfigMap, _ctx: undefined, info: ReconcileInfo): Promise<Action> {
        reconciled.push(cm.metadata?.name ?? '');
        const name = `${cm.metadata?.name}-child`;
        if (!(await secrets.getOpt(name, { signal: info.signal }))) {
          await secrets.create(
            {
              metadata: { name, ownerReferences: [ownerRefTo(cm, { controller: true })] },
              stringData: { k: 'v' },
            },
            { signal: info.signal },
          );
        }
        return Action.awaitChange();
      }
    }
    const owners = Api.namespaced(e2e.client, resources.configMaps, ns);
    await owners.create({ metadata: { name: 'owner', labels: { role: 'owner' } } });
    const running: Subscription = new Controller(owners, { labelSelector: 'role=owner' })
      .owns(secrets.metadata())
      .run(new Owner())
      .subscribe();
    try {
      await expect.poll(() => secrets.getOpt('owner-child'), EVENTUALLY).toBeDefined();
      const before = reconciled.length;
      await secrets.delete('owner-child');
      await expect.poll(() => reconciled.length, EVENTUALLY).toBeGreaterThan(before);
      await expect.poll(() => secrets.getOpt('owner-child'), EVENTUALLY).toBeDefined();
    } finally {
      running.unsubscribe();
    }
  });
});
