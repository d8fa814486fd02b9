import { describe, expect, test } from 'vitest';
import { ruleEnvironment } from './library.js';
import { cachedCompiler } from './programs.js';

const compile = cachedCompiler(ruleEnvironment());
const run = (expr: string, self: unknown) => {
  const p = compile(expr);
  if (p instanceof Error) throw p;
  return p({ self });
};

describe('matches reads its pattern as RE2', () => {
  test.each([
    ["self.matches('(?i)ABC')", 'abc', true],
    ["self.all(x, x.matches('^[[:alpha:]]+$'))", ['ab', 'c'], true],
    ["self.exists(x, x.matches('(?P<n>b)'))", ['a', 'b'], true],
    ['self.value.matches(self.re)', { value: 'aBc', re: '(?i)b' }, true],
    ['self.value.matches(self.re)', { value: 'a\rc', re: '^a.c$' }, true],
    ["self.findAll('a*')", 'baaac', ['', 'aaa', '']],
  ])('%s', (expr, self, want) => {
    expect(run(expr, self)).toEqual(want);
  });

  test('a pattern Go refuses fails with Go regexp error', () => {
    expect(() => run('self.value.matches(self.re)', { value: 'a', re: '(?=a)' })).toThrow(
      'error parsing regexp: invalid or unsupported Perl syntax: `(?=`',
    );
    expect(() => run('self.find(self)', '(')).toThrow(
      'Illegal regex: error parsing regexp: missing closing ): `(`',
    );
  });
});

describe("matches' global form", () => {
  test('reads its pattern as RE2', () => {
    expect(run("matches(self, '(?i)ABC')", 'abc')).toBe(true);
    expect(() => run('matches(self, self)', '(')).toThrow(
      'error parsing regexp: missing closing ): `(`',
    );
  });
});
