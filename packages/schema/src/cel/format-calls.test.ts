import { describe, expect, test } from 'vitest';
import { checkPolicyExpression } from './policy.js';

const POLICY = { params: false };

describe('format calls validated as cel-go validates them', () => {
  test.each([
    // An element that does not fit its clause, at the element.
    [
      "'%d'.format(['a']) == ''",
      '1:14: error during formatting: decimal clause can only be used on integers, was given string',
    ],
    ["'%x'.format([1.5]) == ''", 'formatted as hex, was given double'],
    ["'%s'.format([[optional.none()]]) == ''", 'was given optional_type'],
    // Clauses, counts and precisions, at the call's `(`.
    ["'%s %s'.format(['a']) == ''", '1:15: index 1 out of range'],
    [
      "'%d'.format([1, 2]) == ''",
      '1:12: too many arguments supplied to string.format (expected 1, got 2)',
    ],
    ["'%q'.format(['a']) == ''", 'unrecognized formatting clause "q"'],
    ["'%'.format([]) == ''", '1:11: unexpected end of string'],
    ["'%.2'.format([1.0]) == ''", 'could not find end of precision specifier'],
  ])('%s is refused', (expression, why) => {
    const first = checkPolicyExpression(expression, 'bool', POLICY)?.split('\n')[0];
    expect(first).toMatch(/^compilation failed: ERROR: <input>:1:\d+: /);
    expect(first).toContain(why);
  });

  test('what fits, dyn included, compiles; every refused call is listed', () => {
    for (const ok of [
      "'%d %s %.2f %x %b %o %%'.format([1, [1, 'a'], 1.5, 'a', true, 1u]) == ''",
      "'%d'.format([object.x]) == ''",
      "'%s'.format([{'a': 1}]) == ''",
    ]) {
      expect(checkPolicyExpression(ok, 'bool', POLICY)).toBeUndefined();
    }
    const both = checkPolicyExpression("'%d'.format(['a']) == '%e'.format([1])", 'bool', POLICY);
    expect(both?.match(/ERROR: /g)).toHaveLength(2);
  });
});
