import { generateKeyPairSync, sign } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { certificateRequestError, issuedCertificateError } from './certificate-pem-checks.js';
import { pemBlocks } from './pem-blocks.js';

/** A DER element of `tag` around `content` (lengths below 64 KiB). */
function der(tag: number, ...content: Buffer[]): Buffer {
  const body = Buffer.concat(content);
  const n = body.length;
  const length = n < 128 ? [n] : n < 256 ? [0x81, n] : [0x82, n >> 8, n & 0xff];
  return Buffer.concat([Buffer.from([tag, ...length]), body]);
}

const EC_SHA256 = Buffer.from('300a06082a8648ce3d040302', 'hex');
const ED25519 = Buffer.from('300506032b6570', 'hex');
const RSA_SHA256 = Buffer.from('300d06092a864886f70d01010b0500', 'hex');

/** A CertificationRequest for a new key of `type`, signed with its private key. */
function request(type: 'ec' | 'ed25519' | 'rsa'): Buffer {
  const keys =
    type === 'ec'
      ? generateKeyPairSync('ec', { namedCurve: 'P-256' })
      : type === 'rsa'
        ? generateKeyPairSync('rsa', { modulusLength: 1024 })
        : generateKeyPairSync('ed25519');
  const spki = keys.publicKey.export({ type: 'spki', format: 'der' });
  const version = der(0x02, Buffer.from([0]));
  const tbs = der(0x30, version, der(0x30), spki, der(0xa0));
  const algorithm = type === 'ec' ? EC_SHA256 : type === 'rsa' ? RSA_SHA256 : ED25519;
  const signature = sign(type === 'ed25519' ? null : 'sha256', tbs, keys.privateKey);
  return der(0x30, tbs, algorithm, der(0x03, Buffer.from([0]), signature));
}

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
    for (const type of ['ec', 'ed25519', 'rsa'] as const)
      expect(certificateRequestError(pem('CERTIFICATE REQUEST', request(type)))).toBeUndefined();
  });

  it('refuses other PEM types, bad DER and a signature that does not verify', () => {
    expect(certificateRequestError('nope')).toBe('PEM block type must be CERTIFICATE REQUEST');
    const ec = request('ec');
    expect(certificateRequestError(pem('CERTIFICATE', ec))).toBe(
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
    for (const [type, why] of [
      ['ec', 'x509: ECDSA verification failure'],
      ['ed25519', 'x509: Ed25519 verification failure'],
      ['rsa', 'crypto/rsa: verification error'],
    ] as const) {
      const flipped = request(type);
      flipped[flipped.length - 1] = (flipped[flipped.length - 1] ?? 0) ^ 1;
      expect(certificateRequestError(pem('CERTIFICATE REQUEST', flipped))).toBe(why);
    }
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
