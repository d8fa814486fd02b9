import { describe, expect, it } from 'vitest';
import { TokenCache } from './token-cache.js';

describe('TokenCache', () => {
  it('remembers a success for 10 seconds, per token and audiences', () => {
    let now = 0;
    const cache = new TokenCache<string>(() => now);
    cache.set('t', [], 'alice');
    expect(cache.get('t', [])).toBe('alice');
    expect(cache.get('t', ['other'])).toBeUndefined();
    expect(cache.get('u', [])).toBeUndefined();
    now = 9_999;
    expect(cache.get('t', [])).toBe('alice');
    now = 10_000;
    expect(cache.get('t', [])).toBeUndefined();
  });
});
