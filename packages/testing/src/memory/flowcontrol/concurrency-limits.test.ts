import { afterEach, describe, expect, it, vi } from 'vitest';
import type { JsonObject } from '../json.js';
import { Storage } from '../storage.js';
import { PRIORITY_LEVELS } from './bootstrap-configuration.js';
import configuration from './bootstrap-configuration.json' with { type: 'json' };
import { ConcurrencyLimits } from './concurrency-limits.js';

function storageWith(extra: JsonObject[]): Storage {
  const storage = new Storage(100);
  for (const o of [
    ...(configuration.priorityLevelConfigurations as unknown as JsonObject[]),
    ...extra,
  ]) {
    storage.commit(PRIORITY_LEVELS, String((o.metadata as JsonObject).name), '', o);
  }
  return storage;
}

const level = (name: string, limited: JsonObject): JsonObject => ({
  metadata: { name },
  spec: { type: 'Limited', limited: { limitResponse: { type: 'Reject' }, ...limited } },
});

/** Limits with a level `t` of 10 shares (24 seats) that lends them all and borrows none. */
const lender = () =>
  new ConcurrencyLimits(
    storageWith([
      level('t', { nominalConcurrencyShares: 10, lendablePercent: 100, borrowingLimitPercent: 0 }),
    ]),
  );

afterEach(() => {
  vi.useRealTimers();
});

describe('ConcurrencyLimits', () => {
  it('gives nominal, lower and upper limits from shares and percentages', () => {
    const limits = new ConcurrencyLimits(
      storageWith([
        level('t', {
          nominalConcurrencyShares: 10,
          lendablePercent: 40,
          borrowingLimitPercent: 50,
        }),
      ]),
    );
    // 255 shares: ceil(600 × 10 / 255) = 24, lends round(9.6) = 10, borrows 12.
    expect(limits.of('t')).toMatchObject({ nominal: 24, min: 14, max: 36 });
    // The bootstrap levels: workload-low (100 shares, 90% lendable) on 255 shares.
    expect(limits.of('workload-low')).toMatchObject({ nominal: 236, min: 24 });
    expect(limits.of('exempt')).toMatchObject({ exempt: true, nominal: 0 });
  });

  it('keeps a level that neither lends nor borrows at its nominal limit', () => {
    const limits = new ConcurrencyLimits(
      storageWith([level('t', { nominalConcurrencyShares: 1, borrowingLimitPercent: 0 })]),
    );
    expect(limits.of('t')?.current).toBe(3);
    limits.adjust();
    expect(limits.of('t')?.current).toBe(3);
  });

  it('raises a busy level’s lower bound to its demand’s high watermark (up to its nominal)', () => {
    vi.useFakeTimers();
    const limits = lender();
    const t = limits.of('t')!;
    // Lends all 24 seats: idle, it keeps none.
    expect(t.current).toBe(0);
    t.demand.set(30);
    vi.advanceTimersByTime(5000);
    t.demand.set(0);
    limits.adjust();
    // The high watermark (30) is capped at the nominal (24), and the level may not borrow.
    expect(t.current).toBe(24);
  });

  it('adjusts every 10 seconds once started, and stops', () => {
    vi.useFakeTimers();
    const limits = lender();
    const t = limits.of('t')!;
    limits.start();
    t.demand.set(5);
    vi.advanceTimersByTime(10_000);
    // A steady demand of 5 is its floor and its target; like every level it gets about
    // 2.3 times its target (604 nominal seats, 263 wanted): 12.
    expect(t.current).toBe(12);
    limits.stop();
    t.demand.set(0);
    vi.advanceTimersByTime(30_000);
    expect(t.current).toBe(12);
  });
});
