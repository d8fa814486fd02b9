import { describe, expect, test } from 'vitest';
import { goDiff, goMarshalIndent, unifiedDiff } from './go-diff.js';

describe('goMarshalIndent', () => {
  test('indents by one space, escapes HTML characters and sorts index-like map keys', () => {
    expect(goMarshalIndent({ A: ['x<y&z>'], B: {}, C: [], D: null, E: { '10': 1, '9': 2 } })).toBe(
      [
        '{',
        ' "A": [',
        '  "x\\u003cy\\u0026z\\u003e"',
        ' ],',
        ' "B": {},',
        ' "C": [],',
        ' "D": null,',
        ' "E": {',
        '  "10": 1,',
        '  "9": 2',
        ' }',
        '}',
      ].join('\n'),
    );
  });
});

describe('unifiedDiff', () => {
  const lines = (n: number, change?: [number, string]) =>
    Array.from({ length: n }, (_, i) => (change?.[0] === i ? change[1] : `line ${i}`)).join('\n');

  test('hunks with three lines of context; far changes apart, every line newline-ended', () => {
    const a = lines(20);
    const b = lines(20, [2, 'two']).replace('line 15', 'fifteen');
    expect(unifiedDiff(a, b)).toBe(
      [
        '@@ -1,6 +1,6 @@',
        ' line 0',
        ' line 1',
        '-line 2',
        '+two',
        ' line 3',
        ' line 4',
        ' line 5',
        '@@ -13,7 +13,7 @@',
        ' line 12',
        ' line 13',
        ' line 14',
        '-line 15',
        '+fifteen',
        ' line 16',
        ' line 17',
        ' line 18',
        '',
      ].join('\n'),
    );
  });

  test('a one-line range is written without its length, an empty one at the line before', () => {
    expect(unifiedDiff('a', 'b')).toBe('@@ -1 +1 @@\n-a\n+b\n');
    expect(unifiedDiff('a\nb', 'a\nb\nc')).toBe('@@ -1,2 +1,3 @@\n a\n b\n+c\n');
    expect(unifiedDiff('a', 'a')).toBe('');
  });

  test('in 200 lines or more, a line found too often seeds no match (go-difflib autojunk)', () => {
    const text = (last: string, times: number) =>
      Array.from({ length: times }, () => ['a', '}', last]).flat();
    // 210 lines: "a" and "}" are popular, so after the first two lines nothing matches.
    const a = text('b', 70);
    const b = text('c', 70);
    expect(unifiedDiff(a.join('\n'), b.join('\n'))).toBe(
      [
        '@@ -1,210 +1,210 @@\n a\n }\n',
        ...a.slice(2).map((l) => `-${l}\n`),
        ...b.slice(2).map((l) => `+${l}\n`),
      ].join(''),
    );
    // Below 200 lines every line may seed a match: each changed line is its own change.
    const short = unifiedDiff(text('b', 60).join('\n'), text('c', 60).join('\n'));
    expect(short.startsWith('@@ -1,180 +1,180 @@\n a\n }\n-b\n+c\n a\n }\n-b\n+c\n')).toBe(true);
  });
});

describe('goDiff', () => {
  test('diffs the values as Go writes them', () => {
    expect(goDiff({ Name: 'a', Image: 'x' }, { Name: 'a', Image: 'y' })).toBe(
      '@@ -1,4 +1,4 @@\n {\n  "Name": "a",\n- "Image": "x"\n+ "Image": "y"\n }\n',
    );
  });
});
