#!/usr/bin/env node
// Kubernetes' own conformance tests against a kube-ts test server:
//
//   npm run conformance -- --backend memory|real|existing [--kubeconfig PATH]
//                          [--focus RE | --focus-file FILE] [--skip RE] [--nodes N]
//                          [--cluster-nodes N] [--timeout 2h]
//
// Builds (once, cached under ~/.cache/kube-ts/conformance/) the e2e.test binary and the
// ginkgo runner of the k8s.io/kubernetes version test-e2e/conformance/go.mod pins, starts
// the chosen server (MemoryApiServer; ControlPlane = etcd + kube-apiserver +
// kube-controller-manager; or the cluster of --kubeconfig / $KUBECONFIG), runs the
// selection (default: the sig-api-machinery conformance specs that are neither Serial nor
// Disruptive) and writes conformance-results/<backend>/{junit.xml,report.json,
// summary.json,ginkgo.log}. It prints passed/failed/skipped and, once both a real and a
// memory run exist, the specs that pass on the real server but not on MemoryApiServer.
// `--nodes` is ginkgo's parallelism; `--cluster-nodes N` starts the server with N nodes
// where Pods run (ControlPlane: kube-scheduler and kwok; MemoryApiServer: its simulated
// scheduler and kubelet) and writes conformance-results/<backend>-nodes/ instead, compared
// with the latest real-nodes run. `--focus-file` selects the specs a file lists, one name a
// line (e.g. test-e2e/conformance/needs-nodes.txt).
//
// Exit status: for memory, 1 when a spec that passes on the real server (the latest
// `--backend real` run with as many cluster nodes, else, without nodes,
// test-e2e/conformance/real-passing.txt) fails on it; for the others, 1 when any selected
// spec failed.
import { spawn, spawnSync } from 'node:child_process';
import {
  createWriteStream,
  existsSync,
  mkdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import {
  completeSummary,
  formatSummary,
  outcomesFromLog,
  passingOnlyIn,
  selectedNames,
  summarize,
} from './conformance-report.mjs';

const root = new URL('..', import.meta.url).pathname;
const moduleDir = join(root, 'test-e2e/conformance');
const baselineFile = join(moduleDir, 'real-passing.txt');
const needsNodesFile = join(moduleDir, 'needs-nodes.txt');

const usage =
  'usage: npm run conformance -- --backend memory|real|existing [--kubeconfig PATH] ' +
  '[--focus RE | --focus-file FILE] [--skip RE] [--nodes N] [--cluster-nodes N] [--timeout 2h]';
const defaults = {
  backend: undefined,
  kubeconfig: process.env.KUBECONFIG,
  focus: '\\[sig-api-machinery\\].*\\[Conformance\\]',
  skip: '\\[Serial\\]|\\[Disruptive\\]',
  'focus-file': undefined,
  nodes: '4',
  'cluster-nodes': '0',
  timeout: '2h',
};
const opts = { ...defaults };
const args = process.argv.slice(2);
for (let i = 0; i < args.length; i++) {
  const [flag, inline] = args[i].split(/=(.*)/s, 2);
  const key = flag.replace(/^--/, '');
  if (!flag.startsWith('--') || !(key in defaults)) {
    console.error(`unknown argument ${args[i]}\n${usage}`);
    process.exit(2);
  }
  opts[key] = inline ?? args[++i];
}
if (!['memory', 'real', 'existing'].includes(opts.backend)) {
  console.error(usage);
  process.exit(2);
}
const clusterNodes = Number(opts['cluster-nodes']);
if (!Number.isInteger(clusterNodes) || clusterNodes < 0) {
  console.error(`--cluster-nodes must be a whole number\n${usage}`);
  process.exit(2);
}
if (opts['focus-file'] !== undefined) opts.focus = focusOf(readLines(opts['focus-file']));
if (opts.backend === 'existing' && !opts.kubeconfig) {
  console.error('--backend existing needs --kubeconfig PATH or $KUBECONFIG');
  process.exit(2);
}

/** The non-empty, non-comment lines of a file. */
function readLines(file) {
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '' && !l.startsWith('#'));
}

