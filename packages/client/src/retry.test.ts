import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { backoffDelayMs, isIdempotent, isRetryableStatus, parseRetryAfter } from './retry.js';

describe('retry helpers', () => {
  it('parses Retry-After seconds and HTTP dates', () => {
    expect(parseRetryAfter(undefined)).toBeUndefined();
    expect(parseRetryAfter('3')).toBe(3000);
    expect(parseRetryAfter(' 0 ')).toBe(0);
    const now = Date.parse('2026-01-01T00:00:00Z');
    expect(parseRetryAfter('Thu, 01 Jan 2026 00:00:05 GMT', now)).toBe(5000);
    expect(parseRetryAfter('Thu, 01 Jan 2025 00:00:05 GMT', now)).toBe(0);
    expect(parseRetryAfter('soon')).toBeUndefined();
    expect(parseRetryAfter('-1')).toBeUndefined();
  });

  it('retries only 429, 503 and 504', () => {
    for (let code = 100; code < 600; code++) {
      expect(isRetryableStatus(code)).toBe(code === 429 || code === 503 || code === 504);
    }
  });

  it('knows the idempotent methods', () => {
    expect(['GET', 'head', 'PUT', 'DELETE'].every(isIdempotent)).toBe(true);
    expect(['POST', 'PATCH'].some(isIdempotent)).toBe(false);
  });

  it('backoff stays between half and all of the capped exponential ceiling (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 40 }),
        fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }),
        (retry, r) => {
          const policy = { baseDelayMs: 500, maxDelayMs: 10_000 };
          const ceiling = Math.min(500 * 2 ** (retry - 1), 10_000);
          const d = backoffDelayMs(retry, policy, () => r);
          expect(d).toBeGreaterThanOrEqual(Math.floor(ceiling / 2));
          expect(d).toBeLessThanOrEqual(ceiling);
        },
      ),
    );
  });
});
