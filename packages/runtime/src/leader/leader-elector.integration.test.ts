import { Api, Client } from '@kube-ts/client';
import { resources } from '@kube-ts/core';
import type { Lease } from '@kube-ts/k8s/coordination/v1';
import { useMemoryApiServer } from '@kube-ts/test-support';
import { pino } from 'pino';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { LeaderElector } from './leader-elector.js';
import { readRecord } from './lease-record.js';

const logger = pino({ level: 'silent' });
// Short (real) durations so that the tests finish quickly; the virtual-time tests check
// the defaults. Waits are bounded by `vi.waitFor` timeouts, nothing asserts on timing.
const FAST = { leaseDurationMs: 1_000, renewDeadlineMs: 600, retryPeriodMs: 100, logger };
const WAIT = { timeout: 8_000, interval: 20 };

let api: Api<Lease>;
let n = 0;

const env = useMemoryApiServer(undefined, (server) => Client.fromKubeConfig(server.kubeConfig));

beforeAll(async () => {
  api = Api.namespaced(env.client, resources.leases, 'default');
});

function pair(name: string): [LeaderElector, LeaderElector] {
  return [
    new LeaderElector(api, { name, identity: 'a', ...FAST }),
    new LeaderElector(api, { name, identity: 'b', ...FAST }),
  ];
}

describe('LeaderElector against MemoryApiServer', () => {
  it('two candidates: exactly one leads, and the lease names it', async () => {
    const name = `lease-${n++}`;
    const [a, b] = pair(name);
    const both = neverBoth(a, b);
    a.start();
    b.start();
    await vi.waitFor(() => expect(a.isLeader || b.isLeader).toBe(true), WAIT);
    await new Promise((r) => setTimeout(r, 500)); // several renew periods
    expect(both()).toBe(false);
    const leader = a.isLeader ? a : b;
    const lease = await api.get(name);
    expect(readRecord(lease).holderIdentity).toBe(leader.identity);
    expect(readRecord(lease).leaseDurationSeconds).toBe(1);
    await a.stop();
    await b.stop();
  });

  it('stopping the leader releases the lease and hands over', async () => {
    const name = `lease-${n++}`;
    const [a, b] = pair(name);
    a.start();
    await vi.waitFor(() => expect(a.isLeader).toBe(true), WAIT);
    b.start();
    await a.stop();
    expect(readRecord(await api.get(name)).holderIdentity).not.toBe('a');
    await vi.waitFor(() => expect(b.isLeader).toBe(true), WAIT);
    expect(readRecord(await api.get(name))).toMatchObject({
      holderIdentity: 'b',
      leaseTransitions: 1,
    });
    await b.stop();
  });

  it('a leader whose renewals fail steps down; never two leaders; the other can take over', async () => {
    const name = `lease-${n++}`;
    const [a, b] = pair(name);
    const both = neverBoth(a, b);
    a.start();
    await vi.waitFor(() => expect(a.isLeader).toBe(true), WAIT);
    b.start();
    const path = `/apis/coordination.k8s.io/v1/namespaces/default/leases/${name}`;
    env.server.faults.failNext(1_000, { method: 'PUT', path }, 500);
    await vi.waitFor(() => expect(a.isLeader).toBe(false), WAIT);
    env.server.faults.reset();
    await vi.waitFor(() => expect(a.isLeader || b.isLeader).toBe(true), WAIT);
    expect(both()).toBe(false);
    await a.stop();
    await b.stop();
  });

  it('a lease left by a crashed holder expires and another takes over', async () => {
    const name = `lease-${n++}`;
    const crashed = new LeaderElector(api, { name, identity: 'a', ...FAST, releaseOnStop: false });
    crashed.start();
    await vi.waitFor(() => expect(crashed.isLeader).toBe(true), WAIT);
    await crashed.stop(); // stops renewing without releasing, like a crashed process
    expect(readRecord(await api.get(name)).holderIdentity).toBe('a');
    const b = new LeaderElector(api, { name, identity: 'b', ...FAST });
    b.start();
    await vi.waitFor(() => expect(b.isLeader).toBe(true), WAIT);
    expect(readRecord(await api.get(name))).toMatchObject({
      holderIdentity: 'b',
      leaseTransitions: 1,
    });
    await b.stop();
  });
});

/** Records whether `a` and `b` ever lead at the same time; call the result to read it. */
function neverBoth(a: LeaderElector, b: LeaderElector): () => boolean {
  let both = false;
  const check = () => {
    if (a.isLeader && b.isLeader) both = true;
  };
  a.leading.subscribe(check);
  b.leading.subscribe(check);
  return () => both;
}
