import { expect, test } from 'vitest';
import { type CertificateExtension, extensionsError } from './certificate-extensions.js';

const der = (...bytes: number[]) => Buffer.from(bytes);
const ext = (oid: string, value: Buffer, critical = false): CertificateExtension => ({
  oid,
  critical,
  value,
});

test('known extensions read as crypto/x509 reads them; unknown ones are not read', () => {
  expect(
    extensionsError([
      ext('2.5.29.19', der(0x30, 0x06, 0x01, 0x01, 0xff, 0x02, 0x01, 0x00)),
      ext('2.5.29.15', der(0x03, 0x02, 0x05, 0xa0)),
      ext('2.5.29.37', der(0x30, 0x05, 0x06, 0x03, 0x2b, 0x06, 0x01)),
      ext('2.5.29.17', der(0x30, 0x03, 0x82, 0x01, 0x61)),
      ext('1.2.3.4', der(0xff), true),
    ]),
  ).toBeUndefined();
});

test('the first extension that does not read is named in Go words', () => {
  expect(
    extensionsError([
      ext('2.5.29.15', der(0x02, 0x01, 0x01)),
      ext('2.5.29.19', der(0x02, 0x01, 0x01)),
    ]),
  ).toBe('x509: invalid key usage');
  // A path length of 2^63 is beyond math.MaxInt; a negative one is no uint.
  const pathLength = (...n: number[]) =>
    extensionsError([ext('2.5.29.19', der(0x30, n.length + 2, 0x02, n.length, ...n))]);
  expect(pathLength(0x7f, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff)).toBeUndefined();
  expect(pathLength(0x00, 0x80, 0, 0, 0, 0, 0, 0, 0)).toBe('x509: invalid basic constraints');
  expect(pathLength(0xff)).toBe('x509: invalid basic constraints');
  expect(extensionsError([ext('2.5.29.14', der(0x04, 0x00), true)])).toBe(
    'x509: subject key identifier incorrectly marked critical',
  );
  // Policy constraints: a [0] INTEGER of more than 64 bits.
  expect(
    extensionsError([ext('2.5.29.36', der(0x30, 0x0b, 0x80, 0x09, 1, 0, 0, 0, 0, 0, 0, 0, 0))]),
  ).toBe('x509: invalid policy constraints extension');
  // Certificate policies: an OID whose last component is left open.
  expect(extensionsError([ext('2.5.29.32', der(0x30, 0x04, 0x30, 0x02, 0x06, 0x00))])).toBe(
    'x509: invalid certificate policies',
  );
});

test('name constraints: subtrees present and not empty, each base name checked', () => {
  const constraints = (...content: number[]) =>
    extensionsError([ext('2.5.29.30', der(0x30, content.length, ...content))]);
  expect(constraints()).toBe('x509: empty name constraints extension');
  expect(constraints(0xa0, 0x00)).toBe('x509: empty name constraints extension');
  expect(constraints(0xa1, 0x05, 0x30, 0x03, 0x82, 0x01, 0x2e)).toBe(
    'x509: failed to parse dnsName constraint "."',
  );
  // A leading dot is a constraint on subdomains; an address with a user part is a mailbox.
  expect(constraints(0xa0, 0x06, 0x30, 0x04, 0x82, 0x02, 0x2e, 0x61)).toBeUndefined();
  const mailbox = Buffer.from('"a b"@example.com', 'latin1');
  expect(
    constraints(
      0xa0,
      mailbox.length + 4,
      0x30,
      mailbox.length + 2,
      0x81,
      mailbox.length,
      ...mailbox,
    ),
  ).toBeUndefined();
  expect(constraints(0xa0, 0x06, 0x30, 0x04, 0x86, 0x02, 0x3a, 0x3a)).toBe(
    'x509: failed to parse URI constraint "::": cannot be IP address',
  );
});
