/**
 * What crypto/x509's `parsePublicKey` says of a subject public key it cannot read (own
 * code, for its words): an RSA key without NULL parameters or whose modulus or exponent
 * does not read or is not positive, an ECDSA key on no named curve it supports or whose
 * point is not an uncompressed point on the curve, an Ed25519 key with parameters or of
 * the wrong size. Shared by certificates and certificate requests, as there.
 */
import { createPublicKey } from 'node:crypto';
import { DerReader, readBitString, readInteger, readOid, SEQUENCE } from './der-reader.js';

const RSA = '1.2.840.113549.1.1.1';
const ECDSA = '1.2.840.10045.2.1';
const ED25519 = '1.3.101.112';
/** The named curves crypto/x509 supports: Go's name, the field prime, the JWK name. */
const CURVES: Record<string, { name: string; p: bigint; jwk?: string }> = {
  '1.3.132.0.33': { name: 'P224', p: 2n ** 224n - 2n ** 96n + 1n },
  '1.2.840.10045.3.1.7': {
    name: 'P256',
    p: 2n ** 256n - 2n ** 224n + 2n ** 192n + 2n ** 96n - 1n,
    jwk: 'P-256',
  },
  '1.3.132.0.34': {
    name: 'P384',
    p: 2n ** 384n - 2n ** 128n - 2n ** 96n + 2n ** 32n - 1n,
    jwk: 'P-384',
  },
  '1.3.132.0.35': { name: 'P521', p: 2n ** 521n - 1n, jwk: 'P-521' },
};

const big = (bytes: Buffer): bigint => (bytes.length ? BigInt(`0x${bytes.toString('hex')}`) : 0n);

/** An RSA key's PKCS #1 body. */
function rsaError(params: Buffer, data: Buffer): string | undefined {
  if (!params.equals(Buffer.from([5, 0]))) return 'x509: RSA key missing NULL parameters';
  const key = new DerReader(data, 0, data.length).read(SEQUENCE)?.content;
  if (!key) return 'x509: invalid RSA public key';
  const n = readInteger(key);
  if (!n) return 'x509: invalid RSA modulus';
  const e = readInteger(key);
  if (!e || e.length > 8) return 'x509: invalid RSA public exponent';
  if ((n[0] ?? 0) & 0x80 || big(n) === 0n) return 'x509: RSA modulus is not a positive number';
  if ((e[0] ?? 0) & 0x80 || big(e) === 0n) {
    return 'x509: RSA public exponent is not a positive number';
  }
  return undefined;
}

/**
 * An ECDSA key: its named curve and uncompressed point (judged on the curve by
 * node:crypto, from its coordinates, so nothing else of the SPKI matters, as in Go).
 */
function ecdsaError(spki: Buffer, params: Buffer, data: Buffer): string | undefined {
  const oid = readOid(new DerReader(params, 0, params.length));
  if (!oid) return 'x509: invalid ECDSA parameters';
  const curve = CURVES[oid];
  if (!curve) return 'x509: unsupported elliptic curve';
  if (data[0] !== 4) return 'ecdsa: invalid uncompressed public key';
  const size = Math.ceil(curve.p.toString(2).length / 8);
  if (data.length !== 1 + 2 * size) return `invalid ${curve.name} point encoding`;
  const x = big(data.subarray(1, 1 + size));
  const y = big(data.subarray(1 + size));
  if (x >= curve.p || y >= curve.p) return `invalid ${curve.name} element encoding`;
  const coordinate = (n: bigint) => Buffer.from(n.toString(16).padStart(size * 2, '0'), 'hex');
  try {
    createPublicKey(
      curve.jwk
        ? {
            key: {
              kty: 'EC',
              crv: curve.jwk,
              x: coordinate(x).toString('base64url'),
              y: coordinate(y).toString('base64url'),
            },
            format: 'jwk',
          }
        : { key: spki, format: 'der', type: 'spki' },
    );
  } catch {
    return `${curve.name} point not on curve`;
  }
  return undefined;
}

/**
 * Why `parsePublicKey` refuses the SubjectPublicKeyInfo `spki` (its DER element), or
 * `undefined` when it reads it or does not know its algorithm (Go leaves such a key
 * unparsed). The structure around it is the caller's to check.
 */
export function publicKeyError(spki: Buffer): string | undefined {
  const info = new DerReader(spki, 0, spki.length).read(SEQUENCE)?.content;
  const ai = info?.read(SEQUENCE)?.content;
  const oid = ai && readOid(ai);
  const data = info && readBitString(info);
  if (!ai || !oid || !data) return undefined;
  const params = ai.rest();
  switch (oid) {
    case RSA:
      return rsaError(params, data);
    case ECDSA:
      return ecdsaError(spki, params, data);
    case ED25519:
      if (params.length !== 0) return 'x509: Ed25519 key encoded with illegal parameters';
      return data.length === 32 ? undefined : 'x509: wrong Ed25519 public key size';
    default:
      return undefined;
  }
}

/**
 * What crypto/rsa's verification says of an RSA public key (the SPKI element, already
 * read by {@link publicKeyError}) before it checks a signature: a modulus under 1024
 * bits, an even modulus, an exponent below 2, even, or above 2^31-1.
 */
export function rsaKeyError(spki: Buffer): string | undefined {
  const info = new DerReader(spki, 0, spki.length).read(SEQUENCE)?.content;
  info?.read(SEQUENCE);
  const data = info && readBitString(info);
  const key = data && new DerReader(data, 0, data.length).read(SEQUENCE)?.content;
  const n = key && readInteger(key);
  const e = key && readInteger(key);
  if (!n || !e) return undefined;
  const modulus = big(n);
  const exponent = big(e);
  const bits = modulus.toString(2).length;
  if (bits < 1024) {
    return `crypto/rsa: ${bits}-bit keys are insecure (see https://go.dev/pkg/crypto/rsa#hdr-Minimum_key_size)`;
  }
  if (modulus % 2n === 0n) return 'crypto/rsa: public modulus is even';
  if (exponent < 2n) return 'crypto/rsa: public exponent too small or negative';
  if (exponent % 2n === 0n) return 'crypto/rsa: public exponent is even';
  if (exponent > 2n ** 31n - 1n) return 'crypto/rsa: public exponent too large';
  return undefined;
}
