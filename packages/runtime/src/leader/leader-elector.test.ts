import { pino } from 'pino';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { capturingLogger } from '../controller/capturing-logger.test-helper.js';
import { microTime } from '../micro-time.js';
import { FakeLeaseApi } from './fake-lease-api.test-helper.js';
import { LeaderElector, type LeaderElectorOptions } from './leader-elector.js';
import { claimRecord, readRecord } from './lease-record.js';

const logger = pino({ level: 'silent' });

function elector(api: FakeLeaseApi, identity: string, opts: Partial<LeaderElectorOptions> = {}) {
  return new LeaderElector(api, { name: 'op-leader', identity, logger, ...opts });
}

/** Lets pending promise callbacks run (the fake API settles in microtasks). */
async function settle(ms = 0): Promise<void> {
  await vi.advanceTimersByTimeAsync(ms);
}

describe('LeaderElector (virtual time)', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('creates the lease with client-go fields and the default durations', async () => {
    const api = new FakeLeaseApi();
    const a = elector(api, 'a');
    const seen: boolean[] = [];
    a.leading.subscribe((v) => seen.push(v));
    a.start();
    await settle();
    expect(a.isLeader).toBe(true);
    expect(seen).toEqual([false, true]);
    const spec = readRecord(api.lease!);
    expect(spec).toMatchObject({
      holderIdentity: 'a',
      leaseDurationSeconds: 15,
      leaseTransitions: 0,
    });
    expect(spec.acquireTime).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/);
    expect(api.lease?.metadata?.name).toBe('op-leader');
    await a.stop();
  });

  it('renews every retry period, keeping acquireTime and transitions', async () => {
    const api = new FakeLeaseApi();
    const a = elector(api, 'a');
    a.start();
    await settle();
    const first = readRecord(api.lease!);
    await settle(2_000);
    const second = readRecord(api.lease!);
    expect(second.acquireTime).toBe(first.acquireTime);
    expect(second.renewTime).not.toBe(first.renewTime);
    expect(second.leaseTransitions).toBe(0);
    expect(api.writes).toBe(2);
    await a.stop();
  });

  it('exactly one of two candidates leads', async () => {
    const api = new FakeLeaseApi();
    const a = elector(api, 'a');
    const b = elector(api, 'b');
    a.start();
    b.start();
    for (let i = 0; i < 30; i++) {
      await settle(1_000);
      expect(Number(a.isLeader) + Number(b.isLeader)).toBe(1);
    }
    await a.stop();
    await b.stop();
  });

  it('does not take a lease held by another until it has been unchanged for its duration', async () => {
    const api = new FakeLeaseApi();
    api.lease = {
      metadata: { name: 'op-leader', resourceVersion: '7' },
      spec: claimRecord(undefined, 'gone', 15, Date.now()) as never,
    };
    const b = elector(api, 'b');
    b.start();
    await settle(14_000);
    expect(b.isLeader).toBe(false);
    // The first attempt after 15 s unchanged comes at most one retry period with its
    // jitter (2 s × 2.2 = 4.4 s) later: by 19.4 s.
    await settle(6_000);
    expect(b.isLeader).toBe(true);
    expect(readRecord(api.lease!)).toMatchObject({ holderIdentity: 'b', leaseTransitions: 1 });
    await b.stop();
  });

  it('takes a released lease (empty holder) at once', async () => {
    const api = new FakeLeaseApi();
    api.lease = {
      metadata: { name: 'op-leader', resourceVersion: '7' },
      spec: { ...claimRecord(undefined, 'gone', 15, Date.now()), holderIdentity: '' } as never,
    };
    const b = elector(api, 'b');
    b.start();
    await settle();
    expect(b.isLeader).toBe(true);
    await b.stop();
  });

  it('steps down when it cannot renew within the renew deadline, and not before', async () => {
    const api = new FakeLeaseApi();
    const a = elector(api, 'a');
    a.start();
    await settle();
    api.failing = true;
    await settle(9_999);
    expect(a.isLeader).toBe(true);
    await settle(1);
    expect(a.isLeader).toBe(false);
    api.failing = false;
    await settle(5_000); // competes again: the lease is still its own
    expect(a.isLeader).toBe(true);
    await a.stop();
  });

  it('steps down by the renew deadline even when requests hang, and says a renewal was waiting', async () => {
    const api = new FakeLeaseApi();
    const { lines, logger } = capturingLogger('warn');
    const a = new LeaderElector(api, { name: 'op-leader', identity: 'a', logger });
    a.start();
    await settle();
    api.hang = true;
    await settle(10_000);
    expect(a.isLeader).toBe(false);
    // The renewal sent 2 s after the last successful one has waited 8 s.
    expect(lines).toEqual([
      expect.objectContaining({
        sinceRenewalMs: 10_000,
        renewalInFlightMs: 8_000,
        why: 'a renewal was still waiting for the API server',
      }),
    ]);
  });

  it('says why it stepped down: failed renewals, or timers that ran late (a blocked event loop)', async () => {
    const api = new FakeLeaseApi();
    const { lines, logger } = capturingLogger('warn');
    const a = new LeaderElector(api, { name: 'op-leader', identity: 'a', logger });
    a.start();
    await settle();
    api.failing = true;
    await settle(10_000);
    expect(a.isLeader).toBe(false);
    expect(lines.at(-1)).toMatchObject({ why: 'renewals failed or were refused' });
    expect(lines.at(-1)?.renewalInFlightMs).toBeUndefined();

    api.failing = false;
    await settle(5_000);
    expect(a.isLeader).toBe(true);
    // The event loop was blocked for 15 s: the monotonic clock moved, no timer ran.
    const blockedAt = performance.now();
    vi.spyOn(performance, 'now').mockReturnValue(blockedAt + 15_000);
    expect(a.confirmLeadership()).toBe(false);
    vi.mocked(performance.now).mockRestore();
    expect(lines.at(-1)).toMatchObject({
      why: 'timers ran late: the event loop was blocked or the process paused',
    });
    await a.stop();
  });

  it('after a clock jump past the renew deadline (a pause) it steps down as soon as asked', async () => {
    const api = new FakeLeaseApi();
    const a = elector(api, 'a');
    const seen: boolean[] = [];
    a.leading.subscribe((v) => seen.push(v));
    a.start();
    await settle();
    expect(a.confirmLeadership()).toBe(true);
    // The process was frozen for 10 s: the monotonic clock moved, no timer has run yet.
    const frozenAt = performance.now();
    vi.spyOn(performance, 'now').mockReturnValue(frozenAt + 10_000);
    expect(a.isLeader).toBe(false);
    expect(seen).toEqual([false, true]);
    expect(a.confirmLeadership()).toBe(false);
    expect(seen).toEqual([false, true, false]);
    vi.mocked(performance.now).mockRestore();
    const writes = api.writes;
    await settle(1);
    expect(api.writes).toBe(writes); // the overdue renewal was not sent
    await a.stop();
  });

  it('a stalled leader steps down before another candidate can take over', async () => {
    const api = new FakeLeaseApi();
    const a = elector(api, 'a');
    const b = elector(api, 'b');
    a.start();
    await settle();
    b.start();
    await settle(1_000);
    // a can no longer reach the server; b still can.
    const real = api.replace.bind(api);
    api.replace = (name, lease) =>
      (lease.spec as { holderIdentity?: string }).holderIdentity === 'a'
        ? Promise.reject(new Error('injected'))
        : real(name, lease);
    let bothLeading = false;
    for (let i = 0; i < 300; i++) {
      await settle(100);
      if (a.isLeader && b.isLeader) bothLeading = true;
    }
    expect(bothLeading).toBe(false);
    expect(a.isLeader).toBe(false);
    expect(b.isLeader).toBe(true);
    expect(readRecord(api.lease!)).toMatchObject({ holderIdentity: 'b', leaseTransitions: 1 });
    await b.stop();
    await a.stop();
  });

  it('stop() releases the lease and the other candidate takes over at its next attempt', async () => {
    const api = new FakeLeaseApi();
    const a = elector(api, 'a');
    const b = elector(api, 'b');
    a.start();
    await settle();
    b.start();
    await settle(100);
    const values: boolean[] = [];
    let completed = false;
    a.leading.subscribe({ next: (v) => values.push(v), complete: () => (completed = true) });
    await a.stop();
    expect(values).toEqual([true, false]);
    expect(completed).toBe(true);
    expect(api.holder).toBe('');
    await settle(2_000 * 2.2);
    expect(b.isLeader).toBe(true);
    await b.stop();
  });

  it('does not release on stop when releaseOnStop is false', async () => {
    const api = new FakeLeaseApi();
    const a = elector(api, 'a', { releaseOnStop: false });
    a.start();
    await settle();
    await a.stop();
    expect(api.holder).toBe('a');
    expect(a.isLeader).toBe(false);
  });

  it('stop({ release: false }) leaves the lease to expire', async () => {
    const api = new FakeLeaseApi();
    const a = elector(api, 'a');
    a.start();
    await settle();
    await a.stop({ release: false });
    expect(api.holder).toBe('a');
  });

  it('a losing writer (409) retries instead of failing', async () => {
    const api = new FakeLeaseApi();
    const a = elector(api, 'a');
    a.start();
    await settle();
    // Someone else rewrites the lease (new resourceVersion) between a's read and write.
    const realGet = api.getOpt.bind(api);
    let interfere = true;
    api.getOpt = async (name) => {
      const lease = await realGet(name);
      if (interfere && lease) {
        interfere = false;
        api.lease = { ...lease, metadata: { ...lease.metadata, resourceVersion: '999' } };
      }
      return lease;
    };
    await settle(2_000);
    expect(a.isLeader).toBe(true); // one 409 does not cost leadership
    await settle(2_000);
    expect(readRecord(api.lease!).holderIdentity).toBe('a');
    expect(api.lease?.metadata?.resourceVersion).not.toBe('999');
    await a.stop();
  });

  it('validates its durations with a message naming them', () => {
    const api = new FakeLeaseApi();
    expect(() => elector(api, 'a', { leaseDurationMs: 5_000 })).toThrow(
      /leaseDurationMs \(5000\) must be greater than renewDeadlineMs/,
    );
    expect(() => elector(api, 'a', { renewDeadlineMs: 2_000 })).toThrow(/1\.2 × retryPeriodMs/);
    expect(() => new LeaderElector(api, { name: '' })).toThrow(/name/);
  });

  it('defaults the identity to hostname_uuid', () => {
    const a = new LeaderElector(new FakeLeaseApi(), { name: 'x', logger });
    expect(a.identity).toMatch(/^.+_[0-9a-f-]{36}$/);
  });

  it('microTime has six fractional digits', () => {
    expect(microTime(Date.UTC(2024, 0, 2, 3, 4, 5, 678))).toBe('2024-01-02T03:04:05.678000Z');
  });
});

describe('LeaderElector.stop with a hanging request (virtual time)', () => {
  it('gives up waiting for the renewal, then for the release, after the renew deadline each', async () => {
    vi.useFakeTimers();
    try {
      const api = new FakeLeaseApi();
      const a = elector(api, 'a');
      a.start();
      await settle();
      api.hang = true;
      await settle(2_000); // a renewal is now in flight and never settles
      let stopped = false;
      void a.stop().then(() => (stopped = true));
      await settle(9_999);
      expect(stopped).toBe(false);
      await settle(1); // the renewal is given up: the release starts, and hangs too
      expect(stopped).toBe(false);
      await settle(10_000);
      expect(stopped).toBe(true);
    } finally {
      vi.useRealTimers();
    }
  });
});
