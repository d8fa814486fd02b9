import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { cutAt } from './cut.test-helper.js';
import { LineDecoder } from './line-decoder.js';

describe('LineDecoder', () => {
  it('returns complete lines and keeps the rest', () => {
    const d = new LineDecoder();
    expect(d.push(Buffer.from('a\nb'))).toEqual(['a']);
    expect(d.pendingLength).toBe(1);
    expect(d.push(Buffer.from('c\r\n\nd'))).toEqual(['bc', '']);
    expect(d.end()).toBe('d');
    expect(d.end()).toBeUndefined();
  });

  it('decodes a multi-byte character split across chunks', () => {
    const bytes = Buffer.from('ä€😀\n');
    const d = new LineDecoder();
    const lines = [...bytes].flatMap((b) => d.push(Buffer.from([b])));
    expect(lines).toEqual(['ä€😀']);
  });

  it('gives the same lines for any chunking (property)', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.string({ unit: 'grapheme' }).map((s) => s.replace(/[\r\n]/g, '')),
          { maxLength: 8 },
        ),
        fc.boolean(),
        fc.array(fc.nat(), { maxLength: 12 }),
        (lines, trailingNewline, cuts) => {
          const text = lines.join('\n') + (trailingNewline ? '\n' : '');
          const d = new LineDecoder();
          const out = cutAt(Buffer.from(text), cuts).flatMap((c) => d.push(c));
          const rest = d.end();
          if (rest !== undefined) out.push(rest);
          const expected = text.split('\n');
          if (expected.at(-1) === '') expected.pop();
          expect(out).toEqual(expected);
        },
      ),
    );
  });

  it('rejects a line longer than maxLineBytes', () => {
    const d = new LineDecoder(4);
    expect(d.push(Buffer.from('ab'))).toEqual([]);
    expect(() => d.push(Buffer.from('cde'))).toThrow(RangeError);
  });
});
