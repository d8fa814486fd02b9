import { describe, expect, test } from 'vitest';
import { keysInTextOrder, scanJson } from './json-scan.js';

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
