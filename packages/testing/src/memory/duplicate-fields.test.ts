import { describe, expect, test } from 'vitest';
import { yamlDuplicateKeys } from './duplicate-fields.js';

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
