/**
 * The chaos suite (see docs/chaos.md): seeded runs of random writes and faults against a
 * controller, each checked for a store equal to a fresh LIST, every live object reconciled
 * at its last resourceVersion, no overlapping reconciles, no crash and no unhandled
 * rejection. `npm test` runs a short one; `npm run chaos -- --runs 100` a long one.
 *
 * Environment: CHAOS_RUNS (default 2), CHAOS_SEED (first seed, default 1), CHAOS_STEPS
 * (workload steps per run, default 40), CHAOS_OUT (write the summary as JSON there).
 */
import { writeFileSync } from 'node:fs';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { type ChaosResult, chaosRun } from './chaos/chaos-run.js';
import { summarize } from './chaos/summary.js';
import { type E2eContext, startE2e } from './support.js';

const runs = Number(process.env.CHAOS_RUNS ?? 2);
const firstSeed = Number(process.env.CHAOS_SEED ?? 1);
const steps = Number(process.env.CHAOS_STEPS ?? 40);

let e2e: E2eContext;
const results: ChaosResult[] = [];

beforeAll(async () => {
  e2e = await startE2e();
});

/** Writes the summary so far to CHAOS_OUT (after every run, so a stopped suite leaves its figures). */
function record(): string {
  const summary = summarize(results);
  if (process.env.CHAOS_OUT) {
    writeFileSync(process.env.CHAOS_OUT, `${JSON.stringify(summary, null, 2)}\n`);
  }
  return summary.text;
}

afterAll(async () => {
  console.info(record());
  await e2e?.stop();
});

for (let i = 0; i < runs; i++) {
  const seed = firstSeed + i;
  test(`chaos seed ${seed}: the controller converges and keeps its guarantees`, async () => {
    const ns = await e2e.namespace(`chaos-${seed}`);
    const result = await chaosRun(e2e.backend, e2e.client, ns, seed, {
      steps,
      settleTimeoutMs: 90_000,
    });
    results.push(result);
    record();
    expect(result.failure, `replay with CHAOS_SEED=${seed} CHAOS_RUNS=1`).toBeUndefined();
    expect(result.passed).toBe(true);
  }, 240_000);
}
