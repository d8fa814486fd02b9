import { describe, expect, test } from 'vitest';
import { goQuote } from './go-print.js';
import { parseGoUrl } from './go-url.js';

describe('parseGoUrl', () => {
  test('reads scheme, host, user information, query and fragment', () => {
    expect(parseGoUrl('HTTPS://u%41:p%3a@h.example.com:8443/p?q=1#f%20x')).toEqual({
      scheme: 'https',
      host: 'h.example.com:8443',
      user: 'uA:p%3A',
      rawQuery: 'q=1',
      fragment: 'f x',
    });
    expect(parseGoUrl('https://[::1]:443/x')).toMatchObject({ host: '[::1]:443' });
  });

  test('a text without a scheme is a path; one with a scheme and no slash is opaque', () => {
    expect(parseGoUrl('Bad Value!')).toEqual({ scheme: '', host: '', rawQuery: '', fragment: '' });
    expect(parseGoUrl('mailto:x@y')).toMatchObject({ scheme: 'mailto', host: '' });
  });

  test("gives Go's errors", () => {
    const cases: [string, string][] = [
      [':x', 'parse ":x": missing protocol scheme'],
      ['1a:b/c', 'parse "1a:b/c": first path segment in URL cannot contain colon'],
      ['https://h\x01', 'parse "https://h\\x01": net/url: invalid control character in URL'],
      ['https://[::1', `parse "https://[::1": missing ']' in host`],
      ['https://a[::1]', 'parse "https://a[::1]": invalid IP-literal'],
      ['https://[1.2.3.4]', 'parse "https://[1.2.3.4]": invalid IP-literal'],
      ['https://[::1]x', 'parse "https://[::1]x": invalid port "x" after host'],
      ['https://h:p', 'parse "https://h:p": invalid port ":p" after host'],
      ['https://h o', 'parse "https://h o": invalid character " " in host name'],
      ['https://h%41', 'parse "https://h%41": invalid URL escape "%41"'],
      ['https://h/%z', 'parse "https://h/%z": invalid URL escape "%z"'],
      ['https://a b@h', 'parse "https://a b@h": net/url: invalid userinfo'],
      ['https://h#%zz', 'parse "https://h#%zz": invalid URL escape "%zz"'],
    ];
    for (const [url, error] of cases) expect(parseGoUrl(url), url).toBe(error);
  });
});

describe('goQuote', () => {
  test('escapes quotes, backslashes and control characters as Go does', () => {
    expect(goQuote('a"b\\c\n\x01é')).toBe('"a\\"b\\\\c\\n\\x01é"');
  });
});

describe('parseGoUrl hosts as Go 1.26 reads them', () => {
  test('the port starts at the first colon in http and https URLs, at the last elsewhere', () => {
    expect(parseGoUrl('db://h:1:2/')).toMatchObject({ host: 'h:1:2' });
    expect(parseGoUrl('https://h:1:2/')).toBe(
      'parse "https://h:1:2/": invalid port ":1:2" after host',
    );
  });

  test('an IPv6 zone may escape what a host may hold, and a space', () => {
    expect(parseGoUrl('https://[fe80::1%25en%20%41]/')).toMatchObject({ host: '[fe80::1%en A]' });
    expect(parseGoUrl('https://[fe80::1%25%00]/')).toBe(
      'parse "https://[fe80::1%25%00]/": invalid URL escape "%00"',
    );
    expect(parseGoUrl('https://[%zone]/')).toBe(
      'parse "https://[%zone]/": invalid URL escape "%zo"',
    );
    expect(parseGoUrl('https://[host]/')).toBe(
      'parse "https://[host]/": invalid host: ParseAddr("host"): unable to parse IP',
    );
  });

  test('the text is quoted without its fragment unless the fragment failed', () => {
    expect(parseGoUrl('1a:b#c')).toBe(
      'parse "1a:b": first path segment in URL cannot contain colon',
    );
    expect(parseGoUrl('*')).toMatchObject({ host: '' });
  });
});
