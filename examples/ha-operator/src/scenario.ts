/**
 * Failover, checked from the outside: two replicas run as separate processes against one
 * API server (MemoryApiServer in the example's test, a real kube-apiserver in test-e2e);
 * the leader is killed with SIGKILL, so it cannot release the Lease, and the standby
 * takes over once the Lease expires.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { Api, type Client } from '@kube-ts/client';
import { leases } from '@kube-ts/k8s/coordination/v1';
import { configMaps } from '@kube-ts/k8s/core/v1';
import { expect } from 'vitest';
import { LEASE_NAME } from './replica.js';
import { STAMP, STAMPED_BY } from './stamper.js';

/** The compiled entry point (from `src/` in tests and `dist/` once built alike). */
const MAIN = fileURLToPath(new URL('../dist/main.js', import.meta.url));

/** Where the replicas run. */
export interface FailoverTarget {
  readonly client: Client;
  /** A kubeconfig file the replica processes use. */
  readonly kubeconfigPath: string;
  /** Holds the Lease and the ConfigMaps; the replicas watch only it. */
  readonly namespace: string;
}

const eventually = <T>(read: () => Promise<T>) =>
  expect.poll(read, { timeout: 60_000, interval: 100 });

function start(target: FailoverTarget, identity: string): ChildProcess {
  const child = spawn(process.execPath, [MAIN], {
    env: {
      ...process.env,
      KUBECONFIG: target.kubeconfigPath,
      POD_NAME: identity,
      POD_NAMESPACE: target.namespace,
      WATCH_NAMESPACE: target.namespace,
      PORT: '0',
      LOG_LEVEL: 'warn',
      // Short terms so that the test does not wait 15 s for an expired lease.
      LEASE_DURATION_MS: '4000',
      RENEW_DEADLINE_MS: '3000',
      RETRY_PERIOD_MS: '500',
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  return child;
}

/** Two replicas; one leads; SIGKILL it; the other takes over; SIGTERM hands the Lease back. */
export async function failoverScenario(target: FailoverTarget): Promise<void> {
  const { client, namespace } = target;
  const lease = Api.namespaced(client, leases, namespace);
  const cms = Api.namespaced(client, configMaps, namespace);
  const holder = async () => (await lease.getOpt(LEASE_NAME))?.spec?.holderIdentity ?? '';
  const stampOf = async (name: string) =>
    (await cms.getOpt(name))?.metadata?.annotations?.[STAMPED_BY];
  const replicas = new Map([
    ['replica-a', start(target, 'replica-a')],
    ['replica-b', start(target, 'replica-b')],
  ]);
  try {
    await eventually(holder).toMatch(/^replica-[ab]$/);
    const leader = await holder();
    const standby = leader === 'replica-a' ? 'replica-b' : 'replica-a';

    // Only the leader reconciles.
    await cms.create({ metadata: { name: 'first', labels: { [STAMP]: 'true' } } });
    await eventually(() => stampOf('first')).toBe(leader);

    // The leader dies without releasing the Lease; the standby takes over after it expires.
    const dead = replicas.get(leader);
    dead?.kill('SIGKILL');
    if (dead) await once(dead, 'exit');
    await eventually(holder).toBe(standby);
    await cms.create({ metadata: { name: 'second', labels: { [STAMP]: 'true' } } });
    await eventually(() => stampOf('second')).toBe(standby);
    expect(await stampOf('first')).toBe(leader);

    // A graceful stop releases the Lease at once (empty holder) and exits 0.
    const survivor = replicas.get(standby);
    survivor?.kill('SIGTERM');
    const [code] = survivor ? await once(survivor, 'exit') : [0];
    expect(code).toBe(0);
    expect(await holder()).toBe('');
  } finally {
    for (const child of replicas.values()) if (child.exitCode === null) child.kill('SIGKILL');
  }
}
