import type { JSONSchemaProps } from '@kube-ts/k8s/apiextensions/v1';
import { describe, expect, it } from 'vitest';
import { costExceededMessage, costTypeOf, estimatedCost, runtimeCost } from './cost.js';
import { policyEnvironment, ruleEnvironment } from './library.js';

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

describe('runtimeCost', () => {
  const policy = policyEnvironment();
  const run = (expr: string, vars: Record<string, unknown>) =>
    runtimeCost(policy.parse(expr).ast, vars);

  it("sizes values without a schema by their own lengths, as cel-go's runtime tracker", () => {
    const object = { data: { a: 'x'.repeat(10_000), b: 'y'.repeat(9_990) } };
    // Two paths of an ident and two selects, then ceil(10000/10) * ceil(9990/10).
    expect(run('object.data.a.contains(object.data.b)', { object })).toBe(6 + 1000 * 999);
    const items = { list: Array.from({ length: 100 }, (_, i) => `item-${i}`) };
    // all: 1 for the result, per item 3 plus `x.startsWith('item')` (1 + ident 1).
    expect(run("object.list.all(x, x.startsWith('item'))", { object: items })).toBe(
      2 + 1 + 100 * (3 + 2),
    );
  });

  it('leaves the authorizer and absent variables unsized', () => {
    // The ident, and an equality with null (1, whatever the unknown size of the other side).
    expect(run('params == null', { params: undefined, authorizer: {} })).toBe(2);
  });
});
