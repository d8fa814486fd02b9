import { describe, expect, test } from 'vitest';
import { CelEnvironment } from './cel-environment.js';
import { ruleEnvironment } from './library.js';
import { syntaxErrorsIn } from './syntax-errors.js';

describe('CelEnvironment', () => {
  test('raw bytes literals are read as cel-go reads them, their clones too', () => {
    const env = ruleEnvironment();
    expect(env.evaluate(String.raw`br'a\d' == b'a\\d' && string(BR"x\y") == 'x\\y'`, {})).toBe(
      true,
    );
    const clone = env.clone();
    expect(clone).toBeInstanceOf(CelEnvironment);
    expect(clone.check("br'x'.size() == 1").valid).toBe(true);
  });

  test("a call's trailing comma is refused as cel-go's grammar refuses it; a literal's is not", () => {
    const env = ruleEnvironment();
    const call = "'a'.startsWith('a', )";
    expect(env.check(call).valid).toBe(false);
    expect(() => env.evaluate(call, {})).toThrow();
    expect(syntaxErrorsIn(env, call)).toBe(
      `ERROR: <input>:1:21: Syntax error: mismatched input ')' expecting {'[', '{', '(', '.', '-', '!', 'true', 'false', 'null', NUM_FLOAT, NUM_INT, NUM_UINT, STRING, BYTES, IDENTIFIER}\n | ${call}\n | ${'.'.repeat(20)}^`,
    );
    expect(env.evaluate("[1,].size() == 1 && {'a': 1,}.size() == 1 && 'a,)' != ''", {})).toBe(true);
  });
});
