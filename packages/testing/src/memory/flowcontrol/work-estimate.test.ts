import { describe, expect, it } from 'vitest';
import { type ResourceAttributes, requestAttributes } from '../auth/request-attributes.js';
import { type EstimatorInputs, estimateWork, queueLevelMaxSeats } from './work-estimate.js';

/** The estimate of `method path` with 1000 objects of 5 kB counted for ConfigMaps. */
function estimate(method: string, path: string, x: Partial<EstimatorInputs> = {}) {
  const url = new URL(path, 'http://localhost');
  const a = requestAttributes(method, url) as ResourceAttributes;
  return estimateWork(a, url.searchParams, {
    levelMaxSeats: 0,
    stats: (r) => (r === 'configmaps' ? { count: 1000, averageSize: 5000 } : undefined),
    interestedWatches: () => 0,
    ...x,
  });
}

const seats = (method: string, path: string, x: Partial<EstimatorInputs> = {}) =>
  estimate(method, path, x).initialSeats;

const CMS = '/api/v1/namespaces/ns/configmaps';

describe('estimateWork', () => {
  it('charges a LIST from the watch cache by the bytes it loads, at most 1 MB', () => {
    // 1000 × 5 kB = 5 MB, capped at 1 MB from the cache: 10 seats.
    expect(seats('GET', CMS)).toBe(10);
    expect(seats('GET', `${CMS}?limit=30`)).toBe(2);
    expect(seats('GET', `${CMS}?resourceVersion=0`)).toBe(10);
    expect(seats('GET', `${CMS}?fieldSelector=metadata.name%3Dx`)).toBe(1);
  });

  it('charges a LIST from etcd without the cache’s cap, half the objects with a selector', () => {
    // A continue, an exact resourceVersion, or a limit at a resourceVersion: etcd.
    expect(seats('GET', `${CMS}?limit=300&resourceVersion=5`)).toBe(15);
    expect(seats('GET', `${CMS}?resourceVersion=5&resourceVersionMatch=Exact`)).toBe(50);
    expect(seats('GET', `${CMS}?limit=30&continue=abc&labelSelector=a%3Db`)).toBe(25);
    // At most 100 seats, or the level's own cap.
    expect(
      seats('GET', `${CMS}?resourceVersion=5&resourceVersionMatch=Exact`, { levelMaxSeats: 4 }),
    ).toBe(4);
  });

  it('charges what has no counts one seat and bad list options the most', () => {
    expect(seats('GET', '/api/v1/namespaces/ns/secrets')).toBe(1);
    expect(seats('GET', `${CMS}?limit=1x`)).toBe(100);
    expect(seats('GET', `${CMS}?timeoutSeconds=9223372036854775808`)).toBe(100);
    expect(seats('GET', `${CMS}?limit=%2B30`)).toBe(2);
  });

  it('charges a watch from a resourceVersion one seat, one sending initial events a LIST', () => {
    expect(seats('GET', `${CMS}?watch=1&resourceVersion=5`)).toBe(1);
    expect(seats('GET', `${CMS}?watch=1`)).toBe(10);
    expect(seats('GET', `${CMS}?watch=1&resourceVersion=5&sendInitialEvents=true`)).toBe(10);
  });

  it('gives a write final seats by the interested watches, capped, for the same work', () => {
    expect(estimate('POST', CMS, { interestedWatches: () => 9 })).toEqual({
      initialSeats: 1,
      finalSeats: 0,
      additionalSeconds: 0,
    });
    const many = estimate('POST', CMS, { interestedWatches: () => 250 });
    expect(many.finalSeats).toBe(10);
    expect(many.additionalSeconds).toBeCloseTo(0.0125);
    const token = '/api/v1/namespaces/ns/serviceaccounts/default/token';
    expect(estimate('POST', token, { interestedWatches: () => 250 }).finalSeats).toBe(0);
    expect(seats('DELETE', `${CMS}?labelSelector=a`)).toBe(1);
  });

  it('caps a Queue level’s requests by its nominal limit and hand size', () => {
    expect(queueLevelMaxSeats(100, 8)).toBe(12);
    expect(queueLevelMaxSeats(24, 6)).toBe(4);
    expect(queueLevelMaxSeats(3, 8)).toBe(1);
  });
});
