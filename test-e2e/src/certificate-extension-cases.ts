/**
 * Certificate extensions whose values crypto/x509 cannot read, with the words Go's
 * `x509.ParseCertificates` refuses a certificate holding them with (each list is a
 * certificate's whole `[3]` extensions element), and subject alternative names a
 * certificate request cannot carry, with `x509.ParseCertificateRequest`'s words.
 */
import { int, oid, seq, set, tlv } from './der-build.js';

const ascii = (text: string) => Buffer.from(text, 'latin1');
const octets = (...bytes: number[]) => Buffer.from(bytes);
const TRUE = tlv(0x01, octets(0xff));

/** One extension: its OID, its value's DER, and whether it is marked critical. */
export const extension = (id: string, value: Buffer, critical = false): Buffer =>
  seq(oid(id), ...(critical ? [TRUE] : []), tlv(0x04, value));

/** The subject alternative names extension holding `names` (GeneralNames). */
export const altNames = (...names: Buffer[]): Buffer => extension('2.5.29.17', seq(...names));

const dns = (text: string | Buffer) => tlv(0x82, typeof text === 'string' ? ascii(text) : text);
const uri = (text: string) => tlv(0x86, ascii(text));
const ski = extension('2.5.29.14', tlv(0x04, octets(1, 2, 3)));
/** A name constraints extension with these permitted subtrees' base names. */
const permitted = (...bases: Buffer[]) =>
  extension('2.5.29.30', seq(tlv(0xa0, ...bases.map((base) => seq(base)))));
const cannotParseUri = (text: string, why: string) =>
  `x509: cannot parse URI ${JSON.stringify(text)}: ${why}`;

/** Subject alternative names that do not read, in certificates and requests alike. */
export function badAltNames(): [Buffer, string][] {
  return [
    [extension('2.5.29.17', int(1)), 'x509: invalid subject alternative names'],
    [
      extension('2.5.29.17', seq(octets(0x82, 0x05, 0x61))),
      'x509: invalid subject alternative name',
    ],
    [altNames(dns(octets(0x61, 0xc3, 0xa9))), 'x509: SAN dNSName is malformed'],
    [altNames(tlv(0x81, octets(0x80))), 'x509: SAN rfc822Name is malformed'],
    [altNames(tlv(0x86, octets(0xff))), 'x509: SAN uniformResourceIdentifier is malformed'],
    [altNames(tlv(0x87, octets(127, 0, 1))), 'x509: cannot parse IP address of length 3'],
    [
      altNames(dns('ok.example.com'), uri('://x')),
      cannotParseUri('://x', 'parse "://x": missing protocol scheme'),
    ],
    ...(
      [
        ['1a:b/c', 'first path segment in URL cannot contain colon'],
        ['https://a b/', 'invalid character " " in host name'],
        ['https://h:1:2/', 'invalid port ":1:2" after host'],
        ['spiffe://h/%zz', 'invalid URL escape "%zz"'],
        ['https://h/#%4', 'invalid URL escape "%4"'],
        ['https://%41/', 'invalid URL escape "%41"'],
        ['https://u^@h/', 'net/url: invalid userinfo'],
        ['https://[h/', "missing ']' in host"],
        ['https://[host]/', 'invalid host: ParseAddr("host"): unable to parse IP'],
        [
          'https://[1::2::3]/',
          'invalid host: ParseAddr("1::2::3"): multiple :: in address (at ":3")',
        ],
        ['https://[1.2.3.256]/', 'invalid host: ParseAddr("1.2.3.256"): IPv4 field has value >255'],
        ['https://[1.2.3.4]/', 'invalid IP-literal'],
      ] as const
    ).map(([text, why]): [Buffer, string] => [
      altNames(uri(text)),
      cannotParseUri(text, `parse ${JSON.stringify(text)}: ${why}`),
    ]),
    [altNames(uri('https://a..b/')), cannotParseUri('https://a..b/', 'invalid domain')],
    [altNames(uri('https://a.b./')), cannotParseUri('https://a.b./', 'invalid domain')],
  ];
}

