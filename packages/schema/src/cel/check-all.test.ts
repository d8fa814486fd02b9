import { Environment } from '@marcbachmann/cel-js';
import { describe, expect, test } from 'vitest';
import { checkAll } from './check-all.js';
import { checkDeviceSelector } from './device-selector.js';

const env = new Environment().registerVariable('x', 'int');

describe('checkAll', () => {
  test('gives the type of an expression that checks', () => {
    const result = checkAll(env, 'x + 1 > 2');
    expect(result.valid && result.type).toBe('bool');
  });

  test('reports every error, reading each failing node as dyn', () => {
    const result = checkAll(env, 'y == 1 || x == "a" || z');
    expect(result.valid).toBe(false);
    const summaries = result.valid ? [] : result.errors.map((e) => e.message.split('\n')[0]);
    expect(summaries).toEqual([
      'Unknown variable: y',
      'no such overload: int == string',
      'Unknown variable: z',
    ]);
  });

  test('a parse error is the only error', () => {
    const result = checkAll(env, 'x +');
    expect(result.valid).toBe(false);
    expect(result.valid ? 0 : result.errors.length).toBe(1);
  });

  test("an undeclared method of an undeclared receiver is listed too, as cel-go's", () => {
    const e = 'nosuch.foo(y, 1, y == 1)';
    const at = (column: number, name: string) =>
      `ERROR: <input>:1:${column}: undeclared reference to '${name}' (in container '')\n | ${e}\n | ${'.'.repeat(column - 1)}^`;
    // cel-go v0.26's errors for it.
    expect(checkDeviceSelector(e)).toEqual({
      invalid: `compilation failed: ${[at(1, 'nosuch'), at(11, 'foo'), at(12, 'y'), at(18, 'y')].join('\n')}`,
    });
  });

  test("an operand that failed is of cel-go's error type in the calls around it", () => {
    const e = 'nosuch.startsWith(1)';
    // cel-go v0.26's errors for it.
    expect(checkDeviceSelector(e)).toEqual({
      invalid: `compilation failed: ERROR: <input>:1:1: undeclared reference to 'nosuch' (in container '')\n | ${e}\n | ^\nERROR: <input>:1:18: found no matching overload for 'startsWith' applied to '!error!.(int)'\n | ${e}\n | ${'.'.repeat(17)}^`,
    });
  });
});
