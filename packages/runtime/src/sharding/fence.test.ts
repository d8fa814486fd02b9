import { ApiError } from '@kube-ts/core';
import type { Lease } from '@kube-ts/k8s/coordination/v1';
import { describe, expect, it } from 'vitest';
import { fenceShardLease } from './fence.js';
import { SHARDER_HOLDER } from './shard-states.js';

const signal = new AbortController().signal;

function lease(resourceVersion: string, renewTime: string, annotations?: Record<string, string>) {
  return {
    metadata: { name: 'ring-a', resourceVersion, ...(annotations ? { annotations } : {}) },
    spec: {
      holderIdentity: 'a',
      leaseDurationSeconds: 12,
      acquireTime: '2026-01-01T00:00:00.000000Z',
      renewTime,
      leaseTransitions: 0,
    },
  } as Lease;
}

/** A Lease API holding one Lease, with resourceVersion preconditions as the server's. */
function server(stored: Lease | undefined) {
  const writes: Lease[] = [];
  let current = stored;
  const api = {
    async getOpt() {
      return current;
    },
    async replace(_name: string, obj: Lease) {
      if (current === undefined) {
        throw new ApiError({ code: 404, reason: 'NotFound', message: 'not found' });
      }
      if (obj.metadata?.resourceVersion !== current.metadata?.resourceVersion) {
        throw new ApiError({ code: 409, reason: 'Conflict', message: 'modified' });
      }
      const next = Number(current.metadata?.resourceVersion) + 1;
      current = { ...obj, metadata: { ...obj.metadata, resourceVersion: String(next) } };
      writes.push(current);
      return current;
    },
  };
  return { api, writes };
}

describe('fenceShardLease', () => {
  it('takes over the Lease it judged expired', async () => {
    const judged = lease('5', '2026-01-01T00:00:01.000000Z');
    const { api, writes } = server(judged);
    expect(await fenceShardLease(api, judged, 12_000, signal)).toBe('fenced');
    expect(writes.map((w) => w.spec?.holderIdentity)).toEqual([SHARDER_HOLDER]);
  });

  it('takes it over when only its resourceVersion moved on (a stale copy, a metadata write): the shard did not renew', async () => {
    const judged = lease('5', '2026-01-01T00:00:01.000000Z');
    const { api, writes } = server(lease('9', '2026-01-01T00:00:01.000000Z', { note: 'x' }));
    expect(await fenceShardLease(api, judged, 12_000, signal)).toBe('fenced');
    expect(writes).toHaveLength(1);
    expect(writes[0]?.spec?.holderIdentity).toBe(SHARDER_HOLDER);
    expect(writes[0]?.metadata?.annotations).toEqual({ note: 'x' });
  });

  it('leaves a Lease its shard renewed since the judgement', async () => {
    const judged = lease('5', '2026-01-01T00:00:01.000000Z');
    const { api, writes } = server(lease('6', '2026-01-01T00:00:03.000000Z'));
    expect(await fenceShardLease(api, judged, 12_000, signal)).toBe('renewed');
    expect(writes).toEqual([]);
  });

  it('says gone for a deleted Lease, and throws what is not a conflict', async () => {
    const judged = lease('5', '2026-01-01T00:00:01.000000Z');
    const gone = server(undefined);
    await expect(fenceShardLease(gone.api, judged, 12_000, signal)).rejects.toThrow(/not found/);
    const vanished = {
      getOpt: async () => undefined,
      replace: async () => {
        throw new ApiError({ code: 409, reason: 'Conflict', message: 'modified' });
      },
    };
    expect(await fenceShardLease(vanished, judged, 12_000, signal)).toBe('gone');
  });
});
