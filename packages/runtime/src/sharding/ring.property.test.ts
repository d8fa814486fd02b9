import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { HashRing } from './ring.js';

const keys = Array.from({ length: 6_000 }, (_, i) => `example.com/Widget/ns-${i % 37}/w-${i}`);

function counts(ring: HashRing): Map<string, number> {
  const byShard = new Map<string, number>(ring.shards.map((s) => [s, 0]));
  for (const key of keys) {
    const shard = ring.shardFor(key)!;
    byShard.set(shard, byShard.get(shard)! + 1);
  }
  return byShard;
}

/** Shard names as a Deployment's pods or a StatefulSet's would be named. */
const shardNames = fc.oneof(
  fc.integer({ min: 3, max: 5 }).map((n) => Array.from({ length: n }, (_, i) => `operator-${i}`)),
  fc.uniqueArray(fc.stringMatching(/^operator-[a-z0-9]{5}$/), { minLength: 3, maxLength: 5 }),
);

describe('HashRing', () => {
  it('an empty ring owns nothing', () => {
    expect(new HashRing([]).shardFor('a')).toBeUndefined();
    expect(new HashRing([]).isEmpty).toBe(true);
  });

  it('answers the same for the same shards in any order', () => {
    const a = new HashRing(['c', 'a', 'b']);
    const b = new HashRing(['b', 'c', 'a', 'a']);
    expect(b.shards).toEqual(['a', 'b', 'c']);
    for (const key of keys.slice(0, 500)) expect(a.shardFor(key)).toBe(b.shardFor(key));
  });

  it('rejects a virtual node count that is not a positive integer', () => {
    expect(() => new HashRing(['a'], 0)).toThrow(/positive integer/);
  });

  it('keeps every shard within ±25% of an even share for 3 to 5 shards', () => {
    fc.assert(
      fc.property(shardNames, (names) => {
        const even = keys.length / names.length;
        for (const [shard, n] of counts(new HashRing(names))) {
          expect(Math.abs(n - even) / even, `${shard} of ${names.join(',')}`).toBeLessThanOrEqual(
            0.25,
          );
        }
      }),
      { numRuns: 10 },
    );
  });

  it('moves only the keys of the shard that joins or leaves', () => {
    fc.assert(
      fc.property(shardNames, fc.stringMatching(/^operator-[a-z0-9]{6}$/), (names, joiner) => {
        const before = new HashRing(names);
        const after = new HashRing([...names, joiner]);
        let moved = 0;
        for (const key of keys) {
          const from = before.shardFor(key);
          const to = after.shardFor(key);
          if (from === to) continue;
          // A join only takes keys to the new shard; the others keep theirs.
          expect(to).toBe(joiner);
          moved++;
        }
        // About 1/(N+1) of the keys move to the new shard; never much more.
        expect(moved / keys.length).toBeLessThanOrEqual((1 / (names.length + 1)) * 1.25);
        // And a leave is the reverse: only the leaver's keys move.
        for (const key of keys) {
          if (after.shardFor(key) !== joiner)
            expect(before.shardFor(key)).toBe(after.shardFor(key));
        }
      }),
      { numRuns: 6 },
    );
  });
});
