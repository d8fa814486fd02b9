#!/usr/bin/env node
// The long chaos suite: `npm run chaos -- --runs 100 [--seed 1] [--steps 40] [--backend memory,real]`.
// Runs test-e2e/src/chaos.e2e.test.ts once per backend with that many seeded runs, prints
// each backend's figures (runs passed/total, faults injected, time to settle p50/max) and
// writes them to chaos-results/<backend>.json. Replay one run with --seed N --runs 1.
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const args = process.argv.slice(2);
const option = (name, fallback) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 && args[i + 1] !== undefined ? args[i + 1] : fallback;
};
for (const a of args) {
  if (a.startsWith('--') && !['--runs', '--seed', '--steps', '--backend'].includes(a)) {
    console.error(
      `unknown option ${a}\nusage: npm run chaos -- [--runs N] [--seed S] [--steps N] [--backend memory,real]`,
    );
    process.exit(2);
  }
}
const backends = option('backend', 'memory,real').split(',').filter(Boolean);
const outDir = join(root, 'chaos-results');
mkdirSync(outDir, { recursive: true });
let failed = false;
for (const backend of backends) {
  const out = join(outDir, `${backend}.json`);
  const res = spawnSync('npx', ['vitest', 'run', '--root', 'test-e2e', 'src/chaos.e2e.test.ts'], {
    cwd: root,
    stdio: 'inherit',
    env: {
      ...process.env,
      KUBE_TS_E2E_BACKEND: backend,
      CHAOS_RUNS: option('runs', '100'),
      CHAOS_SEED: option('seed', '1'),
      CHAOS_STEPS: option('steps', '40'),
      CHAOS_OUT: out,
    },
  });
  if (res.status !== 0) failed = true;
  try {
    console.log(JSON.parse(readFileSync(out, 'utf8')).text);
  } catch {
    console.log(`chaos [${backend}]: no summary written`);
    failed = true;
  }
}
process.exit(failed ? 1 : 0);
