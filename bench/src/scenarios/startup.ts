import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { Figure } from '../figure.js';
import { wallClockMs } from '../fixtures.js';
import { figureOf, progress, runOrder, type SubjectRuns } from '../measure.js';
import type { Subject } from '../protocol.js';
import type { ScenarioContext } from './context.js';

const PROBE: Partial<Record<Subject, string>> = {
  'kube-ts': fileURLToPath(new URL('../startup/kube-ts-start.js', import.meta.url)),
  peer: fileURLToPath(new URL('../startup/peer-start.js', import.meta.url)),
};

/** Runs one start-up probe in a fresh `node` process; resolves with its figures. */
function probe(subject: Subject, kubeconfig: string, namespace: string) {
  return new Promise<{ importMs: number; firstReconcileMs: number }>((resolve, reject) => {
    const spawnedAt = wallClockMs();
    execFile(
      process.execPath,
      [PROBE[subject]!, kubeconfig, namespace],
      { timeout: 120_000, env: { ...process.env, LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn' } },
      (err, stdout) => {
        if (err) return reject(err);
        const out = JSON.parse(stdout.trim().split('\n').at(-1) ?? '{}') as {
          importMs: number;
          firstReconcileAt: number;
        };
        resolve({ importMs: out.importMs, firstReconcileMs: out.firstReconcileAt - spawnedAt });
      },
    );
  });
}

/**
 * Scenario 7: start-up. A fresh `node` process per run: the time `import()` of the
 * subject's entry takes (`@kube-ts/runtime`; the peer: `@kubernetes/client-node`), and
 * the wall time from spawning the process to the first reconcile of a Controller over one
 * ConfigMap (the peer: its informer's first `add`), Node.js's own start-up included.
 */
export async function startupScenario(ctx: ScenarioContext): Promise<Figure[]> {
  const namespace = await ctx.dataset('cache', 1);
  const subjects: Subject[] = ['kube-ts', 'peer'];
  const runs = new Map<Subject, SubjectRuns>(subjects.map((s) => [s, { results: [], errors: [] }]));
  for (let run = 0; run < ctx.runs; run++) {
    for (const subject of runOrder(subjects, run)) {
      try {
        const values = await probe(subject, ctx.backend.kubeconfigPath, namespace);
        runs.get(subject)!.results.push({ values });
      } catch (err) {
        runs.get(subject)!.errors.push(String(err));
      }
    }
    progress(`  [${ctx.backend.name}] 7 start-up: run ${run + 1}/${ctx.runs} done`);
  }
  const base = { backend: ctx.backend.name, scenario: '7 start-up' };
  const k = runs.get('kube-ts');
  const p = runs.get('peer');
  return [
    figureOf(
      base,
      { metric: 'import() of the entry', unit: 'ms', better: 'lower', key: 'importMs' },
      k,
      p,
    ),
    figureOf(
      base,
      {
        metric: 'process spawn → first reconcile',
        unit: 'ms',
        better: 'lower',
        key: 'firstReconcileMs',
      },
      k,
      p,
    ),
  ];
}
