/**
 * Sharding across replica processes (examples/sharded-operator), on the chosen backend:
 * steady state, scaling, SIGKILL of a replica and of the sharder, and a SIGSTOP longer than
 * the shard Lease. See docs/sharding.md for the guarantees checked.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Api } from '@kube-ts/client';
import {
  killScenario,
  pauseScenario,
  type ShardingTarget,
  scaleScenario,
  steadyScenario,
} from '@kube-ts/example-sharded-operator';
import { namespaces as namespaceResource } from '@kube-ts/k8s/core/v1';
import { afterAll, beforeAll, describe, test } from 'vitest';
import { type E2eContext, startE2e } from './support.js';

let e2e: E2eContext;
let dir: string;

beforeAll(async () => {
  e2e = await startE2e();
  dir = await mkdtemp(join(tmpdir(), 'sharding-e2e-'));
  await e2e.backend.writeKubeconfig(join(dir, 'kubeconfig'));
});

afterAll(async () => {
  await e2e?.stop();
  await rm(dir, { recursive: true, force: true });
});

/**
 * The scenario's namespace has a fixed name (not `e2e.namespace`'s unique one): it is part
 * of every object's ring key, so fixed names make the balance check reproducible.
 */
async function target(name: string, signal: AbortSignal): Promise<ShardingTarget> {
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

describe('sharding across replica processes', { timeout: 480_000 }, () => {
  test('3 replicas under a random workload: balanced, one shard per object, caches hold only their shard', async ({
    signal,
  }) => {
    await steadyScenario(await target('steady', signal));
  });

  test('scale 3 → 5 → 2: drained to the new replicas, released by the stopped ones', async ({
    signal,
  }) => {
    await scaleScenario(await target('scale', signal));
  });

  test('SIGKILL of a replica, then of the sharder: fenced and reassigned', async ({ signal }) => {
    await killScenario(await target('kill', signal));
  });

  test('SIGSTOP longer than the shard Lease: fenced, reassigned; on SIGCONT the replica exits', async ({
    signal,
  }) => {
    await pauseScenario(await target('pause', signal));
  });
});
