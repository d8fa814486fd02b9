import { expect, test } from 'vitest';
import { parseGoUrl } from './go-url.js';

test('hosts are found as Go finds them: unescaped, with their port, none for opaque URIs', () => {
  expect(parseGoUrl('https://a.example.com:8443/x?y#z')).toEqual({ host: 'a.example.com:8443' });
  expect(parseGoUrl('spiffe://trust.example/ns/a')).toEqual({ host: 'trust.example' });
  expect(parseGoUrl('https://%C3%A9.example/')).toEqual({ host: '\u00c3\u00a9.example' });
  expect(parseGoUrl('https://[::1]:80/')).toEqual({ host: '[::1]:80' });
  expect(parseGoUrl('urn:a:b')).toEqual({ host: '' });
  // Outside http and https the last colon starts the port.
  expect(parseGoUrl('db://h:1:2/')).toEqual({ host: 'h:1:2' });
  expect(parseGoUrl('https://user:pa%20ss@h/')).toEqual({ host: 'h' });
});

test('refusals in net/url words, quoting the text without its fragment unless that failed', () => {
  const refused = (raw: string) => ('error' in parseGoUrl(raw) ? parseGoUrl(raw) : undefined);
  expect(refused('://x')).toEqual({ error: 'parse "://x": missing protocol scheme' });
  expect(refused('1a:b#c')).toEqual({
    error: 'parse "1a:b": first path segment in URL cannot contain colon',
  });
  expect(refused('https://h:1:2/')).toEqual({
    error: 'parse "https://h:1:2/": invalid port ":1:2" after host',
  });
  expect(refused('https://a{b/')).toEqual({
    error: 'parse "https://a{b/": invalid character "{" in host name',
  });
  expect(refused('https://h/%g0')).toEqual({
    error: 'parse "https://h/%g0": invalid URL escape "%g0"',
  });
  expect(refused('https://h/#%')).toEqual({
    error: 'parse "https://h/#%": invalid URL escape "%"',
  });
  expect(refused('https://[fe80::1%25%00]/')).toEqual({
    error: 'parse "https://[fe80::1%25%00]/": invalid URL escape "%00"',
  });
  expect(refused('https://a[b]/')).toEqual({ error: 'parse "https://a[b]/": invalid IP-literal' });
  expect(refused('https://[::1]x/')).toEqual({
    error: 'parse "https://[::1]x/": invalid port "x" after host',
  });
  expect(refused('https://[%zone]/')).toEqual({
    error: 'parse "https://[%zone]/": invalid URL escape "%zo"',
  });
  expect(refused('a\tb')).toEqual({
    error: 'parse "a\\tb": net/url: invalid control character in URL',
  });
});
