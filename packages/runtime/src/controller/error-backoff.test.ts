import { describe, expect, it } from 'vitest';
import { ErrorBackoff } from './error-backoff.js';

describe('ErrorBackoff', () => {
  it('doubles from 500 ms up to 5 min per key by default', () => {
    const backoff = new ErrorBackoff();
    const delays = Array.from({ length: 12 }, () => backoff.next('a'));
    expect(delays).toEqual([
      500, 1000, 2000, 4000, 8000, 16_000, 32_000, 64_000, 128_000, 256_000, 300_000, 300_000,
    ]);
  });

  it('keeps keys apart', () => {
    const backoff = new ErrorBackoff();
    backoff.next('a');
    backoff.next('a');
    expect(backoff.next('b')).toBe(500);
    expect(backoff.next('a')).toBe(2000);
  });

  it('starts over after reset and forgets the key', () => {
    const backoff = new ErrorBackoff();
    backoff.next('a');
    backoff.next('a');
    backoff.reset('a');
    expect(backoff.size).toBe(0);
    expect(backoff.next('a')).toBe(500);
  });

  it('honours custom options and rejects impossible ones', () => {
    const backoff = new ErrorBackoff({ initialMs: 100, maxMs: 250, factor: 3 });
    expect([backoff.next('a'), backoff.next('a'), backoff.next('a')]).toEqual([100, 250, 250]);
    expect(() => new ErrorBackoff({ initialMs: 0 })).toThrow(/initialMs/);
  });
});
