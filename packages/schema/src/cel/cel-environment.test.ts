import { describe, expect, test } from 'vitest';
import { CelEnvironment } from './cel-environment.js';
import { checkDeviceSelector } from './device-selector.js';
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
    // An empty literal's lone comma is its trailing one to cel-go.
    expect(env.evaluate("[,] == [] && { , }.size() == 0 && '[,]' != ''", {})).toBe(true);
  });

  test('a leading dot reads the name from the root scope, as cel-go reads it', () => {
    const env = ruleEnvironment();
    const self = { a: 1n };
    expect(env.evaluate('.self.a == 1 && [. self.a][0] == 1 && -.self.a == -1', { self })).toBe(
      true,
    );
    expect(env.evaluate(".size([1]) == 1 && .int('2') == 2 && '.a' == '.' + 'a'", {})).toBe(true);
    // cel-go refuses a dot before a literal, and `.has(…)` is no macro there.
    for (const refused of ['.true', '.has(self.a)']) expect(env.check(refused).valid).toBe(false);
    // cel-go v0.26: `.a.b` where nothing is declared.
    expect(checkDeviceSelector('.a.b')).toEqual({
      invalid:
        "compilation failed: ERROR: <input>:1:2: undeclared reference to '.a' (in container '')\n | .a.b\n | .^",
    });
    expect(checkDeviceSelector('.device.driver == "x"')).toBeUndefined();
  });
});
