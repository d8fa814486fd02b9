import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { defaultBackoff, exponentialBackoff } from './backoff.js';

describe('exponentialBackoff', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('doubles from 800 ms to a 30 s cap with the default settings (no jitter drawn)', () => {
    const b = exponentialBackoff({ random: () => 0 });
    const delays = Array.from({ length: 9 }, () => b.next());
    expect(delays).toEqual([800, 1600, 3200, 6400, 12_800, 25_600, 30_000, 30_000, 30_000]);
  });

  it('adds jitter of up to one base delay, never above the cap', () => {
    const b = exponentialBackoff({ random: () => 0.5 });
    expect([b.next(), b.next(), b.next()]).toEqual([1200, 2400, 4800]);
    const top = exponentialBackoff({ random: () => 0.999_999 });
    const delays = Array.from({ length: 8 }, () => top.next());
    for (const d of delays) expect(d).toBeLessThanOrEqual(30_000);
    expect(delays[0]).toBeGreaterThan(1599);
  });

  it('starts over after 120 s without a failure (virtual time)', () => {
    const b = exponentialBackoff({ random: () => 0 });
    b.next();
    b.next();
    expect(b.next()).toBe(3200);
    vi.advanceTimersByTime(119_999);
    expect(b.next()).toBe(6400);
    vi.advanceTimersByTime(120_000);
    expect(b.next()).toBe(800);
  });

  it('reset() starts over immediately', () => {
    const b = exponentialBackoff({ random: () => 0 });
    b.next();
    b.next();
    b.reset();
    expect(b.next()).toBe(800);
  });

  it('rejects nonsensical settings with a message naming them', () => {
    expect(() => exponentialBackoff({ initialMs: 10, maxMs: 5 })).toThrow(/maxMs=5/);
    expect(() => exponentialBackoff({ factor: 0.5 })).toThrow(/factor=0.5/);
  });

  it('defaultBackoff() has the client-go reflector values', () => {
    vi.spyOn(Math, 'random').mockReturnValue(0);
    const b = defaultBackoff();
    const delays = Array.from({ length: 7 }, () => b.next());
    expect(delays).toEqual([800, 1600, 3200, 6400, 12_800, 25_600, 30_000]);
    vi.advanceTimersByTime(120_000);
    expect(b.next()).toBe(800);
    vi.spyOn(Math, 'random').mockReturnValue(0.5);
    expect(b.next()).toBe(2400);
  });
});
