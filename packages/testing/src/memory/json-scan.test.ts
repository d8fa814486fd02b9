import { describe, expect, test } from 'vitest';
import { goJsonSyntaxError, keysInTextOrder, scanJson } from './json-scan.js';

describe('scanJson', () => {
  test('names every key by its path, list items by index, and flags repeats', () => {
    const { keys } = scanJson('{"a":{"b":1,"b":[{"c":"x,\\"}"},{"c":2,"c":3}]},"d":"e"}');
    expect(keys.map((k) => `${k.path}${k.duplicate ? '!' : ''}`)).toEqual([
      'a',
      'a.b',
      'a.b!',
      'a.b[0].c',
      'a.b[1].c',
      'a.b[1].c!',
      'd',
    ]);
  });

  test('keeps the number literals JSON.parse reads differently from Go, by path', () => {
    const text =
      '{"a":1.0,"b":[1,2e2,-3E-1],"c":{"d":12345678901234567},"e":"1.5","f":-0.5,"g":7,"h":123456789012345}';
    expect(Object.fromEntries(scanJson(text).numbers)).toEqual({
      a: '1.0',
      'b[1]': '2e2',
      'b[2]': '-3E-1',
      'c.d': '12345678901234567',
      f: '-0.5',
    });
    expect(scanJson('{"a":1,"b":[2,"3.0"]}').numbers.size).toBe(0);
  });

  test('keysInTextOrder: the keys of one object in text order, each once', () => {
    const scan = scanJson('{"m":{"b":1,"2":2,"a":3,"b":4},"n":{"1":0}}');
    expect(keysInTextOrder(scan, 'm')).toEqual(['b', '2', 'a']);
    expect(keysInTextOrder(scan, '')).toEqual(['m', 'n']);
    expect(keysInTextOrder(scan, 'x')).toEqual([]);
  });
});

describe('goJsonSyntaxError', () => {
  test("reports the first syntax error in Go's encoding/json words, or none for valid JSON", () => {
    const cases: [string, string | undefined][] = [
      ['{"a" 1}', "invalid character '1' after object key"],
      ['{"a":1 "b"}', `invalid character '"' after object key:value pair`],
      ['[1 2]', "invalid character '2' after array element"],
      ['x', "invalid character 'x' looking for beginning of value"],
      ['{"a":tru}', "invalid character '}' in literal true (expecting 'e')"],
      ['{"a":"\\x01"}', "invalid character 'x' in string escape code"],
      ['{"a":1.}', "invalid character '}' after decimal point in numeric literal"],
      ['{"a":-}', "invalid character '}' in numeric literal"],
      ['{"a":1,}', "invalid character '}' looking for beginning of object key string"],
      ['{"a": nul', "invalid character ' ' in literal null (expecting 'l')"],
      ['tru', "invalid character ' ' in literal true (expecting 'e')"],
      ['{"a":1e}', "invalid character '}' in exponent of numeric literal"],
      ['{"a":1} x', "invalid character 'x' after top-level value"],
      ['', 'unexpected end of JSON input'],
      ['{"a":', 'unexpected end of JSON input'],
      ['{"a":"b', 'unexpected end of JSON input'],
      ['{"a":[1,2],"b":{"c":null,"d":[true,false,-0.5e+3,"\\u00e9"]}}', undefined],
      ['12', undefined],
      ['[]', undefined],
      ['{}', undefined],
      ['{"é":é}', "invalid character 'Ã' looking for beginning of value"],
      ['{"a":"\n"}', "invalid character '\\n' in string literal"],
      ['"\\u12g4"', "invalid character 'g' in \\u hexadecimal character escape"],
      ["{'a':1}", "invalid character '\\'' looking for beginning of object key string"],
      ['01', "invalid character '1' after top-level value"],
    ];
    for (const [t, want] of cases) expect([t, goJsonSyntaxError(t)]).toEqual([t, want]);
  });
});
