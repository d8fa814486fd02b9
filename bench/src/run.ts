/**
 * `npm run bench [-- --quick]`: runs every scenario of issue 7 with kube-ts and
 * @kubernetes/client-node side by side, prints one table and writes
 * bench/results/latest.json. See docs/performance.md for the method.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Backend, SkippedBackend } from './backends/backend.js';
import { startMemoryBackend } from './backends/memory.js';
import type { Figure } from './figure.js';
import { renderGoals } from './goals.js';
import { loadAverage, machineInfo } from './machine.js';
import { profDir, progress } from './measure.js';
import { type BenchOptions, parseOptions, USAGE } from './options.js';
import { writeResults } from './results.js';
import { FULL, QUICK, ScenarioContext, withLatency } from './scenarios/context.js';
import { dispatchScenario } from './scenarios/dispatch.js';
import { ingestScenario } from './scenarios/ingest.js';
import { latencyScenario, steadyLatencyScenario } from './scenarios/latency.js';
import { memoryScenario } from './scenarios/memory.js';
import { replayScenario } from './scenarios/replay.js';
import { shardingScenario } from './scenarios/sharding.js';
import { sharedCacheScenario } from './scenarios/shared-cache.js';
import { startupScenario } from './scenarios/startup.js';
import { syncScenario } from './scenarios/sync.js';
import { renderTable } from './table.js';
import { Writer } from './writer.js';

/**
 * Scenarios per backend: the real server is the reference for 1, 2, 5, 8, 9 and 10 only; 6
 * brings its own server and runs once (with the memory backend); 7 (start-up) runs on
 * memory.
 */
const PLAN: Record<string, readonly number[]> = {
  memory: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10],
  'kube-apiserver': [1, 2, 5, 8, 9, 10],
};

const SCENARIOS: Record<number, (ctx: ScenarioContext) => Promise<Figure[]>> = {
  1: syncScenario,
  2: ingestScenario,
  3: memoryScenario,
  4: dispatchScenario,
  5: latencyScenario,
  6: replayScenario,
  7: startupScenario,
  8: steadyLatencyScenario,
  9: sharedCacheScenario,
  10: shardingScenario,
};

/** The sizes of this run: `--quick`'s or the full ones, with `--rate` and `--duration`. */
function sizesOf(options: BenchOptions) {
  const base = options.quick ? QUICK : FULL;
  return withLatency(base, options.rate, options.durationMs, options.quick);
}

function versionOf(pkgJson: URL): string {
  return (JSON.parse(readFileSync(pkgJson, 'utf8')) as { version: string }).version;
}

async function runBackend(backend: Backend, options: BenchOptions): Promise<Figure[]> {
  const writer = Writer.fromKubeconfigFile(backend.kubeconfigPath);
  const ctx = new ScenarioContext(
    backend,
    writer,
    sizesOf(options),
    options.runs,
    profDir(options.cpuProfDir, backend.name),
    options.pageSize,
  );
  const figures: Figure[] = [];
  try {
    for (const n of PLAN[backend.name] ?? []) {
      if (!options.scenarios.has(n)) continue;
      progress(`[${backend.name}] scenario ${n}`);
      figures.push(...(await SCENARIOS[n]!(ctx)));
    }
  } finally {
    writer.close();
  }
  return figures;
}

async function main(): Promise<void> {
  const defaultOut = fileURLToPath(new URL('../results/latest.json', import.meta.url));
  if (process.argv.includes('--help')) {
    console.log(USAGE);
    return;
  }
  let options: BenchOptions;
  try {
    options = parseOptions(process.argv.slice(2), defaultOut);
  } catch (err) {
    console.error((err as Error).message);
    process.exitCode = 2;
    return;
  }
  const startedAt = new Date().toISOString();
  const machine = machineInfo();
  progress(
    `${options.quick ? 'quick' : 'full'} run, ${options.runs} runs per figure, ${machine.cpus} CPUs, Node ${machine.node}`,
  );
  const figures: Figure[] = [];
  const backends: (Backend | SkippedBackend)[] = [];
  if (options.backends.has('memory')) {
    const memory = await startMemoryBackend();
    backends.push(memory);
    try {
      figures.push(...(await runBackend(memory, options)));
    } finally {
      await memory.stop();
    }
  }
  if (options.backends.has('real')) {
    progress('[kube-apiserver] starting ControlPlane');
    // Loaded only when asked for, so a memory-only run never loads ControlPlane.
    const real = await import('./backends/real.js').then(
      (m) => m.startRealBackend(),
      (err: unknown): SkippedBackend => ({
        name: 'kube-apiserver',
        skipped: `cannot load ControlPlane: ${String(err)}`,
      }),
    );
    backends.push(real);
    if ('skipped' in real) {
      progress(`[kube-apiserver] skipped: ${real.skipped}`);
    } else {
      try {
        figures.push(...(await runBackend(real, options)));
      } finally {
        await real.stop();
      }
    }
  }
  const sizes = sizesOf(options);
  writeResults(options.out, {
    startedAt,
    finishedAt: new Date().toISOString(),
    loadAverageAtEnd: loadAverage(),
    mode: options.quick ? 'quick' : 'full',
    machine,
    subjects: {
      kubeTs: versionOf(new URL('../../packages/runtime/package.json', import.meta.url)),
      peer: `@kubernetes/client-node ${versionOf(new URL('../../node_modules/@kubernetes/client-node/package.json', import.meta.url))}`,
      floor: `node:http + JSON.parse + Map, Node.js ${process.versions.node}`,
      compression: compressionNote(),
    },
    backends: backends.map((b) => ('skipped' in b ? b : { name: b.name })),
    parameters: {
      runs: options.runs,
      pageSize: options.pageSize ?? 'watcher default (500)',
      ...sizes,
    },
    figures,
  });
  console.log(renderTable(figures));
  console.log(`\nLIST pages: ${compressionNote()}`);
  for (const b of backends) if ('skipped' in b) console.log(`\n${b.name}: skipped (${b.skipped})`);
  const notes = [
    ...new Set(figures.filter((f) => f.note).map((f) => `${f.backend} · ${f.scenario}: ${f.note}`)),
  ];
  if (notes.length > 0) console.log(`\nnotes:\n${notes.map((n) => `  ${n}`).join('\n')}`);
  console.log(
    `\nkube-ts/floor, kube-ts/peer = kube-ts median / that subject's median (↑ higher is better, ↓ lower is better)`,
  );
  const goals = renderGoals(figures);
  if (goals !== '') console.log(`\n${goals}`);
  console.log(`results written to ${options.out}`);
}

await main();

/**
 * How the subjects read LIST pages: kube-ts asks for gzip unless
 * `KUBE_TS_BENCH_DISABLE_COMPRESSION=1`, the floor only with `KUBE_TS_BENCH_FLOOR_GZIP=1`,
 * the peer always (client-node's fetch asks for gzip and deflate).
 */
function compressionNote(): string {
  const kubeTs = process.env.KUBE_TS_BENCH_DISABLE_COMPRESSION === '1' ? 'identity' : 'gzip';
  const floor = process.env.KUBE_TS_BENCH_FLOOR_GZIP === '1' ? 'gzip' : 'identity';
  return `kube-ts ${kubeTs}, peer gzip, floor ${floor} (servers compress bodies above 128 KiB)`;
}
