import { describe, expect, test } from 'vitest';
import { jsonKeys, yamlDuplicateKeys } from './duplicate-fields.js';

describe('jsonKeys', () => {
  test('names every key by its path, list items by index, and flags repeats', () => {
    const keys = jsonKeys('{"a":{"b":1,"b":[{"c":"x,\\"}"},{"c":2,"c":3}]},"d":"e"}');
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
});

describe('yamlDuplicateKeys', () => {
  test('words each repeated key as go-yaml does, with its line', () => {
    expect(yamlDuplicateKeys('\na: 1\nb:\n  c: 1\n  "c": 2\na: 3\n')).toEqual([
      'line 5: key "c" already set in map',
      'line 6: key "a" already set in map',
    ]);
  });

  test('reads JSON as YAML (line 1)', () => {
    expect(yamlDuplicateKeys('{"a":1,"a":2}')).toEqual(['line 1: key "a" already set in map']);
  });
});
