import { describe, expect, it } from 'vitest';
import { WRITTEN_AT } from '../fixtures.js';
import { noteArrivals } from './chunk-clock.js';

/** One watch event line as a server writes it, with a written-at annotation. */
function line(writtenAt: string): string {
  const object = { metadata: { name: 'cm', annotations: { [WRITTEN_AT]: writtenAt } } };
  return `${JSON.stringify({ type: 'MODIFIED', object })}\n`;
}

describe('noteArrivals', () => {
  it('notes every written-at value of a chunk with its arrival time', () => {
    const arrivals = new Map<string, number>();
    noteArrivals(Buffer.from(line('1000.125') + line('1000.250')), 7, arrivals);
    expect([...arrivals]).toEqual([
      ['1000.125', 7],
      ['1000.250', 7],
    ]);
  });

  it('keeps the first arrival of a value and skips chunks without one', () => {
    const arrivals = new Map<string, number>([['1000.125', 3]]);
    noteArrivals(Buffer.from(line('1000.125')), 9, arrivals);
    noteArrivals(Buffer.from('{"type":"BOOKMARK","object":{}}\n'), 9, arrivals);
    expect([...arrivals]).toEqual([['1000.125', 3]]);
  });

  it('skips a value cut by the end of the chunk', () => {
    const text = line('1000.125');
    const arrivals = new Map<string, number>();
    noteArrivals(Buffer.from(text.slice(0, text.indexOf('1000.1') + 4)), 1, arrivals);
    expect(arrivals.size).toBe(0);
  });
});
