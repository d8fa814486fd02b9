import type { Lease } from '@kube-ts/k8s/coordination/v1';
import { describe, expect, it } from 'vitest';
import { SHARDER_HOLDER, ShardStates } from './shard-states.js';

function lease(name: string, holder: string, renewTime: string, seconds = 15): Lease {
  return {
    metadata: { name },
    spec: { holderIdentity: holder, leaseDurationSeconds: seconds, renewTime },
  };
}

describe('ShardStates', () => {
  it('counts a Lease as renewed when the sharder sees it change, on its own clock', () => {
    const states = new ShardStates(15_000, 60_000);
    // First sight: ready for a whole lease duration, whatever renewTime says.
    expect(states.update([lease('r-a', 'a', '2000-01-01T00:00:00.000000Z')], 1_000)).toEqual([
      { lease: 'r-a', shard: 'a', state: 'ready', expiresInMs: 15_000 },
    ]);
    expect(states.update([lease('r-a', 'a', '2000-01-01T00:00:00.000000Z')], 15_999)[0]).toEqual({
      lease: 'r-a',
      shard: 'a',
      state: 'ready',
      expiresInMs: 1,
    });
    // Unchanged for exactly leaseDurationSeconds: expired.
    expect(
      states.update([lease('r-a', 'a', '2000-01-01T00:00:00.000000Z')], 16_000)[0]?.state,
    ).toBe('expired');
    // A renewal (new record) makes it ready again from the time it is seen.
    expect(states.update([lease('r-a', 'a', '2000-01-01T00:00:02.000000Z')], 20_000)[0]).toEqual({
      lease: 'r-a',
      shard: 'a',
      state: 'ready',
      expiresInMs: 15_000,
    });
  });

  it('uses the duration written in the Lease', () => {
    const states = new ShardStates(15_000, 60_000);
    states.update([lease('r-a', 'a', 't1', 2)], 0);
    expect(states.update([lease('r-a', 'a', 't1', 2)], 2_000)[0]?.state).toBe('expired');
  });

  it('treats a released or taken-over Lease as dead at once', () => {
    const states = new ShardStates(15_000, 60_000);
    expect(states.update([lease('r-a', '', 't'), lease('r-b', SHARDER_HOLDER, 't')], 0)).toEqual([
      { lease: 'r-a', shard: undefined, state: 'dead', expiresInMs: 0 },
      { lease: 'r-b', shard: undefined, state: 'dead', expiresInMs: 0 },
    ]);
  });

  it('forgets a deleted Lease, so one created again under that name starts fresh', () => {
    const states = new ShardStates(15_000, 60_000);
    states.update([lease('r-a', 'a', 't1')], 0);
    states.update([], 10_000);
    expect(states.update([lease('r-a', 'a', 't1')], 20_000)[0]?.state).toBe('ready');
  });

  it('orphans a dead Lease once unchanged for its duration plus the TTL, on the sharder clock', () => {
    const states = new ShardStates(15_000, 60_000);
    const released = lease('r-a', '', 't', 10);
    states.update([released, lease('r-b', 'b', 't')], 0);
    expect(states.update([released], 69_999)[0]?.state).toBe('dead');
    expect(states.update([released], 70_000)[0]?.state).toBe('orphaned');
    // Taken over again by a returning replica: ready, whatever came before.
    expect(states.update([lease('r-a', 'a', 't2', 10)], 80_000)[0]?.state).toBe('ready');
    // A fenced Lease, seen first by a new sharder: its clock starts then.
    const fenced = new ShardStates(15_000, 60_000);
    fenced.update([lease('r-c', SHARDER_HOLDER, 't', 15)], 100_000);
    expect(fenced.update([lease('r-c', SHARDER_HOLDER, 't', 15)], 174_999)[0]?.state).toBe('dead');
    expect(fenced.update([lease('r-c', SHARDER_HOLDER, 't', 15)], 175_000)[0]?.state).toBe(
      'orphaned',
    );
  });
});
