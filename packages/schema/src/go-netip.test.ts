import { expect, test } from 'vitest';
import { netipParseError } from './go-netip.js';

// Each text with what go1.26's netip.ParseAddr answered for it (undefined: it parsed).
const CASES: [string, string | undefined][] = [
  ['1.2.3.4', undefined],
  ['1.2.3', 'ParseAddr("1.2.3"): IPv4 address too short'],
  ['1.2.3.4.5', 'ParseAddr("1.2.3.4.5"): IPv4 address too long'],
  ['01.2.3.4', 'ParseAddr("01.2.3.4"): IPv4 field has octet with leading zero'],
  ['256.1.1.1', 'ParseAddr("256.1.1.1"): IPv4 field has value >255'],
  ['.1.2.3', 'ParseAddr(".1.2.3"): IPv4 field must have at least one digit (at ".1.2.3")'],
  ['1..2.3', 'ParseAddr("1..2.3"): IPv4 field must have at least one digit (at ".2.3")'],
  ['1.2.3.', 'ParseAddr("1.2.3."): IPv4 field must have at least one digit (at ".")'],
  ['1.2.x.4', 'ParseAddr("1.2.x.4"): unexpected character (at "x.4")'],
  ['abc', 'ParseAddr("abc"): unable to parse IP'],
  ['%eth0', 'ParseAddr("%eth0"): missing IPv6 address'],
  ['::', undefined],
  ['::1', undefined],
  ['fe80::1%', 'ParseAddr("fe80::1%"): zone must be a non-empty string'],
  ['fe80::1%eth0', undefined],
  ['1:2:3:4:5:6:7:8', undefined],
  ['1:2:3:4:5:6:7', 'ParseAddr("1:2:3:4:5:6:7"): address string too short'],
  ['1:2:3:4:5:6:7:8:9', 'ParseAddr("1:2:3:4:5:6:7:8:9"): trailing garbage after address (at "9")'],
  ['12345::1', 'ParseAddr("12345::1"): each group must have 4 or less digits (at "12345::1")'],
  [
    'g::1',
    'ParseAddr("g::1"): each colon-separated field must have at least one digit (at "g::1")',
  ],
  [
    '1:::2',
    'ParseAddr("1:::2"): each colon-separated field must have at least one digit (at ":2")',
  ],
  ['1::2::3', 'ParseAddr("1::2::3"): multiple :: in address (at ":3")'],
  ['1:2:3:4:5:6:7::', undefined],
  ['::ffff:1.2.3.4', undefined],
  ['1:2:3:4:5:6:1.2.3.4', undefined],
  [
    '1:2:3:4:5:6:7:1.2.3.4',
    'ParseAddr("1:2:3:4:5:6:7:1.2.3.4"): embedded IPv4 address must replace the final 2 fields of the address (at "1.2.3.4")',
  ],
  ['1::1.2.3.4', undefined],
  ['1:2::1.2.3', 'ParseAddr("1:2::1.2.3"): IPv4 address too short'],
  ['1:2::01.2.3.4', 'ParseAddr("1:2::01.2.3.4"): IPv4 field has octet with leading zero'],
  ['::1.2.3.4%z', undefined],
  ['1:', 'ParseAddr("1:"): colon must be followed by more characters (at ":")'],
  ['1:2:', 'ParseAddr("1:2:"): colon must be followed by more characters (at ":")'],
  [':1', 'ParseAddr(":1"): each colon-separated field must have at least one digit (at ":1")'],
  ['1::2x', 'ParseAddr("1::2x"): unexpected character, want colon (at "x")'],
  [
    '[::1]',
    'ParseAddr("[::1]"): each colon-separated field must have at least one digit (at "[::1]")',
  ],
  [
    '1:2:3:4:5:6:7:8::',
    'ParseAddr("1:2:3:4:5:6:7:8::"): the :: must expand to at least one field of zeros',
  ],
  ['fffff::', 'ParseAddr("fffff::"): each group must have 4 or less digits (at "fffff::")'],
  ['10000::', 'ParseAddr("10000::"): each group must have 4 or less digits (at "10000::")'],
  ['é.1.2.3', 'ParseAddr("é.1.2.3"): unexpected character (at "é.1.2.3")'],
  ['1.2.3.é', 'ParseAddr("1.2.3.é"): unexpected character (at "é")'],
  ['::é', 'ParseAddr("::é"): each colon-separated field must have at least one digit (at "é")'],
];

test.each(CASES)("netipParseError(%j) is netip's answer", (text, want) => {
  expect(netipParseError(text)).toBe(want);
});
