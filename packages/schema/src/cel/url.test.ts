import { describe, expect, test } from 'vitest';
import { ruleEnvironment } from './library.js';
import { parseRequestUri } from './url.js';

const env = ruleEnvironment();
const run = (expr: string) => env.evaluate(expr, {});

describe('the url library', () => {
  test.each([
    ["url('https://User@Example.com:443/a%20b?x=1&x=2&y=').getHost()", 'Example.com:443'],
    ["url('https://Example.com:443/').getHostname()", 'Example.com'],
    ["url('https://Example.com:443/').getPort()", '443'],
    ["url('https://[::1]:80/').getHostname()", '::1'],
    ["url('https://[::1]/').getPort()", ''],
    ["url('HTTPS://x').getScheme()", 'HTTPS'],
    ["url('/a/b').getEscapedPath()", '/a/b'],
    ["url('https://x/a%20b').getEscapedPath()", '/a%20b'],
    ["isURL('example.com')", false],
    ["isURL('/path')", true],
    ["isURL('mailto:a@b')", true],
  ])('%s is %s', (expr, want) => {
    expect(run(expr)).toBe(want);
  });

  test('getQuery: every value of each key, decoded', () => {
    const q = run("url('https://x/?a=1&a=2&b=x+y&c').getQuery()") as Map<string, string[]>;
    expect(Object.fromEntries(q)).toEqual({ a: ['1', '2'], b: ['x y'], c: [''] });
  });

  test("url() of a text Go's ParseRequestURI refuses is an error naming it", () => {
    expect(parseRequestUri('example.com')).toBe('parse "example.com": invalid URI for request');
    expect(parseRequestUri('https://x:ab/')).toBe(
      'parse "https://x:ab/": invalid port ":ab" after host',
    );
    expect(() => run("url('nope')")).toThrow('URL parse error during conversion from string');
  });
});
