import { describe, expect, test } from 'vitest';
import { policyProgramError } from './policy.js';

describe("program instantiation: constants folded as cel-go's planner folds them", () => {
  test.each([
    ["int('x') == 1", "type conversion error from 'string' to 'int'"],
    ["int(dyn('1.5')) == 1", "type conversion error from 'string' to 'int'"],
    ['uint(-1) == 1u', 'unsigned integer overflow'],
    ['int(1e100) == 1', 'integer overflow'],
    ['int(18446744073709551615u) == 1', 'integer overflow'],
    ["double('1__0') == 1.0", "type conversion error from 'string' to 'double'"],
    ["bool('yes')", "type conversion error from 'string' to 'bool'"],
    ["string(b'\\xff') == ''", 'invalid UTF-8 in bytes, cannot convert to string'],
    ["'a'.find('[') == ''", 'error parsing regexp: missing closing ]: `[`'],
  ])('%s is refused', (expression, why) => {
    expect(policyProgramError(expression)).toBe(why);
  });

  test('conversions that succeed, and of what is no constant, are not', () => {
    for (const ok of [
      "int('-5') == -5",
      "uint('5') == 5u",
      "double('inf') > 1.0",
      "double('1_0') == 10.0",
      "bool('True')",
      'int(string(1)) == 1',
      'int(object.x) == 1',
      "int('x' + 'y') == 1",
    ]) {
      expect(policyProgramError(ok)).toBeUndefined();
    }
  });
});
