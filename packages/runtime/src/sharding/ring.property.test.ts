import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { HashRing } from './ring.js';

const keys = Array.from({ length: 6_000 }, (_, i) => `example.com/Widget/ns-${i % 37}/w-${i}`);

/**
 * The property tests hash every key for each random ring (tens of thousands of MD5s):
 * about half a second on a quiet machine, many times that on a loaded CI machine, so they
 * get a time budget of their own rather than the default 20 s.
 */
const PROPERTY_TIMEOUT_MS = 120_000;

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

  it(
    'keeps every shard within ±25% of an even share for 3 to 5 shards',
    () => {
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
    },
    PROPERTY_TIMEOUT_MS,
  );

  it(
    'moves only the keys of the shard that joins or leaves',
    () => {
      fc.assert(
        fc.property(shardNames, fc.stringMatching(/^operator-[a-z0-9]{6}$/), (names, joiner) => {
          const before = new HashRing(names);
          const after = new HashRing([...names, joiner]);
          const from = keys.map((key) => before.shardFor(key));
          const to = keys.map((key) => after.shardFor(key));
          const moved = keys.filter((_, i) => from[i] !== to[i]);
          // A join only takes keys to the new shard; the others keep theirs. (And a leave is
          // the reverse: only the leaver's keys move.)
          expect(keys.filter((_, i) => from[i] !== to[i] && to[i] !== joiner)).toEqual([]);
          // About 1/(N+1) of the keys move to the new shard; never much more.
          expect(moved.length / keys.length).toBeLessThanOrEqual((1 / (names.length + 1)) * 1.25);
        }),
        { numRuns: 6 },
      );
    },
    PROPERTY_TIMEOUT_MS,
  );
});
