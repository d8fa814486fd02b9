import { describe, expect, test } from 'vitest';
import { givenWarnings, giveWarning, warningHeader, warningHeaders } from './warnings.js';

/** Warning `i`: 300 characters. */
const long = (i: number) => `${i}`.padEnd(300, 'x');

describe('warningHeaders', () => {
  test('each text once, none empty or with a control character', () => {
    expect(warningHeaders(['a', '', 'a', 'b\u0007', 'c'])).toEqual([
      warningHeader('a'),
      warningHeader('c'),
    ]);
  });

  test('up to 4096 characters the warnings are sent whole', () => {
    const texts = Array.from({ length: 13 }, (_, i) => long(i));
    expect(warningHeaders(texts)).toEqual(texts.map(warningHeader));
  });

  test('past 4096 characters each is cut to 256, and none is sent after 4096 cut ones', () => {
    const texts = Array.from({ length: 20 }, (_, i) => long(i));
    // 14 whole would pass 4096: all cut (14 × 256), then 2 more reach 4096.
    expect(warningHeaders(texts)).toEqual(
      texts.slice(0, 16).map((t) => warningHeader(t.slice(0, 256))),
    );
  });
});

describe('giveWarning', () => {
  test("adds to the response's warnings and sets its headers from all of them, counted together", () => {
    const headers: Record<string, string[]> = {};
    const res = { setHeader: (name: string, value: string[]) => (headers[name] = value) };
    giveWarning(res, 'deprecated');
    expect(headers.Warning).toEqual([warningHeader('deprecated')]);
    const given = givenWarnings(res);
    expect(given).toEqual(['deprecated']);
    // 4096 characters after the first: every warning is cut.
    giveWarning(res, long(1).padEnd(4096, 'y'));
    expect(headers.Warning).toEqual([
      warningHeader('deprecated'),
      warningHeader(long(1).slice(0, 256)),
    ]);
  });
});
