import { Api } from '@kube-ts/client';
import { resources } from '@kube-ts/core';
import { Registry } from 'prom-client';
import { describe, expect, it, vi } from 'vitest';
import { Cache } from './cache.js';
import { useMemoryServer, WAIT } from './memory-server.test-helper.js';

/** The cache's metrics over HTTP against MemoryApiServer. */

const fx = useMemoryServer();

/** The value of a sample in the registry's text (undefined when absent). */
async function sample(registry: Registry, series: string): Promise<number | undefined> {
  const text = await registry.metrics();
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

describe('cache metrics', () => {
  it('count the open watches, their holders and objects, lists, errors and relists', async () => {
    const ns = await fx.namespace('metrics');
    const api = Api.namespaced(fx.client, resources.configMaps, ns);
    await api.create({ metadata: { name: 'a', labels: { test: 'yes' } } });
    await api.create({ metadata: { name: 'b', labels: { test: 'yes' } } });
    const registry = new Registry();
    const cache = new Cache({ registry });
    expect(await sample(registry, 'kube_ts_cache_watches')).toBe(0);
    // A watch whose options are refused is neither started nor counted.
    expect(() => cache.acquire(api, { pageSize: 0 })).toThrow(/pageSize must be a positive/);
    expect(await sample(registry, 'kube_ts_cache_watches_started_total')).toBe(0);
    // A watch that gives up on a silent connection after 1.5 s (see below).
    const quick = { labelSelector: 'test=yes', timeoutSeconds: 1, silenceMarginSeconds: 0.5 };
    const first = cache.acquire(api, quick);
    const second = cache.acquire(api, { labelSelector: 'test=yes' });
    const meta = cache.acquire(api, { ...quick, metadataOnly: true });
    await first.store.waitUntilReady();
    await meta.store.waitUntilReady();
    const watch = `watch="configmaps (v1) in namespace '${ns}' labels 'test=yes'"`;
    const metaWatch = `watch="configmaps (v1) in namespace '${ns}' labels 'test=yes', metadata only"`;
    expect(await sample(registry, 'kube_ts_cache_watches')).toBe(2);
    expect(await sample(registry, 'kube_ts_cache_watches_started_total')).toBe(2);
    expect(await sample(registry, `kube_ts_cache_watch_holders{${watch}}`)).toBe(2);
    expect(await sample(registry, `kube_ts_cache_watch_holders{${metaWatch}}`)).toBe(1);
    expect(await sample(registry, `kube_ts_cache_objects{${watch}}`)).toBe(2);
    expect(await sample(registry, `kube_ts_cache_watch_synced{${watch}}`)).toBe(1);
    expect(await sample(registry, `kube_ts_cache_lists_total{${watch}}`)).toBe(1);
    expect(await sample(registry, `kube_ts_cache_watch_restarts_total{${watch}}`)).toBe(0);

    // A change the frozen watches miss, then history compacted: each gives up on its
    // silent connection, re-watches from its old resourceVersion, gets 410 Gone and relists.
    await vi.waitFor(() => expect(fx.server.openWatches).toBeGreaterThanOrEqual(2), WAIT);
    fx.server.faults.silenceWatches(true);
    await api.create({ metadata: { name: 'c', labels: { test: 'yes' } } });
    fx.server.faults.compact();
    await vi.waitFor(
      async () => expect(await sample(registry, `kube_ts_cache_lists_total{${watch}}`)).toBe(2),
      WAIT,
    );
    expect(
      await sample(registry, `kube_ts_cache_watch_errors_total{${watch},recovery="relist"}`),
    ).toBe(1);
    expect(await sample(registry, `kube_ts_cache_objects{${watch}}`)).toBe(3);
    fx.server.faults.silenceWatches(false);

    second.release();
    expect(await sample(registry, `kube_ts_cache_watch_holders{${watch}}`)).toBe(1);
    first.release();
    expect(await sample(registry, `kube_ts_cache_watch_holders{${watch}}`)).toBeUndefined();
    expect(await sample(registry, 'kube_ts_cache_watches')).toBe(1);
    // Counters outlive the watch, so rates stay right across a stop and a new start.
    expect(await sample(registry, `kube_ts_cache_lists_total{${watch}}`)).toBe(2);
    cache.stop();
    expect(await sample(registry, 'kube_ts_cache_watches')).toBe(0);
  });
});
