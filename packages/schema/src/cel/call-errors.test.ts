import { describe, expect, it } from 'vitest';
import { callErrorText } from './call-errors.js';
import { policyEnvironment } from './library.js';

const env = policyEnvironment();

/** The error checking `expression` in `env` gives, in cel-go's words (undefined: another). */
function text(expression: string): string | undefined {
  const r = env.check(expression);
  if (r.valid || !r.error) throw new Error(`${expression} checks`);
  return callErrorText(env, expression, r.error);
}

describe('callErrorText', () => {
  it("names a function and its argument types apart, at the call's (", () => {
    expect(text("'a'.startsWith(1)")).toBe(
      "ERROR: <input>:1:15: found no matching overload for 'startsWith' applied to 'string.(int)'\n | 'a'.startsWith(1)\n | ..............^",
    );
    expect(text('size(1, 2)')).toBe(
      "ERROR: <input>:1:5: found no matching overload for 'size' applied to '(int, int)'\n | size(1, 2)\n | ....^",
    );
  });

  it('words a function no overload of which exists as an undeclared reference', () => {
    expect(text("'a'.nope()")).toBe(
      "ERROR: <input>:1:9: undeclared reference to 'nope' (in container '')\n | 'a'.nope()\n | ........^",
    );
  });

  it('words unary operators, indexes, conditionals and macros as cel-go', () => {
    expect(text('!1')).toContain(":1:1: found no matching overload for '!_' applied to '(int)'");
    expect(text("'a'[0]")).toContain(
      ":1:4: found no matching overload for '_[_]' applied to '(string, int)'",
    );
    expect(text("true ? 1 : 'a'")).toContain(
      ":1:6: found no matching overload for '_?_:_' applied to '(bool, int, string)'",
    );
    expect(text('[1].all(1, true)')).toContain(':1:9: argument must be a simple name');
    expect(text('[1].exists(x, x)')).toContain(":1:15: expected type 'bool' but found 'int'");
    expect(text('has(1)')).toContain(':1:5: invalid argument to has() macro');
  });

  it('leaves other errors alone', () => {
    expect(text('object.a + ')).toBeUndefined();
  });
});