/** A ginkgo focus regexp that selects exactly the specs with these full names. */
function focusOf(names) {
  return names.map((n) => n.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|');
}

/** Runs a command to completion with inherited output; exits when it fails. */
function must(cmd, cmdArgs, cwd = root) {
  const res = spawnSync(cmd, cmdArgs, { cwd, stdio: 'inherit' });
  if (res.status !== 0) {
    console.error(`conformance: ${cmd} ${cmdArgs.join(' ')} failed`);
    process.exit(1);
  }
}

function k8sVersion() {
  const res = spawnSync('go', ['list', '-m', '-f', '{{.Version}}', 'k8s.io/kubernetes'], {
    cwd: moduleDir,
    encoding: 'utf8',
  });
  if (res.status !== 0) throw new Error(`go list failed: ${res.stderr}`);
  return res.stdout.trim();
}

must('bash', [join(moduleDir, 'build-binaries.sh')]);
const version = k8sVersion();
const binDir = join(homedir(), '.cache/kube-ts/conformance', version);

/** Starts the chosen server; returns its kubeconfig path and how to stop it. */
async function startBackend(outDir) {
  if (opts.backend === 'existing') return { kubeconfig: opts.kubeconfig, stop: async () => {} };
  must('npx', ['tsc', '-b', 'packages/testing']);
  const testing = await import('@kube-ts/testing');
  if (opts.backend === 'real') {
    must('bash', [join(root, 'test-e2e/controlplane/build-binaries.sh')]);
    const cp = await testing.ControlPlane.start({ controllerManager: true, nodes: clusterNodes });
    return { kubeconfig: cp.kubeconfigPath, stop: () => cp.stop() };
  }
  const server = await testing.MemoryApiServer.start({ nodes: clusterNodes });
  const kubeconfig = join(outDir, 'kubeconfig');
  await server.writeKubeconfig(kubeconfig);
  return { kubeconfig, stop: () => server.stop() };
}

/** Runs ginkgo over e2e.test; its output goes to ginkgo.log. Resolves with the exit code. */
function runGinkgo(kubeconfig, outDir) {
  const log = join(outDir, 'ginkgo.log');
  const ginkgoArgs = [
    `--focus=${opts.focus}`,
    `--skip=${opts.skip}`,
    `--nodes=${opts.nodes}`,
    `--timeout=${opts.timeout}`,
    '--no-color',
    '--silence-skips',
    // Each finished spec's name and outcome in ginkgo.log, for specs the report misses.
    '-v',
    `--output-dir=${outDir}`,
    '--junit-report=junit.xml',
    '--json-report=report.json',
    join(binDir, 'e2e.test'),
    '--',
    `--kubeconfig=${kubeconfig}`,
    '--provider=skeleton',
    '--kube-api-content-type=application/json',
    '--allowed-not-ready-nodes=-1',
    '--minStartupPods=-1',
    `--num-nodes=${clusterNodes}`,
    '--e2e-verify-service-account=false',
  ];
  console.log(`conformance: ginkgo ${ginkgoArgs.join(' ')}\nconformance: output in ${log}`);
  return new Promise((resolve) => {
    const logStream = createWriteStream(log);
    const child = spawn(join(binDir, 'ginkgo'), ginkgoArgs, {
      cwd: outDir,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout.pipe(logStream, { end: false });
    child.stderr.pipe(logStream, { end: false });
    child.on('close', (code) => logStream.end(() => resolve(code ?? 1)));
  });
}

/** The names of the specs the focus and skip select (ginkgo --dry-run; no server needed). */
function listSelected(outDir) {
  const res = spawnSync(
    join(binDir, 'ginkgo'),
    [
      '--dry-run',
      `--focus=${opts.focus}`,
      `--skip=${opts.skip}`,
      '--no-color',
      '--silence-skips',
      `--output-dir=${outDir}`,
      '--json-report=selected.json',
      join(binDir, 'e2e.test'),
      '--',
      '--provider=skeleton',
    ],
    { cwd: outDir, stdio: ['ignore', 'ignore', 'inherit'] },
  );
  const file = join(outDir, 'selected.json');
  if (res.status !== 0 || !existsSync(file)) {
    console.error(
      'conformance: ginkgo --dry-run failed; specs missing from the report go uncounted',
    );
    return [];
  }
  return selectedNames(JSON.parse(readFileSync(file, 'utf8')));
}

const runName = clusterNodes > 0 ? `${opts.backend}-nodes` : opts.backend;
const outDir = join(root, 'conformance-results', runName);
rmSync(outDir, { recursive: true, force: true });
mkdirSync(outDir, { recursive: true });
const selected = listSelected(outDir);
const started = Date.now();
const backend = await startBackend(outDir);
let code;
try {
  code = await runGinkgo(backend.kubeconfig, outDir);
} finally {
  await backend.stop();
}
const reportFile = join(outDir, 'report.json');
const logOutcomes = outcomesFromLog(readFileSync(join(outDir, 'ginkgo.log'), 'utf8'));
if (!existsSync(reportFile)) {
  console.error(`conformance: ginkgo wrote no report (exit ${code}); reading ${outDir}/ginkgo.log`);
}
const meta = {
  backend: opts.backend,
  clusterNodes,
  version,
  date: new Date(started).toISOString(),
  focus: opts.focus,
  skip: opts.skip,
  wallSeconds: Math.round((Date.now() - started) / 1000),
};
const summary = completeSummary(
  summarize(existsSync(reportFile) ? JSON.parse(readFileSync(reportFile, 'utf8')) : [], meta),
  selected,
  logOutcomes,
);
const needsNodes = new Set(readLines(needsNodesFile));
for (const spec of summary.specs) if (needsNodes.has(spec.name)) spec.needsNodes = true;
writeFileSync(join(outDir, 'summary.json'), `${JSON.stringify(summary, null, 2)}\n`);
console.log(formatSummary(summary));

let failed = summary.failed > 0;
if (opts.backend === 'memory') {
  const realFile = join(
    root,
    'conformance-results',
    clusterNodes > 0 ? 'real-nodes' : 'real',
    'summary.json',
  );
  const reference = existsSync(realFile)
    ? { from: realFile, summary: JSON.parse(readFileSync(realFile, 'utf8')) }
    : clusterNodes === 0 && existsSync(baselineFile)
      ? {
          from: baselineFile,
          summary: { specs: readLines(baselineFile).map((name) => ({ name, state: 'passed' })) },
        }
      : undefined;
  if (reference) {
    const missing = passingOnlyIn(reference.summary, summary);
    console.log(
      `\n${missing.length} specs pass on the real server (${reference.from}) but not on MemoryApiServer` +
        (missing.length ? ':' : ''),
    );
    for (const name of missing) console.log(`  ${name}`);
    failed = missing.length > 0;
  }
}
process.exit(failed ? 1 : 0);
