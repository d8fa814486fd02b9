import { join } from 'node:path';
import type { Figure } from './figure.js';
import type { Measurements, Subject, Task } from './protocol.js';
import { summarize } from './stats.js';
import { prepareWorker, type WorkerHooks, type WorkerResult } from './worker-host.js';

/** Prints a progress line on stderr (stdout carries only the result table). */
export function progress(text: string): void {
  process.stderr.write(`${new Date().toISOString().slice(11, 19)} ${text}\n`);
}

/** Everything one subject reported over its runs. */
export interface SubjectRuns {
  readonly results: WorkerResult[];
  readonly errors: string[];
}

/** How to run one measured task `runs` times per subject. */
export interface MeasureSpec {
  /** Label for progress lines and CPU profile names. */
  readonly label: string;
  readonly subjects: readonly Subject[];
  readonly runs: number;
  /** The task of one run. */
  readonly task: (subject: Subject, run: number) => Task;
  /** Hooks of one run (e.g. driving the server once the worker is ready). */
  readonly hooks?: (subject: Subject, run: number) => WorkerHooks;
  /** Write a CPU profile of each run into this directory. */
  readonly cpuProfDir?: string;
}

/**
 * The order of the subjects in run `run`: even runs rotate the list by one more place
 * each time, odd runs reverse the run before, so that over the runs each subject goes
 * first equally often (for three subjects, six runs give all six orders).
 */
export function runOrder<T>(subjects: readonly T[], run: number): T[] {
  const n = subjects.length;
  const rotated = subjects.map((_, i) => subjects[(i + Math.floor(run / 2)) % n]!);
  return run % 2 === 0 ? rotated : rotated.reverse();
}

/**
 * Runs the task `runs` times for each subject, one fresh process per run, interleaving
 * the subjects (see {@link runOrder}) so that drift of a shared machine
 * affects both alike. The processes of one run are started and load their modules
 * together, while nothing is measured; then each is measured alone, one after the other.
 * A failed run is recorded, not fatal.
 */
export async function measure(spec: MeasureSpec): Promise<Map<Subject, SubjectRuns>> {
  const out = new Map<Subject, SubjectRuns>(
    spec.subjects.map((s) => [s, { results: [], errors: [] }]),
  );
  const failed = (subject: Subject, run: number, err: unknown) => {
    const message = err instanceof Error ? err.message : String(err);
    out.get(subject)!.errors.push(message);
    progress(`  ${spec.label}: ${subject} run ${run + 1} failed: ${message.split('\n')[0]}`);
  };
  for (let run = 0; run < spec.runs; run++) {
    const order = runOrder(spec.subjects, run);
    const prepared = await Promise.allSettled(
      order.map((subject) => {
        const hooks = spec.hooks?.(subject, run) ?? {};
        const prof = spec.cpuProfDir
          ? [
              '--cpu-prof',
              `--cpu-prof-dir=${spec.cpuProfDir}`,
              `--cpu-prof-name=${spec.label.replace(/\W+/g, '-')}-${subject}-${run + 1}.cpuprofile`,
            ]
          : [];
        return prepareWorker(subject, spec.task(subject, run), {
          ...hooks,
          execArgv: [...(hooks.execArgv ?? []), ...prof],
        });
      }),
    );
    for (const [i, subject] of order.entries()) {
      const worker = prepared[i]!;
      if (worker.status === 'rejected') {
        failed(subject, run, worker.reason);
        continue;
      }
      try {
        out.get(subject)!.results.push(await worker.value.start());
      } catch (err) {
        failed(subject, run, err);
      }
    }
    progress(`  ${spec.label}: run ${run + 1}/${spec.runs} done`);
  }
  return out;
}

/** How to turn a measured value into a figure row. */
export interface MetricSpec {
  readonly metric: string;
  readonly unit: string;
  readonly better: 'higher' | 'lower';
  /** Reads the sample of one run (default: `values[key]`). */
  readonly key: string | ((result: WorkerResult) => number);
}

function samplesOf(runs: SubjectRuns | undefined, key: MetricSpec['key']): number[] {
  if (!runs) return [];
  return runs.results.map((r) =>
    typeof key === 'function' ? key(r) : ((r.values as Measurements)[key] ?? Number.NaN),
  );
}

/**
 * Builds one figure from the runs of each subject. `kubeTs`, `peer` and `floor` name the
 * subject runs to use for each column (so a kube-ts variant can be set against the peer).
 */
export function figureOf(
  base: { backend: string; scenario: string },
  metric: MetricSpec,
  kubeTs: SubjectRuns | undefined,
  peer: SubjectRuns | undefined,
  note?: string,
  floor?: SubjectRuns,
): Figure {
  const summary = (runs: SubjectRuns | undefined) => {
    const samples = samplesOf(runs, metric.key).filter(Number.isFinite);
    return samples.length > 0 ? summarize(samples) : undefined;
  };
  const k = summary(kubeTs);
  const p = summary(peer);
  const f = summary(floor);
  const errors = [
    ...(kubeTs?.errors ?? []).map((e) => `kube-ts: ${e}`),
    ...(peer?.errors ?? []).map((e) => `peer: ${e}`),
    ...(floor?.errors ?? []).map((e) => `floor: ${e}`),
  ];
  const notes = [
    note,
    errors.length > 0 ? `${errors.length} failed run(s): ${errors[0]!.split('\n')[0]}` : undefined,
  ]
    .filter(Boolean)
    .join('; ');
  return {
    ...base,
    metric: metric.metric,
    unit: metric.unit,
    better: metric.better,
    ...(k ? { kubeTs: k } : {}),
    ...(p ? { peer: p } : {}),
    ...(f ? { floor: f } : {}),
    ...(notes ? { note: notes } : {}),
  };
}

/** The CPU profile directory for a backend, when profiling. */
export function profDir(root: string | undefined, backend: string): string | undefined {
  return root ? join(root, backend) : undefined;
}
