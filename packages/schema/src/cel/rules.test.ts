import type { JSONSchemaProps } from '@kube-ts/k8s/apiextensions/v1';
import { describe, expect, test } from 'vitest';
import { usesOldSelf, validateCelRules } from './rules.js';

const schema: JSONSchemaProps = {
  type: 'object',
  properties: {
    spec: {
      type: 'object',
      'x-kubernetes-validations': [
        { rule: 'self.min <= self.max', message: 'min above max' },
        {
          rule: "self.name != 'x'",
          reason: 'FieldValueForbidden',
          fieldPath: '.name',
          message: 'no x',
        },
      ],
      properties: {
        min: { type: 'integer' },
        max: { type: 'integer' },
        name: { type: 'string' },
        'my-field': {
          type: 'string',
          'x-kubernetes-validations': [{ rule: 'self == oldSelf', message: 'immutable' }],
        },
      },
    },
  },
};

const obj = (spec: Record<string, unknown>) => ({ spec: { min: 1, max: 2, name: 'a', ...spec } });

describe('validateCelRules', () => {
  test('a passing object has no violations', () => {
    expect(validateCelRules(schema, obj({}))).toEqual([]);
  });

  test('a failing rule on an object node: the value is not shown', () => {
    expect(validateCelRules(schema, obj({ min: 3 }))).toEqual([
      { field: 'spec', reason: 'FieldValueInvalid', message: 'Invalid value: min above max' },
    ]);
  });

  test('reason and fieldPath', () => {
    expect(validateCelRules(schema, obj({ name: 'x' }))).toEqual([
      { field: 'spec.name', reason: 'FieldValueForbidden', message: 'Forbidden: no x' },
    ]);
  });

  test('transition rules run only with an old value, which scalars show', () => {
    const next = obj({ 'my-field': 'b' });
    expect(validateCelRules(schema, next)).toEqual([]);
    expect(validateCelRules(schema, next, obj({ 'my-field': 'a' }))).toEqual([
      {
        field: 'spec.my-field',
        reason: 'FieldValueInvalid',
        message: 'Invalid value: "b": immutable',
      },
    ]);
  });

  test('ratcheting: a failure the update does not touch is ignored', () => {
    const bad = obj({ min: 3 });
    expect(validateCelRules(schema, bad, bad)).toEqual([]);
  });

  test('an evaluation error names the rule', () => {
    const s: JSONSchemaProps = {
      type: 'object',
      properties: { n: { type: 'string' } },
      'x-kubernetes-validations': [{ rule: "self.n == 'a'" }],
    };
    expect(validateCelRules(s, {})).toEqual([
      {
        field: '<nil>',
        reason: 'FieldValueInvalid',
        message: `Invalid value: "object": no such key: n evaluating rule: self.n == 'a'`,
      },
    ]);
  });
});

test('usesOldSelf ignores string literals', () => {
  expect(usesOldSelf('self == oldSelf')).toBe(true);
  expect(usesOldSelf("self != 'oldSelf'")).toBe(false);
});

describe('validateCelRules: runtime cost', () => {
  const list = (rules: string[], maxItems: number): JSONSchemaProps => ({
    type: 'object',
    properties: {
      l: { type: 'array', maxItems, items: { type: 'integer' } },
      s: {
        type: 'string',
        'x-kubernetes-validations': [{ rule: "self != 'x'", message: 'later' }],
      },
    },
    'x-kubernetes-validations': rules.map((rule) => ({ rule })),
  });
  const ints = (n: number) => Array.from({ length: n }, () => 100);

  test('a call over 1,000,000 is cancelled, with what the value costs, not what the schema allows', () => {
    const schema = list(['self.l.all(x, self.l.all(y, x >= 0))'], 1000);
    expect(validateCelRules(schema, { l: ints(446), s: 'x' }, undefined, 'spec')).toEqual([
      { field: 'spec.s', reason: 'FieldValueInvalid', message: 'Invalid value: "x": later' },
    ]);
    expect(validateCelRules(schema, { l: ints(447), s: 'x' }, undefined, 'spec')).toEqual([
      {
        field: 'spec',
        reason: 'FieldValueInvalid',
        message:
          'Invalid value: "object": \'operation cancelled: actual cost limit exceeded\': no further validation rules will be run due to call cost exceeds limit for rule: self.l.all(x, self.l.all(y, x >= 0))',
      },
    ]);
  });

  test("an object's rules together get 10,000,000; then validation stops", () => {
    // Each rule costs 950,003 over 190,000 items: the eleventh passes the budget.
    const rules = Array.from({ length: 11 }, (_, i) => `self.l.all(x, x >= ${i})`);
    expect(validateCelRules(list(rules, 190000), { l: ints(190000), s: 'x' })).toEqual([
      {
        field: '<nil>',
        reason: 'FieldValueInvalid',
        message:
          'Invalid value: "object": validation failed due to running out of cost budget, no further validation rules will be run',
      },
    ]);
    // About two million steps of evaluation: seconds alone, much longer on a loaded machine.
  }, 90_000);
});
