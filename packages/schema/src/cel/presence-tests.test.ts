import { describe, expect, it } from 'vitest';
import { checkHomogeneous } from './homogeneous.js';
import { ruleCheckEnvironment } from './library.js';
import { CelListOf, CelMapOf } from './object-types.js';

const env = ruleCheckEnvironment(
  {
    a: 'string',
    sub: { b: 'int' },
    byName: new CelMapOf({ v: 'int' }),
    items: new CelListOf({ k: 'string' }),
    open: 'dyn',
  },
  false,
);

/** The error checking `expression` gives: its summary and where it points. */
function errorOf(expression: string) {
  const r = checkHomogeneous(env, expression);
  const error = r.error as (Error & { range?: { start: number } }) | undefined;
  return error && { message: error.message.split('\n')[0], at: error.range?.start };
}

describe('presence tests checked as cel-go checks them', () => {
  it('accepts declared fields, map keys and dynamic values', () => {
    for (const e of [
      'has(self.a)',
      'has(self.sub.b)',
      'has(self.byName.x)',
      'has(self.open.x.y)',
    ]) {
      expect(errorOf(e), e).toBeUndefined();
    }
  });

  it('refuses the tested field an object lacks, placed after the `(` of `has(`', () => {
    expect(errorOf('self.a == "" || has(self.sub.c)')).toEqual({
      message: 'No such key: c',
      at: 'self.a == "" || has('.length,
    });
    expect(errorOf('self.items.all(i, has(i.kk))')).toEqual({
      message: 'No such key: kk',
      at: 'self.items.all(i, has('.length,
    });
  });

  it('refuses an inner field an object lacks at its name', () => {
    expect(errorOf('has(self.nope.x)')).toEqual({
      message: 'No such key: nope',
      at: 'has(self.'.length,
    });
  });
});
