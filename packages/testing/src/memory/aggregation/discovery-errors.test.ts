import { X509Certificate } from 'node:crypto';
import { createCertificateAuthority } from '@kube-ts/core/certificates';
import { describe, expect, test } from 'vitest';
import { certificateError, notTlsError, statusLineError } from './discovery-errors.js';

describe('statusLineError', () => {
  const broken = 'net/http: HTTP/1.x transport connection broken: malformed HTTP';
  test('names the first part of the status line net/http cannot read', () => {
    expect(statusLineError(Buffer.from('garbage\r\n\r\n'))).toBe(`${broken} response "garbage"`);
    expect(statusLineError(Buffer.from('HTTP/1.1 2000 OK\r\n'))).toBe(
      `${broken} status code "2000"`,
    );
    expect(statusLineError(Buffer.from('HTTP/1.1 -12 OK\r\n'))).toBe(`${broken} status code "-12"`);
    expect(statusLineError(Buffer.from('HTTP/2 200 OK\n'))).toBe(`${broken} version "HTTP/2"`);
  });
  test('a readable status line, or no whole line, is left to the caller', () => {
    expect(statusLineError(Buffer.from('HTTP/1.1   200 OK\r\nbad header\r\n'))).toBeUndefined();
    expect(statusLineError(Buffer.from('garbage'))).toBeUndefined();
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
