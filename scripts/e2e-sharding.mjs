#!/usr/bin/env node
// The sharding e2e at the size asked: `npm run e2e:sharding -- [--full] [--runs N] [--backend memory,real]`.
// Without --full it runs what `npm test` runs (every scenario in one run, 500 objects);
// with --full the four separate scenarios at 1000 objects (docs/sharding.md, "How it is
// tested"). Runs test-e2e/src/sharding.e2e.test.ts N times per backend, then prints each
// scenario run's figures (duration, the largest shard against an even share at each
// balanced check, the longest write-to-reconcile time) and writes them, one JSON line per
// scenario run, to sharding-results/<size>.jsonl.
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const args = process.argv.slice(2);
const usage = 'usage: npm run e2e:sharding -- [--full] [--runs N] [--backend memory,real]';
const option = (name, fallback) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 && args[i + 1] !== undefined ? args[i + 1] : fallback;
};
for (const a of args) {
  if (a.startsWith('--') && !['--full', '--runs', '--backend'].includes(a)) {
    console.error(`unknown option ${a}\n${usage}`);
    process.exit(2);
  }
}
const size = args.includes('--full') ? 'full' : 'ci';
const runs = Number(option('runs', '1'));
const backends = option('backend', 'memory,real').split(',').filter(Boolean);
if (!Number.isInteger(runs) || runs < 1) {
  console.error(`--runs must be a positive integer\n${usage}`);
  process.exit(2);
}

const outDir = join(root, 'sharding-results');
mkdirSync(outDir, { recursive: true });
const out = join(outDir, `${size}.jsonl`);
rmSync(out, { force: true });
// The replicas run the compiled example (examples/sharded-operator/dist).
if (spawnSync('npx', ['tsc', '-b'], { cwd: root, stdio: 'inherit' }).status !== 0) process.exit(1);
const failures = [];
for (let run = 1; run <= runs; run++) {
  for (const backend of backends) {
    console.log(`\n=== sharding e2e (${size}), ${backend}, run ${run}/${runs}`);
    const res = spawnSync(
      'npx',
      ['vitest', 'run', '--root', 'test-e2e', 'src/sharding.e2e.test.ts'],
      {
        cwd: root,
        stdio: 'inherit',
        env: {
          ...process.env,
          KUBE_TS_E2E_BACKEND: backend,
          KUBE_TS_SHARDING_SIZE: size,
          KUBE_TS_SHARDING_REPORT: out,
        },
      },
    );
    if (res.status !== 0) failures.push(`${backend} run ${run}`);
  }
}

let reports = [];
try {
  reports = readFileSync(out, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line));
} catch {
  // no scenario passed: nothing written
}
// The farthest any shard was from an even share, over the run's balanced checks.
const off = (b) => Math.max(b.max / b.even - 1, 1 - b.min / b.even);
const rows = reports.map((r) => {
  const worst = Math.max(0, ...r.balance.map(off));
  const spread = r.balance.map((b) => `${b.replicas}: ${b.min}–${b.max}/${b.even.toFixed(1)}`);
  return [
    r.backend,
    r.scenario,
    `${(r.durationMs / 1000).toFixed(1)} s`,
    `±${(worst * 100).toFixed(1)}%`,
    spread.join(', '),
    `${r.maxReconcileLagMs} ms`,
    String(r.reconciles),
  ];
});
const header = [
  'backend',
  'scenario',
  'duration',
  'farthest shard from even',
  'replicas: min–max/even per balanced check',
  'max write → reconcile',
  'reconciles',
];
const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
const line = (cells) => cells.map((c, i) => c.padEnd(widths[i])).join('  ');
console.log(`\nsharding e2e (${size}): ${reports.length} scenario runs passed; figures in ${out}`);
console.log(line(header));
for (const r of rows) console.log(line(r));
if (failures.length > 0) console.log(`failed: ${failures.join(', ')}`);
process.exit(failures.length > 0 ? 1 : 0);
