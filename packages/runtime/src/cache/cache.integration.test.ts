import { Api, Patch } from '@kube-ts/client';
import { labelSelector, ObjectRef, type PartialObjectMetadata, resources } from '@kube-ts/core';
import type { ConfigMap, Secret } from '@kube-ts/k8s/core/v1';
import { pino } from 'pino';
import { describe, expect, it, vi } from 'vitest';
import type { WatcherEvent } from '../watcher/events.js';
import { Cache } from './cache.js';
import { CacheNotRegisteredError, CacheNotSyncedError } from './errors.js';
import { useMemoryServer, WAIT } from './memory-server.test-helper.js';

/** The cache over HTTP against MemoryApiServer: one watch per key, counted on the server. */

const fx = useMemoryServer();
const namespace = () => fx.namespace('cache');

/** A ConfigMap of the test (labelled `test=yes`: namespaces also hold kube-root-ca.crt). */
function configMap(name: string, labels: Record<string, string> = {}): ConfigMap {
  return {
    metadata: { name, labels: { test: 'yes', ...labels } },
    data: { payload: 'x'.repeat(100) },
  };
}

const OURS = { labelSelector: 'test=yes' };

describe('Cache', () => {
  it('shares one watch and one store per key; the last release stops it', async () => {
    const ns = await namespace();
    const api = Api.namespaced(fx.client, resources.configMaps, ns);
    await api.create(configMap('a'));
    const cache = new Cache();
    const before = fx.server.openWatches;
    const first = cache.acquire(api, OURS);
    const second = cache.acquire(Api.namespaced(fx.client, resources.configMaps, ns), {
      labelSelector: labelSelector({ test: 'yes' }),
    });
    expect(second.store).toBe(first.store);
    await first.store.waitUntilReady();
    await vi.waitFor(() => expect(fx.server.openWatches).toBe(before + 1), WAIT);
    expect(cache.watches()).toEqual([
      {
        description: `configmaps (v1) in namespace '${ns}' labels 'test=yes'`,
        users: 2,
        ready: true,
        size: 1,
        restarts: 0,
      },
    ]);
    const other = cache.acquire(api, { labelSelector: 'x=y' });
    expect(other.store).not.toBe(first.store);
    await vi.waitFor(() => expect(fx.server.openWatches).toBe(before + 2), WAIT);
    other.release();
    first.release();
    first.release(); // idempotent: the second lease still holds the watch
    await vi.waitFor(() => expect(fx.server.openWatches).toBe(before + 1), WAIT);
    expect(cache.watches().map((w) => w.users)).toEqual([1]);
    second.release();
    await vi.waitFor(() => expect(fx.server.openWatches).toBe(before), WAIT);
    expect(cache.watches()).toEqual([]);
    const again = cache.acquire(api, OURS);
    expect(again.store).not.toBe(first.store);
    await again.store.waitUntilReady();
    expect(again.store.size).toBe(1);
    cache.stop();
    await vi.waitFor(() => expect(fx.server.openWatches).toBe(before), WAIT);
    expect(() => cache.acquire(api)).toThrow(/the cache has stopped/);
  });

  it('hands a late subscriber the content as one Restarted, then the live events', async () => {
    const ns = await namespace();
    const api = Api.namespaced(fx.client, resources.configMaps, ns);
    await api.create(configMap('a'));
    const cache = new Cache();
    const first = cache.acquire(api, OURS);
    await first.store.waitUntilReady();
    const late = cache.acquire(api, OURS);
    const seen: WatcherEvent<ConfigMap>[] = [];
    const sub = late.events.subscribe((e) => seen.push(e));
    expect(seen).toHaveLength(1);
    expect(seen[0]).toMatchObject({ type: 'Restarted', objects: [{ metadata: { name: 'a' } }] });
    await api.create(configMap('b'));
    await vi.waitFor(() => expect(seen.map((e) => e.type)).toContain('Applied'), WAIT);
    expect(late.store.get({ namespace: ns, name: 'b' })).toBeDefined();
    sub.unsubscribe();
    cache.stop();
  });

  it('reads: get and list by namespace, labels and index; explicit errors otherwise', async () => {
    const ns = await namespace();
    const api = Api.namespaced(fx.client, resources.configMaps, ns);
    await api.create(configMap('web-1', { app: 'web' }));
    await api.create(configMap('db-1', { app: 'db' }));
    const cache = new Cache();
    expect(() => cache.get(resources.configMaps, ns, 'web-1')).toThrow(CacheNotRegisteredError);
    expect(() => cache.list(resources.configMaps)).toThrow(
      /nothing in this cache watches configmaps \(v1\) in all namespaces\. Register the watch before reading: manager\.cache\.acquire\(Api\.all\(client, resource\)\)/,
    );
    const lease = cache.acquire(Api.all(fx.client, resources.configMaps));
    expect(() => cache.get(resources.configMaps, ns, 'web-1')).toThrow(CacheNotSyncedError);
    await cache.waitUntilReady();
    lease.store.addIndex('app', (cm) => cm.metadata?.labels?.app);
    expect(cache.get(resources.configMaps, ns, 'web-1')?.data?.payload).toHaveLength(100);
    expect(cache.get(resources.configMaps, ns, 'nope')).toBeUndefined();
    expect(Object.isFrozen(cache.get(resources.configMaps, ns, 'web-1'))).toBe(true);
    const names = (cms: { metadata?: { name?: string } }[]) =>
      cms.map((c) => c.metadata?.name).sort();
    expect(
      names(cache.list(resources.configMaps, { namespace: ns, labelSelector: { test: 'yes' } })),
    ).toEqual(['db-1', 'web-1']);
    expect(
      names(cache.list(resources.configMaps, { namespace: ns, labelSelector: { app: 'web' } })),
    ).toEqual(['web-1']);
    expect(
      names(
        cache.list(resources.configMaps, {
          namespace: ns,
          labelSelector: labelSelector().exists('test').notEq('app', 'web'),
        }),
      ),
    ).toEqual(['db-1']);
    expect(
      names(
        cache.list(resources.configMaps, { namespace: ns, index: { name: 'app', value: 'db' } }),
      ),
    ).toEqual(['db-1']);
    expect(() => cache.get(resources.configMaps, undefined, 'web-1')).toThrow(/pass its namespace/);
    expect(() => cache.get(resources.configMaps, ns, 'web-1', { metadataOnly: true })).toThrow(
      /A full watch of it is registered: read it with \{ metadataOnly: false \}/,
    );
    // A second holder may add the same index function, not another one under that name.
    const index = (cm: ConfigMap) => cm.metadata?.name;
    lease.store.addIndex('name', index);
    lease.store.addIndex('name', index);
    expect(() => lease.store.addIndex('name', (cm) => cm.metadata?.uid)).toThrow(
      /already has an index named 'name' with another function/,
    );
    cache.stop();
  });

  it('caches metadata only with metadataOnly: no data reaches the store', async () => {
    const ns = await namespace();
    const secrets = Api.namespaced(fx.client, resources.secrets, ns);
    const secret: Secret = {
      metadata: { name: 's', labels: { a: 'b' } },
      stringData: { password: 'hunter2' },
    };
    await secrets.create(secret);
    const cache = new Cache();
    const lease = cache.acquire(secrets, { metadataOnly: true });
    // The same key, asked through a metadata handle.
    expect(cache.acquire(secrets.metadata()).store).toBe(lease.store);
    await lease.store.waitUntilReady();
    const cached = cache.get(resources.secrets, ns, 's', { metadataOnly: true });
    expect(cached).toMatchObject({
      kind: 'PartialObjectMetadata',
      apiVersion: 'meta.k8s.io/v1',
      metadata: { name: 's', labels: { a: 'b' } },
    });
    expect(JSON.stringify(cached)).not.toContain('hunter2');
    expect(cached?.metadata?.managedFields).toBeUndefined();
    await secrets.patch('s', Patch.merge({ metadata: { labels: { a: 'c' } } }));
    await vi.waitFor(
      () =>
        expect(
          cache
            .list(resources.secrets, { namespace: ns, metadataOnly: true })
            .map((s: PartialObjectMetadata) => s.metadata?.labels?.a),
        ).toEqual(['c']),
      WAIT,
    );
    expect(() => cache.get(resources.secrets, ns, 's')).toThrow(
      /A metadata-only watch of it is registered: read it with \{ metadataOnly: true \}/,
    );
    cache.stop();
  });

  it('starts a failed stream again with a fresh list, and logs it', async () => {
    const ns = await namespace();
    const api = Api.namespaced(fx.client, resources.configMaps, ns);
    const logs: string[] = [];
    const logger = pino({ level: 'error' }, { write: (line: string) => void logs.push(line) });
    const cache = new Cache({ logger });
    const lease = cache.acquire(api);
    // An index function that throws on one object makes the store refuse it: the stream fails.
    lease.store.addIndex('strict', (cm) => {
      if (cm.metadata?.labels?.bad) throw new Error('bad object');
      return cm.metadata?.name;
    });
    await lease.store.waitUntilReady();
    await api.create(configMap('bad', { bad: 'yes' }));
    await vi.waitFor(() => expect(cache.watches()[0]?.restarts).toBeGreaterThan(0), WAIT);
    expect(logs.join('')).toContain('shared watch failed; starting it again with a fresh list');
    expect(logs.join('')).toContain('bad object');
    await api.delete('bad');
    await api.create(configMap('good'));
    await vi.waitFor(
      () =>
        expect(
          lease.store.get(ObjectRef.from({ metadata: { namespace: ns, name: 'good' } })),
        ).toBeDefined(),
      WAIT,
    );
    cache.stop();
  });
});
