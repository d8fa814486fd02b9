import { describe, expect, it } from 'vitest';
import { claimRecord, readRecord, releasedRecord, withRecord } from './lease-record.js';

const T0 = Date.UTC(2024, 0, 1);

describe('lease records', () => {
  it('a first claim has no transitions; a takeover counts one and resets acquireTime', () => {
    const first = claimRecord(undefined, 'a', 15, T0);
    expect(first).toEqual({
      holderIdentity: 'a',
      leaseDurationSeconds: 15,
      acquireTime: '2024-01-01T00:00:00.000000Z',
      renewTime: '2024-01-01T00:00:00.000000Z',
      leaseTransitions: 0,
    });
    const taken = claimRecord(first, 'b', 15, T0 + 20_000);
    expect(taken).toMatchObject({
      holderIdentity: 'b',
      leaseTransitions: 1,
      acquireTime: '2024-01-01T00:00:20.000000Z',
    });
  });

  it('a renewal keeps acquireTime and transitions and moves renewTime', () => {
    const first = { ...claimRecord(undefined, 'a', 15, T0), leaseTransitions: 4 };
    expect(claimRecord(first, 'a', 15, T0 + 2_000)).toEqual({
      ...first,
      renewTime: '2024-01-01T00:00:02.000000Z',
    });
  });

  it('a release clears the holder, keeps transitions and shortens the duration to 1 s', () => {
    const held = { ...claimRecord(undefined, 'a', 15, T0), leaseTransitions: 3 };
    expect(releasedRecord(held, T0 + 1_000)).toMatchObject({
      holderIdentity: '',
      leaseDurationSeconds: 1,
      leaseTransitions: 3,
    });
  });

  it('reads records with missing fields and Date values', () => {
    expect(readRecord({ metadata: { name: 'x' } })).toEqual({
      holderIdentity: '',
      leaseDurationSeconds: 0,
      acquireTime: '',
      renewTime: '',
      leaseTransitions: 0,
    });
    const spec = { renewTime: new Date(T0), holderIdentity: 'a' } as never;
    expect(readRecord({ spec }).renewTime).toBe('2024-01-01T00:00:00.000Z');
  });

  it('withRecord builds a new Lease or keeps the metadata (resourceVersion) of an existing one', () => {
    const record = claimRecord(undefined, 'a', 15, T0);
    expect(withRecord(undefined, 'op', record)).toMatchObject({
      apiVersion: 'coordination.k8s.io/v1',
      kind: 'Lease',
      metadata: { name: 'op' },
      spec: record,
    });
    const existing = {
      metadata: { name: 'op', resourceVersion: '42' },
      spec: { holderIdentity: 'z' },
    };
    expect(withRecord(existing, 'op', record).metadata?.resourceVersion).toBe('42');
    expect(withRecord(existing, 'op', record, { ring: 'r' }).metadata).toMatchObject({
      resourceVersion: '42',
      labels: { ring: 'r' },
    });
  });
});
