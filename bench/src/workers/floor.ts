/**
 * Measured process for the floor: the cheapest JavaScript that does a cache's job, with
 * nothing but Node.js's own `http`/`https`. LIST in pages of 500, `JSON.parse` each page,
 * drop `metadata.managedFields`, `Object.freeze` each object, keep it in a `Map` keyed by
 * `namespace/name`; then one watch from the list's resourceVersion: decode the body as
 * UTF-8, split lines, `JSON.parse`, drop managedFields, `Object.freeze`, `Map.set` (or
 * `Map.delete`). No retries, no relist, no resume: what any cache must at least spend.
 * The freeze on watch objects is the floor doing the same job as a store of frozen
 * objects (one shallow `Object.freeze`, ~50 ns). With `metadataOnly`, both ask for
 * `PartialObjectMetadata` (the `Accept` header), as kube-ts's metadata-only watch does.
 */
import * as http from 'node:http';
import * as https from 'node:https';
import { gunzipSync } from 'node:zlib';
import { KubeConfig } from '@kubernetes/client-node';
import { BENCH_SELECTOR, WRITTEN_AT, wallClockMs } from '../fixtures.js';
import type { Task } from '../protocol.js';
import { ChunkClock } from './chunk-clock.js';
import {
  cpuMs,
  peakRssMiB,
  serveTask,
  settledHeapUsed,
  type TaskOutcome,
  UpdateCounter,
  type WorkerContext,
  warmKubeconfig,
  writtenAtOf,
} from './common.js';

/** Page size of the LIST, as the issue defines the floor (and the watcher's default). */
const PAGE = 500;

/**
 * `KUBE_TS_BENCH_FLOOR_GZIP=1`: the floor asks for gzip on its LIST pages, as kube-ts
 * does by default, and decodes each page in one synchronous `gunzipSync` into a buffer
 * sized from the gzip trailer (the cheapest decoding measured, docs/performance.md), so
 * that kube-ts's default can be compared with a floor that also decompresses.
 */
const LIST_GZIP = process.env.KUBE_TS_BENCH_FLOOR_GZIP === '1';

/** What the floor caches: the parts of an object it reads. */
interface Item {
  metadata: {
    namespace?: string;
    name: string;
    managedFields?: unknown;
    annotations?: Record<string, string>;
  };
}
interface ListBody {
  metadata: { resourceVersion: string; continue?: string };
  items: Item[];
}
interface WatchLine {
  type: string;
  object: Item & { metadata: { resourceVersion?: string } };
}

/** GET helper bound to one server, with the kubeconfig's TLS and credentials. */
interface Connection {
  /**
   * GET `path` with an `Accept` header (default `application/json`), asking for gzip
   * when `gzip` is set.
   */
  get(path: string, accept?: string, gzip?: boolean): Promise<http.IncomingMessage>;
}

/** The `Accept` headers of a metadata-only LIST and WATCH (kube-apiserver's content negotiation). */
const METADATA_LIST = 'application/json;as=PartialObjectMetadataList;g=meta.k8s.io;v=v1';
const METADATA_WATCH = 'application/json;as=PartialObjectMetadata;g=meta.k8s.io;v=v1';

async function connect(kubeconfig: string): Promise<Connection> {
  const kc = new KubeConfig();
  kc.loadFromFile(kubeconfig);
  const server = new URL(kc.getCurrentCluster()!.server);
  const opts: https.RequestOptions = {};
  await kc.applyToHTTPSOptions(opts);
  const secure = server.protocol === 'https:';
  const agent = secure
    ? new https.Agent({ keepAlive: true, ...(opts as https.AgentOptions) })
    : new http.Agent({ keepAlive: true });
  const request = secure ? https.request : http.request;
  return {
    get: (path, accept = 'application/json', gzip = false) =>
      new Promise((resolve, reject) => {
        const req = request(
          {
            ...opts,
            agent,
            protocol: server.protocol,
            hostname: server.hostname,
            port: server.port,
            path,
            method: 'GET',
            headers: { ...opts.headers, accept, ...(gzip ? { 'accept-encoding': 'gzip' } : {}) },
          },
          (res) => {
            if (res.statusCode !== 200) {
              res.resume();
              reject(new Error(`GET ${path}: HTTP ${res.statusCode}`));
            } else resolve(res);
          },
        );
        req.on('error', reject);
        req.end();
      }),
  };
}

async function readBody(res: http.IncomingMessage): Promise<string> {
  if (res.headers['content-encoding'] === 'gzip') {
    const chunks: Buffer[] = [];
    for await (const chunk of res) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks);
    const size = body.readUInt32LE(body.length - 4);
    return gunzipSync(body, { chunkSize: Math.max(size + 1, 64 * 1024) }).toString('utf8');
  }
  res.setEncoding('utf8');
  let body = '';
  for await (const chunk of res) body += chunk as string;
  return body;
}

function keyOf(obj: Item): string {
  return `${obj.metadata.namespace}/${obj.metadata.name}`;
}