/** Whole `[3]` extensions elements that Go refuses, with its words. */
export function badExtensions(): [Buffer, string][] {
  const cases: [Buffer[], string][] = [
    [[extension('2.5.29.19', int(1))], 'x509: invalid basic constraints'],
    [[extension('2.5.29.19', seq(tlv(0x01, octets(1))))], 'x509: invalid basic constraints'],
    [[extension('2.5.29.19', seq(TRUE, int(0xff)))], 'x509: invalid basic constraints'],
    [[extension('2.5.29.19', seq(TRUE, int(0, 0x7f)))], 'x509: invalid basic constraints'],
    [[extension('2.5.29.15', tlv(0x03, octets(8, 0x80)))], 'x509: invalid key usage'],
    [[extension('2.5.29.37', seq(int(1)))], 'x509: invalid extended key usages'],
    [
      [extension('2.5.29.14', tlv(0x04, octets(1)), true)],
      'x509: subject key identifier incorrectly marked critical',
    ],
    [[extension('2.5.29.14', int(1))], 'x509: invalid subject key identifier'],
    [
      [extension('2.5.29.35', seq(), true)],
      'x509: authority key identifier incorrectly marked critical',
    ],
    [[extension('2.5.29.35', int(1))], 'x509: invalid authority key identifier'],
    [[extension('2.5.29.35', seq(octets(0x80, 0x05)))], 'x509: invalid authority key identifier'],
    [[extension('2.5.29.30', seq())], 'x509: empty name constraints extension'],
    [
      [extension('2.5.29.30', Buffer.concat([seq(), int(1)]))],
      'x509: invalid NameConstraints extension',
    ],
    [[extension('2.5.29.30', seq(tlv(0xa1, int(1))))], 'x509: invalid NameConstraints extension'],
    [[permitted(dns('a..b'))], 'x509: failed to parse dnsName constraint "a..b"'],
    [
      [permitted(dns(octets(0x61, 0xff)))],
      'x509: invalid constraint value: x509: "a\\xff" cannot be encoded as an IA5String',
    ],
    [
      [permitted(tlv(0x87, octets(10, 0, 0, 0, 255)))],
      'x509: IP constraint contained value of length 5',
    ],
    [
      [permitted(tlv(0x87, octets(10, 0, 0, 0, 255, 0, 255, 0)))],
      'x509: IP constraint contained invalid mask ff00ff00',
    ],
    [
      [permitted(tlv(0x81, ascii('a..b@example.com')))],
      'x509: failed to parse rfc822Name constraint "a..b@example.com"',
    ],
    [[permitted(tlv(0x81, ascii('"a@b')))], 'x509: failed to parse rfc822Name constraint "\\"a@b"'],
    [
      [permitted(tlv(0x81, ascii('.example.com.')))],
      'x509: failed to parse rfc822Name constraint ".example.com."',
    ],
    [
      [permitted(uri('10.0.0.1'))],
      'x509: failed to parse URI constraint "10.0.0.1": cannot be IP address',
    ],
    [[permitted(uri('a b'))], 'x509: failed to parse URI constraint "a b"'],
    [[extension('2.5.29.31', int(1))], 'x509: invalid CRL distribution points'],
    [[extension('2.5.29.31', seq(int(1)))], 'x509: invalid CRL distribution point'],
    [
      [extension('2.5.29.31', seq(seq(tlv(0xa0, tlv(0xa1, set())))))],
      'x509: invalid CRL distribution point',
    ],
    [
      [extension('2.5.29.36', seq(octets(0x80, 0x02, 0, 1)))],
      'x509: invalid policy constraints extension',
    ],
    [[extension('2.5.29.36', int(1))], 'x509: invalid policy constraints extension'],
    [
      [extension('2.5.29.32', seq(seq(oid('1.2.3')), seq(oid('1.2.3'))))],
      'x509: invalid certificate policies',
    ],
    [[extension('2.5.29.32', seq(seq(int(1))))], 'x509: invalid certificate policies'],
    [[extension('2.5.29.33', seq(seq(oid('1.2'))))], 'x509: invalid policy mappings extension'],
    [[extension('2.5.29.54', int(0, 1))], 'x509: invalid inhibit any policy extension'],
    [
      [extension('1.3.6.1.5.5.7.1.1', seq(), true)],
      'x509: authority info access incorrectly marked critical',
    ],
    [[extension('1.3.6.1.5.5.7.1.1', seq(seq(int(1))))], 'x509: invalid authority info access'],
    // The first extension that does not read is named, after every one was read whole.
    [
      [ski, extension('2.5.29.15', int(1)), extension('2.5.29.19', int(1))],
      'x509: invalid key usage',
    ],
    [
      [extension('2.5.29.15', int(1)), ski, ski],
      'x509: certificate contains duplicate extension with OID "2.5.29.14"',
    ],
  ];
  return [
    ...cases.map(([list, why]): [Buffer, string] => [tlv(0xa3, seq(...list)), why]),
    ...badAltNames().map(([ext, why]): [Buffer, string] => [tlv(0xa3, seq(ext)), why]),
  ];
}
