import { describe, expect, it } from 'vitest';
import { FULL, MIN_LATENCY_SAMPLES, QUICK, withLatency } from './context.js';

describe('withLatency', () => {
  it('keeps the sizes when neither --rate nor --duration is given', () => {
    expect(withLatency(FULL, undefined, undefined, false)).toEqual(FULL);
    expect(withLatency(QUICK, undefined, undefined, true)).toEqual(QUICK);
  });

  it('makes a full run of scenario 8 long enough for the minimum samples at a low rate', () => {
    const sizes = withLatency(FULL, 20, undefined, false);
    expect(sizes.steadyRate).toBe(20);
    expect(sizes.latencyRate).toBe(20);
    expect((sizes.steadyRate * sizes.steadyDurationMs) / 1000).toBeGreaterThanOrEqual(
      MIN_LATENCY_SAMPLES,
    );
    expect(sizes.steadyDurationMs).toBe(50_000);
    // Scenario 5 keeps its own duration.
    expect(sizes.latencyDurationMs).toBe(FULL.latencyDurationMs);
  });

  it('takes --duration as given, for both latency scenarios and in --quick too', () => {
    const full = withLatency(FULL, 20, 30_000, false);
    expect(full.steadyDurationMs).toBe(30_000);
    expect(full.latencyDurationMs).toBe(30_000);
    expect(withLatency(QUICK, 20, 5_000, true).steadyDurationMs).toBe(5_000);
  });

  it('leaves --quick short at a low rate (a smoke check, not a p99)', () => {
    expect(withLatency(QUICK, 20, undefined, true).steadyDurationMs).toBe(QUICK.steadyDurationMs);
  });
});
