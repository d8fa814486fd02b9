import type { JSONSchemaProps } from '@kube-ts/k8s/apiextensions/v1';
import { describe, expect, it } from 'vitest';
import { toCelValue } from './cel-value.js';
import { ruleEnvironment } from './library.js';
import { CostLimitExceeded, withRuntimeCost } from './runtime-cost.js';

const env = ruleEnvironment();

/** Each rule's runtime cost on `obj`, and whether it held. */
function costs(schema: JSONSchemaProps, obj: unknown, rules: string[]) {
  const self = toCelValue(schema, obj, true);
  return Object.fromEntries(
    rules.map((rule) => {
      const p = env.parse(rule);
      const r = withRuntimeCost(p.ast, 1e12, () => p({ self }));
      return [rule, 'value' in r && r.value === true ? r.cost : 'failed'];
    }),
  );
}

const list = (items: JSONSchemaProps): JSONSchemaProps => ({ type: 'array', items });
const int: JSONSchemaProps = { type: 'integer' };
const str: JSONSchemaProps = { type: 'string' };

// The figures are kube-apiserver v1.36.3's (apiextensions-apiserver's TestCelCostStability
// tables): what cel-go's runtime tracker counts for each rule on the same object.
describe('withRuntimeCost', () => {
  it('counts map access and comprehensions over a map as cel-go does', () => {
    const schema = {
      type: 'object',
      properties: { val: { type: 'object', additionalProperties: int } },
    } satisfies JSONSchemaProps;
    const expected = {
      "!('a' in self.val)": 4,
      "'b' in self.val": 3,
      '!has(self.val.a)': 3,
      'has(self.val.b)': 2,
      'self.val.all(k, self.val[k] > 0)': 17,
      '!self.val.exists(k, self.val[k] == 3)': 20,
      'self.val.exists_one(k, self.val[k] == 2)': 14,
      '!self.val.exists_one(k, self.val[k] > 0)': 17,
      'size(self.val.filter(k, self.val[k] > 1)) == 1': 26,
      // Two-variable comprehensions.
      'self.val.all(k, v, v > 0)': 13,
      '!self.val.exists(k, v, v == 3)': 16,
      'self.val.existsOne(k, v, v == 2)': 10,
      'self.val.transformMap(k, v, v > 1, v + 1).size() == 1': 14,
      'self.val.transformMap(k, v, v + 1).size() == 2': 15,
      "self.val.transformMapEntry(k, v, v > 1, {k + '2': v + 1}).size() == 1": 45,
      "self.val.transformMapEntry(k, v, {k + '2': v + 1}).size() == 2": 77,
    };
    expect(costs(schema, { val: { b: 1, d: 2 } }, Object.keys(expected))).toEqual(expected);
  });

  it('counts only the steps taken: early stops, short-circuits, branches, failing predicates', () => {
    const schema = {
      type: 'object',
      properties: {
        listMap: list({ type: 'object', properties: { k: str, v: str, v2: str } }),
      },
    } satisfies JSONSchemaProps;
    const expected = {
      "self.listMap.all(m, m.k.startsWith('a'))": 21,
      "self.listMap.exists(m, m.k.endsWith('1'))": 13,
      "!self.listMap.all(m, m.k.endsWith('1'))": 18,
      "!self.listMap.exists(m, m.v == 'x')": 25,
      "self.listMap.exists(m, m.k == 'a1' && m.v == 'b1')": 16,
      "self.listMap.map(m, m.v).exists(v, v == 'b1')": 55,
      "!self.listMap.all(m, has(m.v2) && m.v2 != 'z')": 10,
      "self.listMap.map(m, has(m.v2) && m.v2 == 'z', m.v2).size() == 1": 25,
      "self.listMap.exists(m, m.v2 == 'z')": 24,
      "!self.listMap.all(m, m.v2 != 'z')": 22,
      // Two-variable comprehensions.
      "!self.listMap.all(i, m, has(m.v2) && m.v2 != 'z')": 10,
      "self.listMap.exists(i, m, has(m.v2) && m.v2 == 'z')": 21,
      "self.listMap.existsOne(i, m, has(m.v2) && m.v2 == 'z')": 12,
      "self.listMap.transformList(i, m, has(m.v2) && m.v2 == 'z', m.v2).size() == 1": 25,
      'self.listMap.transformList(i, m, m.v).size() == 3': 47,
    };
    const listMap = [
      { k: 'a1', v: 'b1' },
      { k: 'a2', v: 'b2' },
      { k: 'a3', v: 'b3', v2: 'z' },
    ];
    expect(costs(schema, { listMap }, Object.keys(expected))).toEqual(expected);
  });

  it('counts lists, constant literals and arithmetic in comprehensions', () => {
    const schema = {
      type: 'object',
      properties: { val1: list(int), val2: list(int), array: list(int) },
    } satisfies JSONSchemaProps;
    const expected = {
      'self.val2[0] in self.val1': 8,
      'self.val1 + self.val2 == [1, 2, 3, 1, 2, 3]': 6,
      'self.val1 + [4, 5] == [1, 2, 3, 4, 5]': 4,
      'has(self.val1) && has(self.val2)': 2,
      '2 in self.array': 10,
      'size(self.array.filter(e, e%2 == 0)) == 3': 68,
      'self.array.map(e, e * 20).filter(e, e > 50).exists(e, e == 60)': 194,
      // Two-variable comprehensions.
      'self.array.all(i, e, e > 0)': 43,
      'self.array.exists(i, e, e > 2)': 36,
      'self.array.existsOne(i, e, e > 4)': 22,
      'self.array.transformList(i, e, e > 2, e * 2).size() > 0': 77,
      'self.array.transformList(i, e, e * 2).size() > 0': 117,
    };
    const obj = { val1: [1, 2, 3], val2: [1, 2, 3], array: [1, 1, 2, 2, 3, 3, 4, 5] };
    expect(costs(schema, obj, Object.keys(expected))).toEqual(expected);
  });

  it('cancels the evaluation once the cost passes the limit', () => {
    const p = env.parse('self.all(x, x > 0)');
    const r = withRuntimeCost(p.ast, 10, () => p({ self: [1n, 2n, 3n, 4n] }));
    expect(r).toMatchObject({ cost: 11 });
    expect('error' in r && r.error).toBeInstanceOf(CostLimitExceeded);
  });
});
