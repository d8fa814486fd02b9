/**
 * `node dist/profile-summary.js FILE.cpuprofile… [--top N] [--after-pause] [--after NAME]`:
 * prints where the CPU time of V8 CPU profiles (from `--cpu-prof`, e.g. `npm run bench --
 * --cpu-prof DIR`) went — the functions with the most self time, and self time per
 * package — to find hot spots. `--after NAME` keeps only the samples after the last one
 * with the function NAME on its stack (e.g. `settledHeapUsed`, which the measured
 * processes call right before the measured phase of scenarios 2 and 6).
 */
import { readFileSync } from 'node:fs';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}

interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

/** A gap between two samples longer than this is time the process was not running. */
const PAUSE_MS = 50;

/** Self time in ms per function and per package of one or more profiles. */
export interface ProfileSummary {
  readonly totalMs: number;
  readonly functions: ReadonlyMap<string, number>;
  readonly packages: ReadonlyMap<string, number>;
}

/** The package (or `node:` internals, `(gc)`, `(program)`…) a script URL belongs to. */
export function packageOf(url: string): string {
  if (url === '') return '(native/vm)';
  if (url.startsWith('node:')) return 'node: internals';
  const nm = url.lastIndexOf('/node_modules/');
  if (nm >= 0) {
    const rest = url.slice(nm + '/node_modules/'.length).split('/');
    return rest[0]!.startsWith('@') ? `${rest[0]}/${rest[1]}` : rest[0]!;
  }
  const pkg = /\/(packages|bench)\/([^/]+)?/.exec(url);
  if (pkg) return pkg[1] === 'bench' ? 'bench' : `@kube-ts/${pkg[2]}`;
  return url;
}

/** Adds up self time per function and per package over the given profiles. */
export function summarizeProfiles(
  profiles: readonly CpuProfile[],
  afterPause = false,
  afterFunction?: string,
): ProfileSummary {
  const functions = new Map<string, number>();
  const packages = new Map<string, number>();
  let totalMs = 0;
  for (const profile of profiles) {
    const byId = new Map(profile.nodes.map((n) => [n.id, n]));
    // With afterPause, only what ran after the longest pause (the ingest scenario's
    // SIGSTOP): the drain of the backlog, without start-up and sync.
    let from = 0;
    if (afterPause) {
      let longest = 0;
      profile.timeDeltas.forEach((d, i) => {
        if (i > 0 && d > longest) {
          longest = d;
          from = i;
        }
      });
    }
    if (afterFunction !== undefined) from = Math.max(from, afterLast(profile, afterFunction));
    profile.samples.forEach((id, i) => {
      if (i < from) return;
      const ms = (profile.timeDeltas[i] ?? 0) / 1000;
      const node = byId.get(id);
      if (!node) return;
      if (ms > PAUSE_MS) {
        // The process was not running (SIGSTOPped by the ingest scenario, or descheduled).
        packages.set('(paused)', (packages.get('(paused)') ?? 0) + ms);
        return;
      }
      const { functionName, url, lineNumber } = node.callFrame;
      const file = url.split('/').slice(-1)[0] ?? '';
      const fn = `${functionName || '(anonymous)'} ${file}:${lineNumber + 1} [${packageOf(url)}]`;
      const name = url === '' ? functionName : fn;
      functions.set(name, (functions.get(name) ?? 0) + ms);
      const pkg = url === '' ? functionName : packageOf(url);
      packages.set(pkg, (packages.get(pkg) ?? 0) + ms);
      totalMs += ms;
    });
  }
  return { totalMs, functions, packages };
}

/** The index of the first sample after the last one with `name` on its stack (0 if none). */
function afterLast(profile: CpuProfile, name: string): number {
  const parent = new Map<number, ProfileNode>();
  for (const node of profile.nodes) {
    for (const child of node.children ?? []) parent.set(child, node);
  }
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const onStack = new Map<number, boolean>();
  const has = (id: number): boolean => {
    const known = onStack.get(id);
    if (known !== undefined) return known;
    const node = byId.get(id);
    const up = parent.get(id);
    const result = node?.callFrame.functionName === name || (up !== undefined && has(up.id));
    onStack.set(id, result);
    return result;
  };
  for (let i = profile.samples.length - 1; i >= 0; i--) {
    if (has(profile.samples[i]!)) return i + 1;
  }
  return 0;
}

function top(map: ReadonlyMap<string, number>, total: number, n: number): string {
  return [...map]
    .sort((a, b) => b[1] - a[1])
    .slice(0, n)
    .map(
      ([k, ms]) =>
        `${ms.toFixed(0).padStart(8)} ms ${((ms / total) * 100).toFixed(1).padStart(5)}%  ${k}`,
    )
    .join('\n');
}

function main(argv: readonly string[]): void {
  const topIdx = argv.indexOf('--top');
  const n = topIdx >= 0 ? Number(argv[topIdx + 1]) : 25;
  const afterPause = argv.includes('--after-pause');
  const afterIdx = argv.indexOf('--after');
  const afterFunction = afterIdx >= 0 ? argv[afterIdx + 1] : undefined;
  const files = argv.filter(
    (a, i) =>
      a !== '--top' &&
      a !== '--after-pause' &&
      a !== '--after' &&
      (topIdx < 0 || i !== topIdx + 1) &&
      (afterIdx < 0 || i !== afterIdx + 1),
  );
  if (files.length === 0) {
    console.error(
      'usage: node dist/profile-summary.js FILE.cpuprofile… [--top N] [--after-pause] [--after NAME]',
    );
    process.exitCode = 2;
    return;
  }
  const summary = summarizeProfiles(
    files.map((f) => JSON.parse(readFileSync(f, 'utf8')) as CpuProfile),
    afterPause,
    afterFunction,
  );
  console.log(
    `total ${summary.totalMs.toFixed(0)} ms over ${files.length} profile(s)\n\nself time by package:`,
  );
  console.log(top(summary.packages, summary.totalMs, n));
  console.log('\nself time by function:');
  console.log(top(summary.functions, summary.totalMs, n));
}

if (process.argv[1] && import.meta.url.endsWith(process.argv[1].split('/').slice(-1)[0]!)) {
  main(process.argv.slice(2));
}
