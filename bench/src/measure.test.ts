import { describe, expect, it } from 'vitest';
import { runOrder } from './measure.js';

describe('runOrder', () => {
  it('puts each of three subjects first twice in six runs, in all six orders', () => {
    const orders = [0, 1, 2, 3, 4, 5].map((run) => runOrder(['a', 'b', 'c'], run).join(''));
    expect(new Set(orders).size).toBe(6);
    expect(orders.filter((o) => o.startsWith('a'))).toHaveLength(2);
  });

  it('alternates who goes first with two subjects over two runs', () => {
    expect(runOrder(['a', 'b'], 0)).toEqual(['a', 'b']);
    expect(runOrder(['a', 'b'], 1)).toEqual(['b', 'a']);
  });
});
