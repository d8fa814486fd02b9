import { Environment } from '@marcbachmann/cel-js';
import { describe, expect, test } from 'vitest';
import { dynMethodCallErrors } from './dyn-method-calls.js';

const env = new Environment().registerVariable('d', 'dyn').registerVariable('s', 'string');

/** The errors of `expression` (which the evaluator accepts) in the evaluator's words. */
function errorsOf(expression: string): string[] {
  const parsed = env.parse(expression);
  expect(parsed.check().valid).toBe(true);
  return dynMethodCallErrors(env, parsed.ast).map((e) => e.message);
}

describe('dynMethodCallErrors', () => {
  test('arguments no overload of the method takes, on a dyn receiver, by position', () => {
    expect(errorsOf('d.b.contains(1) || d.startsWith(2)')).toEqual([
      "found no matching overload for 'dyn.contains(int)'",
      "found no matching overload for 'dyn.startsWith(int)'",
    ]);
    expect(errorsOf('d.matches(1)')).toEqual(["found no matching overload for 'dyn.matches(int)'"]);
  });

  test('arguments some overload takes, dyn arguments, typed receivers and unknown names pass', () => {
    expect(errorsOf("d.startsWith('a') && d.contains(d.x) && d.size() > 0")).toEqual([]);
    expect(errorsOf('d.exists(x, x == 1) && d.all(x, true)')).toEqual([]);
    expect(errorsOf('[d].exists(x, x.startsWith(s))')).toEqual([]);
  });
});
