import { describe, expect, it } from 'vitest';
import { type Change, History } from './history.js';

const change = (rv: number): Change => ({
  rv,
  type: 'MODIFIED',
  resKey: 'configmaps',
  key: `default/c${rv}`,
  namespace: 'default',
  object: {},
});

/** A history holding `rvs`, in order. */
function holding(capacity: number, rvs: number[]): History {
  const h = new History(capacity);
  for (const rv of rvs) h.push(change(rv));
  return h;
}

const rvsOf = (changes: Iterable<Change>) => [...changes].map((c) => c.rv);

describe('History', () => {
  // Revisions 4 and 7 are compaction rounds: revisions that are no change.
  const rvs = [1, 2, 3, 5, 6, 8, 9];

  it('gives exactly the changes after a revision, across revisions that are no change', () => {
    const h = holding(100, rvs);
    for (let after = 0; after <= 10; after++) {
      const want = rvs.filter((rv) => rv > after);
      expect(rvsOf(h.since(after)), `since(${after})`).toEqual(want);
      expect(rvsOf(h.sinceReversed(after)), `sinceReversed(${after})`).toEqual(want.reverse());
    }
  });

  it('does the same once the ring has wrapped and dropped its oldest changes', () => {
    const h = holding(4, rvs);
    expect(h.compactedRv).toBe(3);
    expect(rvsOf(h.since(3))).toEqual([5, 6, 8, 9]);
    expect(rvsOf(h.since(5))).toEqual([6, 8, 9]);
    expect(rvsOf(h.since(7))).toEqual([8, 9]);
    expect(rvsOf(h.sinceReversed(6))).toEqual([9, 8]);
  });

  it('gives nothing after compacting everything', () => {
    const h = holding(100, rvs);
    h.compact(9);
    expect(rvsOf(h.since(9))).toEqual([]);
    expect(h.compactedRv).toBe(9);
  });
});
