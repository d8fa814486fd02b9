import { describe, expect, test } from 'vitest';
import { goEncoded, goHtmlEscape, goIndented, goJson, goMapJson } from './go-json.js';

describe('goJson', () => {
  test('keys that look like array indices are sorted as text, as Go sorts map keys', () => {
    const data: Record<string, string> = {};
    for (const k of ['a', '10', '9', '1', 'B', '01']) data[k] = k;
    expect(goJson({ kind: 'ConfigMap', data })).toBe(
      '{"kind":"ConfigMap","data":{"01":"01","1":"1","10":"10","9":"9","B":"B","a":"a"}}',
    );
  });

  test('without such keys the text is JSON.stringify’s, key order kept', () => {
    const value = { z: 1, a: [1, null, { y: true, b: 'x' }], u: undefined };
    expect(goJson(value)).toBe(JSON.stringify(value));
  });

  test('in the slow path undefined members are left out and lists keep null', () => {
    const value = { b: { '2': 1, '10': undefined, x: [undefined, 1] }, a: null };
    expect(goJson(value)).toBe('{"b":{"2":1,"x":[null,1]},"a":null}');
  });

  test('byte order: an astral character sorts after U+FFxx', () => {
    expect(goJson({ '1': 0, '\u{1F600}': 1, '\uFF01': 2 })).toBe(
      '{"1":0,"\uFF01":2,"\u{1F600}":1}',
    );
  });
});

describe('goEncoded and goIndented', () => {
  test('HTML characters and line separators escaped as Go escapes them, a newline after', () => {
    const text = JSON.stringify({ s: '<a>&b\u2028c\u2029' });
    expect(goEncoded(text)).toBe('{"s":"\\u003ca\\u003e\\u0026b\\u2028c\\u2029"}\n');
    expect(JSON.parse(goEncoded(text))).toEqual({ s: '<a>&b\u2028c\u2029' });
  });

  test('text without them is kept as is', () => {
    expect(goHtmlEscape('{"a":"b"}')).toBe('{"a":"b"}');
  });

  test('raw JSON indented by two spaces, escaped, no newline', () => {
    expect(goIndented({ a: { b: '<' }, c: [], d: {} })).toBe(
      '{\n  "a": {\n    "b": "\\u003c"\n  },\n  "c": [],\n  "d": {}\n}',
    );
  });
});

describe('goMapJson', () => {
  test("sorts every object's keys as Go sorts map keys and escapes as Go does", () => {
    expect(
      goMapJson({ spec: { template: { spec: { b: [{ z: 1, a: '<&>' }] }, $patch: 'replace' } } }),
    ).toBe(
      '{"spec":{"template":{"$patch":"replace","spec":{"b":[{"a":"\\u003c\\u0026\\u003e","z":1}]}}}}',
    );
  });
});