async function handle(task: Task, ctx: WorkerContext): Promise<TaskOutcome> {
  if (task.kind !== 'sync' && task.kind !== 'ingest' && task.kind !== 'latency') {
    throw new Error(`the floor has no equivalent of the ${task.kind} scenario`);
  }
  if (task.kind === 'sync' && task.heap === 'keepManagedFields') {
    throw new Error('the floor always drops managedFields');
  }
  const heapBefore = task.kind === 'sync' && task.heap ? await settledHeapUsed() : 0;
  const cpu0 = cpuMs();
  const t0 = performance.now();
  const conn = await connect(task.kubeconfig);
  const base = `/api/v1/namespaces/${encodeURIComponent(task.namespace)}/${task.resource ?? 'configmaps'}?labelSelector=${encodeURIComponent(BENCH_SELECTOR)}`;
  const listAccept = task.metadataOnly ? METADATA_LIST : undefined;
  const watchAccept = task.metadataOnly ? METADATA_WATCH : undefined;
  const cache = new Map<string, Item>();

  // Paginated LIST.
  let continueToken: string | undefined;
  let resourceVersion = '';
  do {
    const page = JSON.parse(
      await readBody(
        await conn.get(
          `${base}&limit=${PAGE}${continueToken ? `&continue=${encodeURIComponent(continueToken)}` : ''}`,
          listAccept,
          LIST_GZIP,
        ),
      ),
    ) as ListBody;
    for (const item of page.items) {
      delete item.metadata.managedFields;
      cache.set(keyOf(item), Object.freeze(item));
    }
    resourceVersion = page.metadata.resourceVersion;
    continueToken = page.metadata.continue || undefined;
  } while (continueToken);
  const syncMs = performance.now() - t0;
  if (cache.size !== task.objects)
    throw new Error(`floor cache holds ${cache.size} objects, expected ${task.objects}`);
  const syncCpuMs = cpuMs() - cpu0;

  // One watch from the list's resourceVersion.
  const counter = new UpdateCounter(task.kind === 'ingest' ? task.updates : 0);
  // Latency: write → in the cache (the floor has no reconciler; this is the least any
  // cache-fed reaction can take).
  const latencies: number[] = [];
  const client: number[] = [];
  const track = task.kind === 'latency';
  const clock = new ChunkClock();
  if (track) clock.install();
  const watch = await conn.get(
    `${base}&watch=1&allowWatchBookmarks=true&resourceVersion=${encodeURIComponent(resourceVersion)}`,
    watchAccept,
  );
  watch.setEncoding('utf8');
  let rest = '';
  watch.on('data', (chunk: string) => {
    let data = rest + chunk;
    let nl = data.indexOf('\n');
    let start = 0;
    while (nl !== -1) {
      if (nl > start) {
        const event = JSON.parse(data.slice(start, nl)) as WatchLine;
        const obj = event.object;
        if (event.type === 'MODIFIED' || event.type === 'ADDED') {
          delete obj.metadata.managedFields;
          cache.set(keyOf(obj), Object.freeze(obj));
          counter.hit();
          if (track) {
            const now = wallClockMs();
            const sinceChunk = clock.sinceArrivalOf(obj.metadata.annotations?.[WRITTEN_AT]);
            const at = writtenAtOf(obj.metadata.annotations, WRITTEN_AT);
            if (Number.isFinite(at)) {
              latencies.push(now - at);
              if (Number.isFinite(sinceChunk)) client.push(sinceChunk);
            }
          }
        } else if (event.type === 'DELETED') cache.delete(keyOf(obj));
      }
      start = nl + 1;
      nl = data.indexOf('\n', start);
    }
    rest = start === data.length ? '' : data.slice(start);
    data = '';
  });
  const closed = new Promise<void>((resolve) => watch.once('close', resolve));

  if (task.kind === 'ingest') {
    // Collect the sync's garbage first, so the ingest's CPU time is the ingest's own.
    await settledHeapUsed();
    counter.start();
    ctx.ready();
    const { elapsedMs, cpuMs: cpu } = await counter.done;
    watch.destroy();
    return {
      values: {
        eventsPerSecond: ((task.updates - 1) / elapsedMs) * 1000,
        cpuUsPerEvent: (cpu / task.updates) * 1000,
      },
    };
  }
  if (task.kind === 'latency') {
    ctx.ready();
    await ctx.stopped;
    watch.destroy();
    return { values: { count: latencies.length }, samples: latencies, clientSamples: client };
  }
  const values: Record<string, number> = { syncMs, peakRssMiB: peakRssMiB(), syncCpuMs };
  if (task.heap) {
    // With the watch still open (as in a running operator), then after stopping it.
    values.heapPerObjectWatchOpenBytes = ((await settledHeapUsed()) - heapBefore) / cache.size;
    watch.destroy();
    await closed;
    values.heapPerObjectBytes = ((await settledHeapUsed()) - heapBefore) / cache.size;
    // Keep the cache alive until after the measurement.
    values.cached = cache.size;
  }
  watch.destroy();
  return { values };
}

serveTask(handle, async (task) => {
  // Load what the task's first request needs before the measurement starts.
  await import('@kubernetes/client-node');
  warmKubeconfig(task, (path) => new KubeConfig().loadFromFile(path));
});
