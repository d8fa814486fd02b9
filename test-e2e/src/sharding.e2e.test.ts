/**
 * Sharding across replica processes (examples/sharded-operator), on the chosen backend:
 * steady state, scaling, SIGKILL of a replica and of the sharder, and a SIGSTOP longer than
 * the shard Lease. See docs/sharding.md for the guarantees checked.
 *
 * By default (`npm test`, CI) one test runs every scenario at CI_SIZE (500 objects, half
 * the writes), the failures overlapping so that their waits do too (tourScenario).
 * `KUBE_TS_SHARDING_SIZE=full` runs instead the four separate scenarios at FULL_SIZE (1000
 * objects), one after the other; `npm run e2e:sharding -- --full` does that and prints the
 * figures, which `KUBE_TS_SHARDING_REPORT=<file>` appends there (one JSON line per run).
 */
import { appendFile, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Api } from '@kube-ts/client';
import {
  CI_SIZE,
  FULL_SIZE,
  killScenario,
  pauseScenario,
  type ScenarioReport,
  type ShardingTarget,
  scaleScenario,
  steadyScenario,
  tourScenario,
} from '@kube-ts/example-sharded-operator';
import { namespaces as namespaceResource } from '@kube-ts/k8s/core/v1';
import { afterAll, beforeAll, describe, expect, onTestFailed, test } from 'vitest';
import { type E2eContext, startE2e } from './support.js';

const size = process.env.KUBE_TS_SHARDING_SIZE === 'full' ? FULL_SIZE : CI_SIZE;

let e2e: E2eContext;
let dir: string;

beforeAll(async () => {
  e2e = await startE2e();
  dir = await mkdtemp(join(tmpdir(), 'sharding-e2e-'));
  await e2e.backend.writeKubeconfig(join(dir, 'kubeconfig'));
});

/** Set when a test failed: the shared logs and the replicas' output are kept for a look. */
let keep = false;

afterAll(async () => {
  await e2e?.stop();
  if (keep) process.stderr.write(`sharding e2e: logs kept in ${dir}\n`);
  else await rm(dir, { recursive: true, force: true });
});

/**
 * The scenario's namespace has a fixed name (not `e2e.namespace`'s unique one): it is part
 * of every object's ring key, so fixed names make the balance check reproducible.
 */
async function target(name: string, signal: AbortSignal): Promise<ShardingTarget> {
  onTestFailed(() => {
    keep = true;
  });
  const logPath = join(dir, `${name}.log`);
  await writeFile(logPath, '');
  const namespace = `sharding-${name}`;
  const namespaces = Api.cluster(e2e.client, namespaceResource);
  await namespaces.create({ metadata: { name: namespace } });
  e2e.onStop(() => namespaces.delete(namespace));
  return {
    client: e2e.client,
    kubeconfigPath: join(dir, 'kubeconfig'),
    namespace,
    logPath,
    signal,
  };
}

/** Checks the report's figures and appends it to KUBE_TS_SHARDING_REPORT, when set. */
async function reported(report: ScenarioReport): Promise<void> {
  expect(report.reconciles).toBeGreaterThanOrEqual(size.objects);
  const path = process.env.KUBE_TS_SHARDING_REPORT;
  if (path !== undefined) {
    const backend = process.env.KUBE_TS_E2E_BACKEND ?? 'memory';
    await appendFile(path, `${JSON.stringify({ backend, ...report })}\n`);
  }
}

if (size === CI_SIZE) {
  test('every scenario in one run: 3 steady, 3 → 5, then a stop, a SIGKILL and a SIGSTOP longer than the Lease (→ 2), then SIGKILL of the sharder', {
    timeout: 300_000,
  }, async ({ signal }) => {
    await reported(await tourScenario(await target('tour', signal), size));
  });
} else {
  describe('sharding across replica processes (full size)', { timeout: 480_000 }, () => {
    test('3 replicas under a random workload: balanced, one shard per object, caches hold only their shard', async ({
      signal,
    }) => {
      await reported(await steadyScenario(await target('steady', signal), size));
    });

    test('scale 3 → 5 → 2: drained to the new replicas, released by the stopped ones', async ({
      signal,
    }) => {
      await reported(await scaleScenario(await target('scale', signal), size));
    });

    test('SIGKILL of a replica, then of the sharder: fenced and reassigned', async ({ signal }) => {
      await reported(await killScenario(await target('kill', signal), size));
    });

    test('SIGSTOP longer than the shard Lease: fenced, reassigned; on SIGCONT the replica exits', async ({
      signal,
    }) => {
      await reported(await pauseScenario(await target('pause', signal), size));
    });
  });
}
