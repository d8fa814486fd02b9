/**
 * `npm run bench:gzip [-- --objects N] [--backend real|memory] [--runs R]`: what
 * `Accept-Encoding: gzip` (issue 19) does to one unpaginated list of N benchmark
 * ConfigMaps (about 1.5 KiB each; default 50,000), against kube-apiserver (`real`,
 * through ControlPlane, the default) or MemoryApiServer (in a child process). Both compress
 * bodies above 128 KiB when asked.
 *
 * Per mode (gzip, identity), R interleaved runs of:
 * - the bytes on the wire: one raw GET over the client's own connection settings
 *   (`Client.connection()`), counting the body as received, before any decoding;
 * - one `Api.list` through a Client with compression on (the default) or off
 *   (`disableCompression`): wall time to the parsed list, and the client process's CPU
 *   time (user + system) over the call, which includes gunzip and JSON parsing.
 *
 * The server runs in other processes; its CPU time is not counted. Results go to
 * `bench/results/gzip.json`.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { fileURLToPath } from 'node:url';
import { Api, Client } from '@kube-ts/client';
import { resources } from '@kube-ts/core';
import { KubeConfig } from '@kubernetes/client-node';
import type { Backend, SkippedBackend } from './backends/backend.js';
import { startMemoryBackend } from './backends/memory.js';
import { startRealBackend } from './backends/real.js';
import { machineInfo } from './machine.js';
import { summarize } from './stats.js';
import { Writer } from './writer.js';

function option(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i === -1 ? fallback : (process.argv[i + 1] ?? fallback);
}

const objects = Number(option('objects', '50000'));
const runs = Number(option('runs', '5'));
const backendName = option('backend', 'real');
const NAMESPACE = 'bench-gzip';
const out = fileURLToPath(new URL('../results/gzip.json', import.meta.url));

/** The body's size as received (compressed or not) of one GET of `path`. */
async function wireBytes(client: Client, path: string, gzip: boolean): Promise<number> {
  const { agent, headers } = await client.connection();
  const url = client.url(path, {});
  return new Promise((resolve, reject) => {
    const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
    const req = send(
      url,
      {
        agent,
        headers: {
          ...headers,
          Accept: 'application/json',
          ...(gzip ? { 'Accept-Encoding': 'gzip' } : {}),
        },
      },
      (res) => {
        const encoding = res.headers['content-encoding'] ?? 'identity';
        if (encoding !== (gzip ? 'gzip' : 'identity')) {
          reject(new Error(`asked ${gzip ? 'gzip' : 'identity'}, got ${encoding}`));
        }
        let n = 0;
        res.on('data', (c: Buffer) => (n += c.length));
        res.on('end', () => resolve(n));
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end();
  });
}

/** Wall and CPU time of one unpaginated list through `client`. */
async function timedList(client: Client): Promise<{ wallMs: number; cpuMs: number }> {
  const api = Api.namespaced(client, resources.configMaps, NAMESPACE);
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const list = await api.list();
  const wallMs = performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  if (list.items.length < objects) throw new Error(`listed ${list.items.length} of ${objects}`);
  return { wallMs, cpuMs: (cpu.user + cpu.system) / 1000 };
}

async function start(): Promise<Backend | SkippedBackend> {
  if (backendName === 'memory') return startMemoryBackend();
  if (backendName === 'real') return startRealBackend();
  throw new Error(`--backend is real or memory, not ${backendName}`);
}

async function main(): Promise<void> {
  const backend = await start();
  if ('skipped' in backend) {
    console.error(`${backend.name} skipped: ${backend.skipped}`);
    process.exitCode = 1;
    return;
  }
  const kc = new KubeConfig();
  kc.loadFromFile(backend.kubeconfigPath);
  const gzipClient = Client.fromKubeConfig(kc, { timeoutMs: 600_000 });
  const plainClient = Client.fromKubeConfig(kc, { timeoutMs: 600_000, disableCompression: true });
  try {
    const seedMs = await Writer.fromKubeconfigFile(backend.kubeconfigPath).seed(NAMESPACE, objects);
    console.log(`seeded ${objects} ConfigMaps in ${(seedMs / 1000).toFixed(1)} s`);
    const path = `/api/v1/namespaces/${NAMESPACE}/configmaps`;
    const samples = {
      gzip: { bytes: [] as number[], wallMs: [] as number[], cpuMs: [] as number[] },
      identity: { bytes: [] as number[], wallMs: [] as number[], cpuMs: [] as number[] },
    };
    // One warm-up list each (server caches, client JIT), then interleaved runs.
    await timedList(gzipClient);
    await timedList(plainClient);
    for (let r = 0; r < runs; r++) {
      for (const mode of r % 2 === 0
        ? (['gzip', 'identity'] as const)
        : (['identity', 'gzip'] as const)) {
        const s = samples[mode];
        s.bytes.push(await wireBytes(gzipClient, path, mode === 'gzip'));
        const t = await timedList(mode === 'gzip' ? gzipClient : plainClient);
        s.wallMs.push(t.wallMs);
        s.cpuMs.push(t.cpuMs);
      }
    }
    const result = {
      backend: backend.name,
      objects,
      runs,
      machine: machineInfo(),
      gzip: {
        bytes: summarize(samples.gzip.bytes),
        wallMs: summarize(samples.gzip.wallMs),
        cpuMs: summarize(samples.gzip.cpuMs),
      },
      identity: {
        bytes: summarize(samples.identity.bytes),
        wallMs: summarize(samples.identity.wallMs),
        cpuMs: summarize(samples.identity.cpuMs),
      },
    };
    mkdirSync(new URL('../results/', import.meta.url), { recursive: true });
    writeFileSync(out, `${JSON.stringify(result, null, 2)}\n`);
    const row = (mode: 'gzip' | 'identity') => {
      const m = result[mode];
      return `${mode.padEnd(8)}  ${(m.bytes.median / 1024 / 1024).toFixed(2)} MiB on the wire, list ${m.wallMs.median.toFixed(0)} ms (${m.wallMs.min.toFixed(0)}–${m.wallMs.max.toFixed(0)}), client CPU ${m.cpuMs.median.toFixed(0)} ms (${m.cpuMs.min.toFixed(0)}–${m.cpuMs.max.toFixed(0)})`;
    };
    console.log(`${backend.name}, ${objects} ConfigMaps, ${runs} runs, medians (min–max):`);
    console.log(row('gzip'));
    console.log(row('identity'));
    console.log(`results: ${out}`);
  } finally {
    gzipClient.close();
    plainClient.close();
    await backend.stop();
  }
}

await main();
