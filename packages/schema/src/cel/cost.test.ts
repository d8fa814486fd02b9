import type { JSONSchemaProps } from '@kube-ts/k8s/apiextensions/v1';
import { describe, expect, it } from 'vitest';
import { costExceededMessage, costTypeOf, estimatedCost } from './cost.js';
import { ruleEnvironment } from './library.js';

const env = ruleEnvironment();
const cost = (rule: string, schema: JSONSchemaProps) =>
  estimatedCost(env.parse(rule).ast, costTypeOf(schema));
const listOf = (items: JSONSchemaProps, maxItems?: number): JSONSchemaProps => ({
  type: 'object',
  properties: { l: { type: 'array', items, ...(maxItems === undefined ? {} : { maxItems }) } },
});

// The figures are kube-apiserver v1.36.3's, read from its refusals (`exceeds budget by
// factor of 1.099999x` is 10,999,99x), for lists sized so that the cost passes the limit.
describe('estimatedCost', () => {
  it('gives the figures kube-apiserver computes for comprehensions over bounded lists', () => {
    const str = (maxLength: number): JSONSchemaProps => ({ type: 'string', maxLength });
    expect(cost("self.l.all(x, x.contains('ab'))", listOf(str(64), 366666))).toBe(10999983);
    expect(cost("self.l.map(x, x + 'a').size() > 0", listOf(str(64), 282050))).toBe(10999965);
    expect(cost('self.l.all(x, x in [1, 2, 3])', listOf({ type: 'integer' }, 647058))).toBe(
      10999989,
    );
    expect(cost('self.l.all(x, x.lowerAscii() == x)', listOf(str(10), 1100000))).toBe(14300003);
  });

  it('bounds unbounded lists by what a 3 MiB request holds', () => {
    // 1572863 integers: kube-apiserver's `factor of 2.2x`.
    expect(cost('self.l.map(x, x * 2).size() > 0', listOf({ type: 'integer' }))).toBe(22020097);
    expect(
      cost('self.l.all(x, self.l.all(y, x == y))', listOf({ type: 'string' })),
    ).toBeGreaterThan(1e12);
  });
});

describe('estimatedCost over maps', () => {
  // apiextensions-apiserver's TestCelEstimatedCostStability ("map access"): a map of
  // integers bounded only by the request size.
  it("gives the figures of Kubernetes' estimated cost table", () => {
    const schema: JSONSchemaProps = {
      type: 'object',
      properties: { val: { type: 'object', additionalProperties: { type: 'integer' } } },
    };
    const expected = {
      "!('a' in self.val)": 4,
      "'b' in self.val": 3,
      'self.val.all(k, self.val[k] > 0)': 3595115,
      'self.val.exists_one(k, self.val[k] == 2)': 2696338,
      '!self.val.exists_one(k, self.val[k] > 0)': 3145728,
      'size(self.val.filter(k, self.val[k] > 1)) == 1': 8089017,
    };
    const got = Object.fromEntries(Object.keys(expected).map((r) => [r, cost(r, schema)]));
    expect(got).toEqual(expected);
  });
});

describe('costExceededMessage', () => {
  it("words the factor as kube-apiserver's getCostErrorMessage", () => {
    const text = (c: number) => costExceededMessage('estimated rule cost', c, 10_000_000);
    expect(text(10999990)).toMatch(
      /^estimated rule cost exceeds budget by factor of 1\.099999x \(/,
    );
    expect(text(22020097)).toContain('factor of 2.2x');
    expect(text(2e9)).toContain('factor of more than 100x');
  });
});
