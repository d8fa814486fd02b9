import { describe, expect, it } from 'vitest';
import { parseOptions } from './options.js';

describe('parseOptions', () => {
  it('runs every scenario on both backends, 5 runs, by default', () => {
    const o = parseOptions([], 'out.json');
    expect(o).toMatchObject({ quick: false, runs: 5, out: 'out.json' });
    expect([...o.scenarios]).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect([...o.backends]).toEqual(['memory', 'real']);
  });

  it('--quick uses the memory backend unless --backend says otherwise', () => {
    expect([...parseOptions(['--quick'], 'o').backends]).toEqual(['memory']);
    expect([...parseOptions(['--quick', '--backend', 'memory,real'], 'o').backends]).toEqual([
      'memory',
      'real',
    ]);
  });

  it('--rate sets the updates per second of the latency scenarios', () => {
    expect(parseOptions(['--rate', '50'], 'o').rate).toBe(50);
    expect(parseOptions([], 'o').rate).toBeUndefined();
    expect(() => parseOptions(['--rate', '0'], 'o')).toThrow(/positive integer/);
  });

  it('--duration sets how long the latency scenarios write, in seconds', () => {
    expect(parseOptions(['--duration', '50'], 'o').durationMs).toBe(50_000);
    expect(parseOptions(['--duration', '2.5'], 'o').durationMs).toBe(2_500);
    expect(parseOptions([], 'o').durationMs).toBeUndefined();
    expect(() => parseOptions(['--duration', '0'], 'o')).toThrow(/positive number of seconds/);
    expect(() => parseOptions(['--duration', 'x'], 'o')).toThrow(/positive number of seconds/);
  });

  it('refuses bad values and unknown options with the usage', () => {
    expect(() => parseOptions(['--runs', '0'], 'o')).toThrow(/positive integer[\s\S]*usage/);
    expect(() => parseOptions(['--nope'], 'o')).toThrow(/unknown option --nope/);
    expect(() => parseOptions(['--out'], 'o')).toThrow(/needs a value/);
  });
});
