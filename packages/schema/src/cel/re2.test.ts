import { describe, expect, test } from 'vitest';
import { re2Error, re2FindAll, re2Refuses, re2RegExp } from './re2.js';

// Each expectation was checked against Go's regexp (go1.26, the Go of kube-apiserver v1.36).
describe('re2RegExp matches as Go regexp.MatchString', () => {
  test.each([
    ['(?i)abc', 'xAbC', true],
    ['a(?i)b', 'aB', true],
    ['a(?i)b', 'AB', false],
    ['(?i:a)b', 'Ab', true],
    ['(?i:a)b', 'AB', false],
    ['(?i)a(?-i)b', 'Ab', true],
    ['(?i)a(?-i)b', 'AB', false],
    ['(?i)k', '\u212a', true],
    ['(?i)ſ', 'S', true],
    ['(?i)ı', 'I', false],
    ['(?i)[^k]', 'K', false],
    ['(?i)\\W', 'ſ', false],
    ['x(?i)\\w', 'xſ', true],
    ['(?i:\\P{Lu})', 'a', false],
    ['(?i:\\P{Lu})', '1', true],
    ['(?i)[[:upper:]]', 'a', true],
    ['(?P<n>a)b', 'ab', true],
    ['(?<n>a)(?P<n>b)', 'ab', true],
    ['^[[:alpha:]]+$', 'abc', true],
    ['^[[:alpha:]]+$', 'ab1', false],
    ['^[[:^alpha:]]$', '1', true],
    ['[[:word:]]', '_', true],
    ['\\Aab\\z', 'ab', true],
    ['\\Aab\\z', 'ab\n', false],
    ['a$', 'a\n', false],
    ['\\Qa.b', 'a.b', true],
    ['\\Qa.b\\E+', 'a.bb', true],
    ['\\Qa.b', 'axb', false],
    ['\\pN', '5', true],
    ['\\p{Greek}', 'α', true],
    ['\\p{greek}', 'α', true],
    ['\\p{^L}', '5', true],
    ['\\PL', 'a', false],
    ['\\p{Letter}', 'a', true],
    ['a.c', 'a\rc', true],
    ['a.c', 'a\nc', false],
    ['(?s)a.c', 'a\nc', true],
    ['(?m)^b$', 'a\nb\nc', true],
    ['(?m)^b$', 'a\r\nb\r\nc', false],
    ['^*a', 'a', true],
    ['[]a]', ']', true],
    ['[^]a]', ']', false],
    ['[\\d-z]', '-', true],
    ['a{,2}', 'a{,2}', true],
    ['\\x41\\x{3b1}\\101\\_', 'Aα A_', false],
    ['\\x41\\x{3b1}\\101\\_', 'AαA_', true],
  ])('%j on %j: %s', (pattern, input, want) => {
    expect(re2RegExp(pattern).test(input)).toBe(want);
  });
});

describe('re2FindAll finds as Go FindAllString', () => {
  test.each([
    ['a*', 'baaac', -1, ['', 'aaa', '']],
    ['(?U)a+', 'aaa', -1, ['a', 'a', 'a']],
    ['(?U)a+?', 'aaa', -1, ['aaa']],
    ['[0-9]+', 'ab12c34', 1, ['12']],
    ['', 'αβ', -1, ['', '', '']],
  ])('%j in %j (n=%d)', (pattern, input, n, want) => {
    expect(re2FindAll(pattern, input, n)).toEqual(want);
  });
});

describe('re2Error words refusals as Go', () => {
  test.each([
    ['(?=a)', 'invalid or unsupported Perl syntax: `(?=`'],
    ['a(?!b)', 'invalid or unsupported Perl syntax: `(?!`'],
    ['(?<=a)b', 'invalid named capture: `(?<=a)b`'],
    ['(?P=n)', 'invalid or unsupported Perl syntax: `(?P`'],
    ['(?P<>a)', 'invalid named capture: `(?P<>`'],
    ['(?i', 'invalid or unsupported Perl syntax: `(?i`'],
    ['(?-)', 'invalid or unsupported Perl syntax: `(?-)`'],
    ['(a)\\1', 'invalid escape sequence: `\\1`'],
    ['\\8', 'invalid escape sequence: `\\8`'],
    ['\\Z', 'invalid escape sequence: `\\Z`'],
    ['\\C', 'invalid escape sequence: `\\C`'],
    ['[\\b]', 'invalid escape sequence: `\\b`'],
    ['\\xg1', 'invalid escape sequence: `\\xg1`'],
    ['\\x{110000}', 'invalid escape sequence: `\\x{110000`'],
    ['\\', 'trailing backslash at end of expression: ``'],
    ['\\p{Old_Italic}', 'invalid character class range: `\\p{Old_Italic}`'],
    ['\\p{Foo', 'invalid character class range: `\\p{Foo`'],
    ['[[:foo:]]', 'invalid character class range: `[:foo:]`'],
    ['[z-a]', 'invalid character class range: `z-a`'],
    ['[a', 'missing closing ]: `[a`'],
    ['[]', 'missing closing ]: `[]`'],
    ['(a', 'missing closing ): `(a`'],
    ['a)', 'unexpected ): `a)`'],
    ['*', 'missing argument to repetition operator: `*`'],
    ['a|*', 'missing argument to repetition operator: `*`'],
    ['{2}', 'missing argument to repetition operator: `{2}`'],
    ['a**', 'invalid nested repetition operator: `**`'],
    ['a*?*', 'invalid nested repetition operator: `*?*`'],
    ['x{2}{3}', 'invalid nested repetition operator: `{2}{3}`'],
    ['a{1001}', 'invalid repeat count: `{1001}`'],
    ['(a{500}){3}', 'invalid repeat count: `{3}`'],
  ])('%j', (pattern, message) => {
    expect(re2Error(pattern)).toBe(`error parsing regexp: ${message}`);
    expect(re2Refuses(pattern)).toBe(true);
  });
});
