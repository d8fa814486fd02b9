import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { encodeBody, goYamlKeyLess } from './encode.js';

describe('encodeBody', () => {
  it('single-quotes line and paragraph separators, indenting after each run, as go-yaml', () => {
    const json = JSON.stringify({
      a: 'x\u2028y',
      b: { c: 'x\u2029\u2029y' },
      d: ['x\u2028', { e: "x\u2028'y" }],
      f: 'x \u2028y',
    });
    expect(encodeBody({ format: 'yaml' }, json)).toBe(
      [
        "a: 'x\u2028  y'",
        'b:',
        "  c: 'x\u2029\u2029    y'",
        'd:',
        "- 'x\u2028'",
        "- e: 'x\u2028    ''y'",
        'f: "x \\Ly"',
        '',
      ].join('\n'),
    );
  });

  it('writes integers beyond 2^53 as the JSON text does, floats as JavaScript', () => {
    const json = '{"a":9007199254740993,"b":[-9223372036854775808],"c":1e+300}';
    expect(encodeBody({ format: 'yaml' }, json)).toBe(
      'a: 9007199254740993\nb:\n- -9223372036854775808\nc: 1e+300\n',
    );
  });

  it('keeps JSON as is', () => {
    expect(encodeBody({ format: 'json' }, '{"b":1,"a":2}')).toBe('{"b":1,"a":2}');
  });

  it('writes YAML with sorted keys and unindented sequences, reading back the same value', () => {
    const json = '{"kind":"ConfigMapList","items":[{"metadata":{"resourceVersion":"5"}}]}';
    const yaml = encodeBody({ format: 'yaml' }, json);
    expect(yaml).toBe('items:\n- metadata:\n    resourceVersion: "5"\nkind: ConfigMapList\n');
    expect(parse(String(yaml))).toEqual(JSON.parse(json));
  });
});

describe('goYamlKeyLess (go-yaml v2 key order)', () => {
  it('orders digit runs as numbers, non-letters before letters, letters by code point', () => {
    // As sigs.k8s.io/yaml's JSONToYAML (go-yaml v2) wrote these keys.
    const want = [
      '-x',
      '_',
      '1',
      '01',
      '9',
      '10',
      '100',
      'B',
      'Z',
      'a',
      'a_b',
      'a9',
      'a10',
      'aB',
      'é',
    ];
    const sorted = [...want]
      .reverse()
      .sort((x, y) => (goYamlKeyLess(x, y) ? -1 : goYamlKeyLess(y, x) ? 1 : 0));
    expect(sorted).toEqual(want);
  });

  it('sorts the keys of YAML output so', () => {
    const yaml = encodeBody({ format: 'yaml' }, '{"10":1,"9":2,"aB":3,"a_b":4}');
    expect(yaml).toBe('"9": 2\n"10": 1\na_b: 4\naB: 3\n');
  });

  it('double-quotes strings go-yaml would read back as another type', () => {
    // As sigs.k8s.io/yaml's JSONToYAML wrote this value.
    const json = JSON.stringify({
      a: ['y', 'off', '1_000', '2026-12-01T01:31:09Z', '2001-12-14', '1:30', 'x', 'yes man', '<<'],
      y: 1,
    });
    expect(encodeBody({ format: 'yaml' }, json)).toBe(
      'a:\n- "y"\n- "off"\n- "1_000"\n- "2026-12-01T01:31:09Z"\n- "2001-12-14"\n- "1:30"\n- x\n- yes man\n- <<\n"y": 1\n',
    );
  });

  it('single-quotes strings that cannot be plain, double-quotes those with a tab', () => {
    // As sigs.k8s.io/yaml's JSONToYAML wrote this value.
    const json = JSON.stringify({ a: ['a: b', '#x', ' lead', '*x', '[a]', 'a:', "it's", 'a\tb'] });
    expect(encodeBody({ format: 'yaml' }, json)).toBe(
      "a:\n- 'a: b'\n- '#x'\n- ' lead'\n- '*x'\n- '[a]'\n- 'a:'\n- it's\n- \"a\\tb\"\n",
    );
  });
});
