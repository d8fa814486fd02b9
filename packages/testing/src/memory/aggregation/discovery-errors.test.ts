import { X509Certificate } from 'node:crypto';
import { createCertificateAuthority } from '@kube-ts/core/certificates';
import { describe, expect, test } from 'vitest';
import { bundleCertificates, unknownAuthorityHint } from './authority-hint.js';
import {
  certificateError,
  notTlsError,
  responseHeadError,
  validityError,
} from './discovery-errors.js';

describe('responseHeadError', () => {
  const broken = 'net/http: HTTP/1.x transport connection broken: malformed';
  const head = (text: string) => responseHeadError(Buffer.from(text, 'latin1'));
  test('names the first part of the status line net/http cannot read', () => {
    expect(head('garbage\r\n\r\n')).toBe(`${broken} HTTP response "garbage"`);
    expect(head('HTTP/1.1 2000 OK\r\n')).toBe(`${broken} HTTP status code "2000"`);
    expect(head('HTTP/1.1 -12 OK\r\n')).toBe(`${broken} HTTP status code "-12"`);
    expect(head('HTTP/2 200 OK\n')).toBe(`${broken} HTTP version "HTTP/2"`);
  });
  test('then the header lines, as net/textproto reads them', () => {
    expect(head('HTTP/1.1   200 OK\r\nbad header\r\n')).toBe(
      `${broken} MIME header: missing colon: "bad header"`,
    );
    expect(head('HTTP/1.1 200 OK\r\n X: y\r\n\r\n')).toBe(
      `${broken} MIME header initial line: " X: y"`,
    );
    // A continued line is joined to the one before; a space in a name is let through.
    expect(head('HTTP/1.1 200 OK\r\nA b: c\r\nX-Y: 1\r\n\t2\x01\r\n\r\n')).toBe(
      `${broken} MIME header line: "X-Y: 1 2\\x01"`,
    );
    expect(head('HTTP/1.1 200 OK\r\n: v\r\n\r\n')).toBe(`${broken} MIME header line: ": v"`);
    expect(head('HTTP/1.1 200 OK\r\nA: b\r\n\r\nbody without colon\n')).toBeUndefined();
  });
  test('a readable head, or no whole line, is left to the caller', () => {
    expect(head('garbage')).toBeUndefined();
  });
});

test('notTlsError: a plain HTTP answer is a scheme mismatch', () => {
  expect(notTlsError(Buffer.from('HTTP/1.1 400 Bad Request'))).toBe(
    'http: server gave HTTP response to HTTPS client',
  );
  expect(notTlsError(Buffer.from('SSH-2.0'))).toBe(
    'tls: first record does not look like a TLS handshake',
  );
});

describe('certificateError', async () => {
  const ca = await createCertificateAuthority({ commonName: 'unit-ca' });
  const cert = async (hosts: string[], commonName = 'leaf') =>
    new X509Certificate((await ca.issue({ commonName, usage: 'server', hosts })).cert);
  const refused = (why: string) => `tls: failed to verify certificate: x509: ${why}`;

  test('the host name is checked before the chain, against DNS names only', async () => {
    const c = await cert(['a.example.com', 'b.example.com', '127.0.0.1']);
    expect(certificateError(c, 's.ns.svc', 'UNABLE_TO_VERIFY_LEAF_SIGNATURE')).toBe(
      refused('certificate is valid for a.example.com, b.example.com, not s.ns.svc'),
    );
    expect(certificateError(c, 'a.example.com', 'UNABLE_TO_VERIFY_LEAF_SIGNATURE')).toBe(
      refused('certificate signed by unknown authority'),
    );
    expect(certificateError(c, 'b.example.com', 'INVALID_PURPOSE')).toBe(
      refused('certificate specifies an incompatible key usage'),
    );
    expect(certificateError(c, 'b.example.com', undefined)).toBeUndefined();
  });

  test('a certificate with no DNS names', async () => {
    const c = await cert(['127.0.0.1']);
    expect(certificateError(c, 's.ns.svc', undefined)).toBe(
      refused('certificate is not valid for any names, but wanted to match s.ns.svc'),
    );
  });
});

test('validityError: a certificate past its end, in Go words', async () => {
  const ca = await createCertificateAuthority({ commonName: 'unit-validity' });
  const c = new X509Certificate(ca.cert);
  const after = Date.parse(c.validTo) + 1000;
  expect(validityError(c, after)).toMatch(
    /^x509: certificate has expired or is not yet valid: current time \S+ is after \d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/,
  );
  expect(validityError(c, Date.parse(c.validFrom) - 1000)).toMatch(/ is before /);
  expect(validityError(c, Date.now())).toBeUndefined();
});

test('unknownAuthorityHint: the first trusted certificate of the issuer name that fails', async () => {
  const trusted = await createCertificateAuthority({ commonName: 'unit-same' });
  const signer = await createCertificateAuthority({ commonName: 'unit-same' });
  const leaf = new X509Certificate(
    (await signer.issue({ commonName: 'leaf', usage: 'server', hosts: ['a.example'] })).cert,
  );
  const roots = bundleCertificates(`${trusted.cert}\n${signer.cert}`);
  expect(roots).toHaveLength(2);
  expect(unknownAuthorityHint(leaf, roots, Date.now())).toBe(
    ' (possibly because of "x509: ECDSA verification failure" while trying to verify candidate authority certificate "unit-same")',
  );
  expect(unknownAuthorityHint(leaf, roots.slice(1), Date.now())).toBeUndefined();
});
