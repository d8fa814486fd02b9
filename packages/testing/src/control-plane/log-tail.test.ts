import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { LogTail } from './log-tail.js';

describe('LogTail', () => {
  it('keeps the last lines of the output whatever the chunking', () => {
    fc.assert(
      fc.property(
        fc.array(fc.stringMatching(/^[a-z ]{0,8}$/), { maxLength: 30 }),
        fc.array(fc.nat(), { maxLength: 10 }),
        fc.integer({ min: 1, max: 10 }),
        (lines, cuts, capacity) => {
          const text = lines.map((line) => `${line}\n`).join('');
          const positions = [...new Set(cuts.map((c) => c % (text.length + 1)))].sort(
            (a, b) => a - b,
          );
          const tail = new LogTail(capacity);
          let start = 0;
          for (const position of [...positions, text.length]) {
            tail.write(text.slice(start, position));
            start = position;
          }
          expect(tail.lines()).toEqual(lines.slice(-capacity));
        },
      ),
    );
  });

  it('shows a pending partial line last and strips carriage returns', () => {
    const tail = new LogTail(5);
    tail.write('one\r\ntwo\nthr');
    expect(tail.lines()).toEqual(['one', 'two', 'thr']);
    expect(tail.lines(2)).toEqual(['two', 'thr']);
    expect(tail.lines(0)).toEqual([]);
  });
});
