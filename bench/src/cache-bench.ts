/**
 * `npm run bench:cache [-- --objects N]`: the Manager's shared cache (issue 15), in one
 * process with an in-process MemoryApiServer (so the server's open watches can be counted):
 *
 * 1. watches the server serves, and the retained heap of the second holder's view, when two
 *    holders (what two controllers that own ConfigMaps acquire) share `manager.cache`,
 *    against a second, private watcher + store of the same ConfigMaps;
 * 2. retained heap per cached Pod, full objects against metadata-only (PartialObjectMetadata).
 *
 * Heap is `heapUsed` after forced GCs (`--expose-gc`), with the watches still open. The
 * server's own heap is in the same process but does not change between the two readings of
 * a delta, except for its per-connection state of an extra watch (in the private case only).
 * Results go to `bench/results/cache.json`.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Api, Client } from '@kube-ts/client';
import { resources } from '@kube-ts/core';
import type { ConfigMap, Pod } from '@kube-ts/k8s/core/v1';
import { Cache, createStore, reflector, watcher } from '@kube-ts/runtime';
import { MemoryApiServer } from '@kube-ts/testing';
import { machineInfo } from './machine.js';
import { settledHeapUsed } from './workers/common.js';

const arg = process.argv.indexOf('--objects');
const objects = arg === -1 ? 5_000 : Number(process.argv[arg + 1]);
const out = fileURLToPath(new URL('../results/cache.json', import.meta.url));

async function seed(client: Client): Promise<void> {
  await Api.cluster(client, resources.namespaces).create({ metadata: { name: 'bench' } });
  const configMaps = Api.namespaced(client, resources.configMaps, 'bench');
  const pods = Api.namespaced(client, resources.pods, 'bench');
  const labels = { app: 'bench', tier: 'web', 'app.kubernetes.io/managed-by': 'kube-ts' };
  for (let i = 0; i < objects; i += 50) {
    const batch: Promise<unknown>[] = [];
    for (let j = i; j < Math.min(i + 50, objects); j++) {
      const cm: ConfigMap = {
        metadata: { name: `cm-${j}`, labels },
        data: { v: 'x'.repeat(1024) },
      };
      const pod: Pod = {
        metadata: { name: `pod-${j}`, labels },
        spec: {
          containers: [
            {
              name: 'app',
              image: 'registry.example/app:1.0',
              env: Array.from({ length: 10 }, (_, k) => ({
                name: `VAR_${k}`,
                value: `value-${k}`,
              })),
              resources: { requests: { cpu: '100m', memory: '128Mi' } },
            },
          ],
        },
      };
      batch.push(configMaps.create(cm), pods.create(pod));
    }
    await Promise.all(batch);
  }
}

/** Waits (up to 10 s) until the server serves at least `n` watches; returns how many. */
async function openWatchesAtLeast(server: MemoryApiServer, n: number): Promise<number> {
  const until = Date.now() + 10_000;
  while (server.openWatches < n && Date.now() < until) await new Promise((r) => setTimeout(r, 20));
  return server.openWatches;
}

async function main(): Promise<void> {
  const server = await MemoryApiServer.start();
  const client = Client.fromKubeConfig(server.kubeConfig);
  try {
    await seed(client);
    const configMaps = Api.namespaced(client, resources.configMaps, 'bench');
    const pods = Api.namespaced(client, resources.pods, 'bench');
    const cache = new Cache();

    // 1. Shared: two holders of the same watch, then a private watcher + store.
    const watchesBefore = server.openWatches;
    const heap0 = await settledHeapUsed();
    const first = cache.acquire(configMaps);
    await first.store.waitUntilReady();
    const heap1 = await settledHeapUsed();
    const second = cache.acquire(configMaps);
    const seen = second.events.subscribe();
    await openWatchesAtLeast(server, watchesBefore + 1);
    const heap2 = await settledHeapUsed();
    const watchesShared = server.openWatches - watchesBefore;
    const { reader, writer } = createStore<ConfigMap>();
    const own = reflector(writer, watcher(configMaps)).subscribe();
    await reader.waitUntilReady();
    await openWatchesAtLeast(server, watchesBefore + 2);
    const heap3 = await settledHeapUsed();
    const watchesWithPrivate = server.openWatches - watchesBefore;
    own.unsubscribe();
    seen.unsubscribe();
    first.release();
    second.release();

    // 2. Full Pods against metadata-only Pods.
    const heapA = await settledHeapUsed();
    const full = cache.acquire(pods);
    await full.store.waitUntilReady();
    const heapFull = await settledHeapUsed();
    full.release();
    const heapB = await settledHeapUsed();
    const meta = cache.acquire(pods, { metadataOnly: true });
    await meta.store.waitUntilReady();
    const heapMeta = await settledHeapUsed();
    meta.release();

    const result = {
      finishedAt: new Date().toISOString(),
      machine: machineInfo(),
      objects,
      shared: {
        watchesForTwoHolders: watchesShared,
        watchesWithAPrivateThirdView: watchesWithPrivate,
        firstViewHeapBytes: heap1 - heap0,
        secondSharedViewHeapBytes: heap2 - heap1,
        privateViewHeapBytes: heap3 - heap2,
      },
      metadataOnly: {
        fullPodBytesPerObject: Math.round((heapFull - heapA) / objects),
        metadataOnlyPodBytesPerObject: Math.round((heapMeta - heapB) / objects),
      },
    };
    mkdirSync(new URL('../results/', import.meta.url), { recursive: true });
    writeFileSync(out, `${JSON.stringify(result, null, 2)}\n`);
    console.log(JSON.stringify(result, null, 2));
    console.log(`results written to ${out}`);
    cache.stop();
  } finally {
    client.close();
    await server.stop();
  }
}

await main();
