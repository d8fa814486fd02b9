import { describe, expect, it } from 'vitest';
import { ruleEnvironment } from './library.js';

const env = ruleEnvironment();

/** The value of `expression`, or its error's first line. */
function run(expression: string, self?: unknown): unknown {
  try {
    return env.evaluate(expression, { self });
  } catch (e) {
    return (e as Error).message.split('\n')[0];
  }
}

// Their runtime costs are in runtime-cost.test.ts, with Kubernetes' figures.
describe('two-variable comprehensions', () => {
  it('binds the index and item of a list, the key and value of a map', () => {
    expect(run('[10, 20].transformList(i, x, i * 100 + x)')).toEqual([10n, 120n]);
    expect(run("{'a': 'x', 'b': 'y'}.transformList(k, v, k + v)")).toEqual(['ax', 'by']);
    expect(run("self.transformMap(k, v, k != 'a', v + '!')", { a: 'x', b: 'y' })).toEqual({
      b: 'y!',
    });
    expect(run('[5, 6].transformMap(i, x, x * 2)')).toEqual(
      new Map([
        [0n, 10n],
        [1n, 12n],
      ]),
    );
    expect(run("self.transformMapEntry(k, v, {v: k})['y']", { a: 'x', b: 'y' })).toBe('b');
  });

  it('decides all and exists past an error, as cel-go folds them', () => {
    expect(run('[0, 1].all(i, x, 1 / x > 1)')).toBe(false);
    expect(run('[1, 0].all(i, x, 1 / x > 0)')).toBe('division by zero');
    expect(run('[0, 1].exists(i, x, 1 / x > 0)')).toBe(true);
    expect(run('[0].exists_one(i, x, 1 / x > 0)')).toBe('division by zero');
    expect(run('[1, 2, 3].existsOne(i, x, x > i + 1)')).toBe(false);
    expect(run('[1, 2, 3].existsOne(i, x, x == i + 1 && i == 2)')).toBe(true);
  });

  it('refuses a key transformMapEntry gives twice, in cel-go words', () => {
    expect(run("['a', 'b'].transformMapEntry(i, x, {'k': x})")).toBe(
      'insert failed: key k already exists',
    );
  });

  it('refuses bad variables when parsing, in cel-go words', () => {
    expect(run('[1].all(x, x, true)')).toBe('duplicate variable name: x');
    expect(run('[1].all(x.y, z, true)')).toBe('argument must be a simple name');
    expect(run('[1].transformList(__result__, z, z)')).toBe(
      'iteration variable overwrites accumulator variable',
    );
  });
});
