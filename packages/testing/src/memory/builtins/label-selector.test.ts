import { describe, expect, test } from 'vitest';
import type { JsonObject } from '../json.js';
import { labelSelectorCauses, selectorAsGoJson } from './label-selector.js';

describe('labelSelectorCauses', () => {
  test('a valid selector has none', () => {
    const sel: JsonObject = {
      matchLabels: { app: 'a' },
      matchExpressions: [
        { key: 'tier', operator: 'In', values: ['x'] },
        { key: 'k', operator: 'DoesNotExist' },
      ],
    };
    expect(labelSelectorCauses(sel, 's')).toEqual([]);
  });

  test('operators and their values', () => {
    const sel: JsonObject = {
      matchExpressions: [
        { key: 'a', operator: 'Nope' },
        { key: 'b', operator: 'NotIn', values: [] },
        { key: 'c', operator: 'Exists', values: ['v'] },
      ],
    };
    expect(labelSelectorCauses(sel, 's').map((c) => [c.field, c.reason])).toEqual([
      ['s.matchExpressions[0].operator', 'FieldValueInvalid'],
      ['s.matchExpressions[1].values', 'FieldValueRequired'],
      ['s.matchExpressions[2].values', 'FieldValueForbidden'],
    ]);
  });

  test('Go encodes the selector with sorted labels and without empty lists', () => {
    const sel = {
      matchLabels: { z: '1', a: '2' },
      matchExpressions: [{ operator: 'In', values: [], key: 'k' }],
    };
    expect(JSON.stringify(selectorAsGoJson(sel))).toBe(
      '{"matchLabels":{"a":"2","z":"1"},"matchExpressions":[{"key":"k","operator":"In"}]}',
    );
  });
});
