import { describe, expect, it } from 'vitest';
import { DroppedRequests } from './retry-after.js';

describe('DroppedRequests', () => {
  it('answers 1 second until drops come in a new second at three times the rate', () => {
    let now = 1000;
    const d = new DroppedRequests(() => now);
    expect(d.retryAfter('a')).toBe(1);
    for (let i = 0; i < 5; i++) d.record('a');
    // Re-evaluated only when a drop opens a new second.
    expect(d.retryAfter('a')).toBe(1);
    now = 1001;
    d.record('a');
    expect(d.retryAfter('a')).toBe(2);
    expect(d.retryAfter('b')).toBe(1);
  });

  it('doubles at most once per retryAfter seconds, up to 32, and comes down by one when drops stop', () => {
    let now = 0;
    const d = new DroppedRequests(() => now);
    const seen: number[] = [];
    for (now = 1; now <= 80; now++) {
      for (let i = 0; i < 200; i++) d.record('a');
      seen.push(d.retryAfter('a'));
    }
    expect(Math.max(...seen)).toBe(32);
    expect(seen.slice(0, 4)).toEqual([1, 2, 2, 4]);
    // A lone drop after a quiet spell: fewer than retryAfter in the window.
    now += 100;
    d.record('a');
    expect(d.retryAfter('a')).toBe(31);
  });
});
