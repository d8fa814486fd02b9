import { describe, expect, test } from 'vitest';
import { ruleEnvironment } from './library.js';

const env = ruleEnvironment();
const run = (expr: string) => env.evaluate(expr, {});

describe('string.format', () => {
  // What kube-apiserver 1.36.3 answered for each.
  test.each([
    ["'%s|%d|%s'.format(['a', 1, [1, 'b', 2.5]])", 'a|1|[1, "b", 2.500000]'],
    ["'%.2f|%f|%e'.format([3.14159, 2.0, 1234.5])", '3.14|2.000000|1.234500×10⁰³'],
    ["'%x|%X|%o|%b'.format([255, 'hi', 8, 5])", 'ff|6869|10|101'],
    ["'%s|%s|%s'.format([true, null, {'k': 1}])", 'true|null|{"k":1}'],
    ["'%s|%s'.format([1.0, 2.5e10])", '1|2.5e+10'],
    ["'%d%%'.format([50])", '50%'],
    ["'%s'.format([duration('1h2m')])", '3720s'],
    ["'%s'.format([timestamp('2021-01-01T00:00:00Z')])", '2021-01-01T00:00:00Z'],
    ["'%s'.format([b'abc'])", 'abc'],
    ["'%.3s'.format(['abcdef'])", 'abcdef'],
  ])('%s', (expr, want) => {
    expect(run(expr)).toBe(want);
  });

  test('too few arguments is an error', () => {
    expect(() => run("'%s %s'.format(['a'])")).toThrow('index 1 out of range');
  });
});
