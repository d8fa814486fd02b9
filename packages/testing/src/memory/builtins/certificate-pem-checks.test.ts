import { describe, expect, it } from 'vitest';
import { certificateRequestError, issuedCertificateError } from './certificate-pem-checks.js';
import { pemBlocks } from './pem-blocks.js';

/** An openssl-made request (EC P-256, CN=e2e-tables). */
const REQUEST = [
  '-----BEGIN CERTIFICATE REQUEST-----',
  'MIHPMHcCAQAwFTETMBEGA1UEAwwKZTJlLXRhYmxlczBZMBMGByqGSM49AgEGCCqG',
  'SM49AwEHA0IABFIxkULOVlw6uBjC6GN9mhqjQCW1Tf32kuDkr3wavdoHsC/+BUjw',
  'Q6h7qbQXNby6/s0wcT246BDRSnJVqZ6BgRKgADAKBggqhkjOPQQDAgNIADBFAiEA',
  '2L0PvOxElwLGpct/bm7BBdrtQIsJDbhM4VTTJ5RO0EoCIAfApCeWGq3Wjmvn5PRc',
  '866aGR+W9JbHe7FNh7GZ+zHF',
  '-----END CERTIFICATE REQUEST-----',
].join('\n');

const pem = (type: string, der: Buffer) =>
  `-----BEGIN ${type}-----\n${der.toString('base64')}\n-----END ${type}-----\n`;

describe('PEM blocks', () => {
  it('reads blocks in order with their headers, skipping one that does not decode', () => {
    const text = `junk\n${pem('A', Buffer.from('a'))}-----BEGIN B-----\n!!\n-----END B-----\n-----BEGIN C-----\nK: v\n\nYw==\n-----END C-----\n`;
    expect(pemBlocks(text).map((b) => [b.type, b.headers, b.bytes.toString()])).toEqual([
      ['A', {}, 'a'],
      ['C', { K: 'v' }, 'c'],
    ]);
  });
});

describe('certificate request checks', () => {
  it('accepts a request signed by its own key', () => {
    expect(certificateRequestError(REQUEST)).toBeUndefined();
  });

  it('refuses other PEM types, bad DER and a signature that does not verify', () => {
    expect(certificateRequestError('nope')).toBe('PEM block type must be CERTIFICATE REQUEST');
    const der = Buffer.from(REQUEST.split('\n').slice(1, -1).join(''), 'base64');
    expect(certificateRequestError(pem('CERTIFICATE', der))).toBe(
      'PEM block type must be CERTIFICATE REQUEST',
    );
    expect(certificateRequestError(pem('CERTIFICATE REQUEST', Buffer.alloc(0)))).toBe(
      'asn1: syntax error: sequence truncated',
    );
    expect(
      certificateRequestError(
        pem('CERTIFICATE REQUEST', Buffer.from([0x30, 0x03, 0x02, 0x01, 0x00])),
      ),
    ).toMatch(
      /^asn1: structure error: tags don't match \(16 vs \{class:0 tag:2 length:1 isCompound:false\}\) .* tbsCertificateRequest @2$/,
    );
    const flipped = Buffer.from(der);
    flipped[flipped.length - 1] = (flipped[flipped.length - 1] ?? 0) ^ 1;
    expect(certificateRequestError(pem('CERTIFICATE REQUEST', flipped))).toBe(
      'x509: ECDSA verification failure',
    );
  });
});

describe('issued certificate checks', () => {
  it('wants CERTIFICATE blocks without headers holding certificates', () => {
    expect(issuedCertificateError('')).toBeUndefined();
    expect(issuedCertificateError('text')).toBe('must contain at least one CERTIFICATE PEM block');
    expect(issuedCertificateError(pem('KEY', Buffer.from('k')))).toBe(
      'only CERTIFICATE PEM blocks are allowed, found "KEY"',
    );
    expect(issuedCertificateError(pem('CERTIFICATE', Buffer.from('k')))).toBe(
      'x509: malformed certificate',
    );
    expect(issuedCertificateError(pem('CERTIFICATE', Buffer.alloc(0)))).toBe(
      'found CERTIFICATE PEM block containing 0 certificates',
    );
  });
});
