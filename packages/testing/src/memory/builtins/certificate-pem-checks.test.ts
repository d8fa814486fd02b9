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

/** An RSA-PSS (SHA-256, salt as long as the hash, as Go verifies it) request, made with openssl. */
const PSS_REQUEST = [
  '-----BEGIN CERTIFICATE REQUEST-----',
  'MIIBgTCBtwIBADAOMQwwCgYDVQQDDANwc3MwgZ8wDQYJKoZIhvcNAQEBBQADgY0A',
  'MIGJAoGBAL4ItMqhxutriI5u7Hp4IB8Ig3sMd7knwQdCN2pp7MMz41sTv/QYtiFm',
  'dNoxMpujHjMxzKIf3TFBZ/qyN7r2ogXomBEndYOcL9aWVRWkMeBBcFQbFAFwDMuB',
  'ZQC9p+W8ULrDmpKEWF79q3T1xOf9ktQbcPcVidIE9r19jHZAtkbtAgMBAAGgADBB',
  'BgkqhkiG9w0BAQowNKAPMA0GCWCGSAFlAwQCAQUAoRwwGgYJKoZIhvcNAQEIMA0G',
  'CWCGSAFlAwQCAQUAogMCASADgYEACQhsCSiv91MGFW9PQ9DTf8E7jRNUB9FtPsru',
  'IFbRTVbGD00YOc0dMCmmzDebePK0vEnNZPUc5too+XK/Mf1timM9IWiNiVvcaGh2',
  'zRYyicch+g43O/qUubDcwwVUp271epFtN3CEN8PCQqQvr8Ge3hudSYuATXhz71Pj',
  '8g8Dzo4=',
  '-----END CERTIFICATE REQUEST-----',
].join('\n');

describe('certificate request checks', () => {
  it('an RSA-PSS request is verified with the hash its parameters name', () => {
    expect(certificateRequestError(PSS_REQUEST)).toBeUndefined();
    const der = pemBlocks(PSS_REQUEST)[0]?.bytes ?? Buffer.alloc(0);
    der[der.length - 1] = (der[der.length - 1] ?? 0) ^ 1;
    const body = der.toString('base64').match(/.{1,64}/g) ?? [];
    const tampered = [
      '-----BEGIN CERTIFICATE REQUEST-----',
      ...body,
      '-----END CERTIFICATE REQUEST-----',
    ];
    expect(certificateRequestError(tampered.join('\n'))).toBe('crypto/rsa: verification error');
  });

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
