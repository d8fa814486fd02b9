import { describe, expect, test } from 'vitest';
import { ruleCheckEnvironment, ruleEnvironment } from './library.js';

const env = ruleEnvironment();
const run = (expr: string, self: unknown) => env.evaluate(expr, { self });

describe('the Kubernetes CEL library', () => {
  test.each([
    ['self.isSorted()', [1n, 2n, 2n], true],
    ['self.isSorted()', ['b', 'a'], false],
    ['self.sum()', [1n, 2n, 3n], 6n],
    ['self.sum()', [], 0n],
    ['self.min()', [3n, 1n, 2n], 1n],
    ['self.max()', ['a', 'c', 'b'], 'c'],
    ['self.indexOf(2)', [1n, 2n, 2n], 1n],
    ['self.lastIndexOf(2)', [1n, 2n, 2n], 2n],
    ['self.slice(1, 2)', [1n, 2n, 3n], [2n]],
    ['self.find("[0-9]+")', 'ab12c34', '12'],
    ['self.findAll("[0-9]+")', 'ab12c34', ['12', '34']],
    ['self.findAll("[0-9]+", 1)', 'ab12c34', ['12']],
    ['self.charAt(1)', 'abc', 'b'],
    ['self.replace("a", "b")', 'aXa', 'bXb'],
    ['self.replace("a", "b", 1)', 'aXa', 'bXa'],
    ['self.reverse()', 'abc', 'cba'],
    ['self.?x.orValue("d")', {}, 'd'],
    ["quantity(self).compareTo(quantity('1Gi')) < 0", '512Mi', true],
    ["quantity(self).isGreaterThan(quantity('1'))", '1001m', true],
    ["quantity(self).add(quantity('500m')).asApproximateFloat()", '1.5', 2],
    ['quantity(self).asInteger()', '2k', 2000n],
    ['quantity(self).isInteger()', '1500m', false],
    ['quantity(self).sign()', '-1e3', -1n],
    ['isQuantity(self)', 'lots', false],
  ])('%s', (expr, self, want) => {
    expect(run(expr, self)).toEqual(want);
  });

  test('a string that is not a quantity fails with the pattern kube-apiserver quotes', () => {
    expect(() => run('quantity(self).sign() == 1', 'lots')).toThrow(
      "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'",
    );
  });

  test('min of an empty list is an error', () => {
    expect(() => run('self.min()', [])).toThrow('min called on empty list');
  });
});

describe('ruleCheckEnvironment', () => {
  test("names the rule's object types selfType<nanoseconds>, a field's <type>.<field>", () => {
    const check = ruleCheckEnvironment({ o: { x: 'string' } }, false);
    const message = (e: string) => check.check(e).error?.message.split('\n')[0];
    expect(message('self + 1 == 1')).toMatch(/^no such overload: selfType\d+ \+ int$/);
    expect(message('self.o + 1 == 1')).toMatch(/^no such overload: selfType\d+\.o \+ int$/);
  });
});
