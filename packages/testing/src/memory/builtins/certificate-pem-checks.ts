/**
 * The two PEM checks of kube-apiserver's CertificateSigningRequest validation (own code, for
 * its error texts): `spec.request` must hold a CERTIFICATE REQUEST whose signature verifies
 * with the public key it carries (Go's x509 `ParseCertificateRequest` and `CheckSignature`),
 * and a `status.certificate` must be CERTIFICATE blocks only, without headers, each holding
 * certificates (certificate-der.ts). Signatures are checked with `node:crypto`.
 */
import { createPublicKey, type KeyObject, constants as rsa, verify } from 'node:crypto';
import { parseCertificates } from './certificate-der.js';
import { DerReader, readOid, SEQUENCE } from './der-reader.js';
import {
  Asn1Error,
  childrenOf,
  type DerElement,
  oidOf,
  pemBlocks,
  readElement,
  readSequence,
} from './pem-blocks.js';
import { publicKeyError } from './public-key-der.js';

/** A signature algorithm: its digest (none for Ed25519) and the key type it needs. */
interface SignatureAlgorithm {
  readonly hash: string | null;
  readonly key: 'RSA' | 'ECDSA' | 'Ed25519';
  readonly pss?: boolean;
}

const RSA_PKCS1 = '1.2.840.113549.1.1.';
const ECDSA_SHA2 = '1.2.840.10045.4.3.';
const SIGNATURE_ALGORITHMS: Record<string, SignatureAlgorithm> = {
  [`${RSA_PKCS1}5`]: { hash: 'sha1', key: 'RSA' },
  [`${RSA_PKCS1}11`]: { hash: 'sha256', key: 'RSA' },
  [`${RSA_PKCS1}12`]: { hash: 'sha384', key: 'RSA' },
  [`${RSA_PKCS1}13`]: { hash: 'sha512', key: 'RSA' },
  '1.2.840.10045.4.1': { hash: 'sha1', key: 'ECDSA' },
  [`${ECDSA_SHA2}2`]: { hash: 'sha256', key: 'ECDSA' },
  [`${ECDSA_SHA2}3`]: { hash: 'sha384', key: 'ECDSA' },
  [`${ECDSA_SHA2}4`]: { hash: 'sha512', key: 'ECDSA' },
  '1.3.101.112': { hash: null, key: 'Ed25519' },
};
const RSA_PSS = `${RSA_PKCS1}10`;
const PSS_HASHES: Record<string, string> = {
  '2.16.840.1.101.3.4.2.1': 'sha256',
  '2.16.840.1.101.3.4.2.2': 'sha384',
  '2.16.840.1.101.3.4.2.3': 'sha512',
};
const KEY_ALGORITHMS: Record<string, SignatureAlgorithm['key']> = {
  [`${RSA_PKCS1}1`]: 'RSA',
  '1.2.840.10045.2.1': 'ECDSA',
  '1.3.101.112': 'Ed25519',
};
const GO_KEY_TYPES: Record<SignatureAlgorithm['key'], string> = {
  RSA: '*rsa.PublicKey',
  ECDSA: '*ecdsa.PublicKey',
  Ed25519: 'ed25519.PublicKey',
};
const UNIMPLEMENTED = 'x509: cannot verify signature: algorithm unimplemented';
const FAILURES: Record<SignatureAlgorithm['key'], string> = {
  RSA: 'crypto/rsa: verification error',
  ECDSA: 'x509: ECDSA verification failure',
  Ed25519: 'x509: Ed25519 verification failure',
};

/** The OID of an AlgorithmIdentifier SEQUENCE. */
function algorithmOid(der: Buffer, seq: DerElement): string {
  const [oid] = childrenOf(der, seq);
  return oid && oid.tag === 6 ? oidOf(der, oid) : '';
}

/**
 * The signature algorithm an AlgorithmIdentifier names (an RSA-PSS one by the hash in its
 * parameters' `[0]` hash algorithm).
 */
function signatureAlgorithm(der: Buffer, seq: DerElement): SignatureAlgorithm | undefined {
  const oid = algorithmOid(der, seq);
  if (oid !== RSA_PSS) return SIGNATURE_ALGORITHMS[oid];
  const ai = new DerReader(der, seq.contentStart, seq.end);
  readOid(ai);
  const hashAI = ai.read(SEQUENCE)?.content.read(0xa0)?.content.read(SEQUENCE)?.content;
  const hash = PSS_HASHES[(hashAI && readOid(hashAI)) ?? ''];
  return hash ? { hash, key: 'RSA', pss: true } : undefined;
}

/** The parts of a CertificationRequest that its signature check needs. */
interface ParsedRequest {
  readonly tbs: Buffer;
  readonly publicKeyInfo: Buffer;
  readonly keyAlgorithm: SignatureAlgorithm['key'] | undefined;
  readonly algorithm: SignatureAlgorithm | undefined;
  readonly signature: Buffer;
}

/** Reads a DER CertificationRequest as Go's asn1 does; throws Asn1Error. */
function parseRequest(der: Buffer): ParsedRequest {
  const outer = readSequence(der, 0, der.length, 'certificateRequest');
  if (outer.end !== der.length) throw new Asn1Error('asn1: syntax error: trailing data');
  const inner = outer.contentStart;
  const tbs = readSequence(der, inner, outer.end, 'tbsCertificateRequest', inner);
  const [, , spki] = childrenOf(der, tbs);
  const algorithm = readSequence(der, tbs.end, outer.end, 'AlgorithmIdentifier', inner);
  const signature = readElement(der, algorithm.end, outer.end);
  if (spki?.tag !== 16 || signature.tag !== 3)
    throw new Asn1Error('asn1: syntax error: data truncated');
  const [keyAlgorithm] = childrenOf(der, spki);
  return {
    tbs: der.subarray(tbs.start, tbs.end),
    publicKeyInfo: der.subarray(spki.start, spki.end),
    keyAlgorithm: keyAlgorithm ? KEY_ALGORITHMS[algorithmOid(der, keyAlgorithm)] : undefined,
    algorithm: signatureAlgorithm(der, algorithm),
    signature: der.subarray(signature.contentStart + 1, signature.end),
  };
}

function publicKey(spki: Buffer): KeyObject | undefined {
  try {
    return createPublicKey({ key: spki, format: 'der', type: 'spki' });
  } catch {
    return undefined;
  }
}

/** Whether a signature verifies (a malformed one does not). */
function verifies(req: ParsedRequest, algorithm: SignatureAlgorithm, key: KeyObject): boolean {
  try {
    const options = algorithm.pss
      ? { key, padding: rsa.RSA_PKCS1_PSS_PADDING, saltLength: rsa.RSA_PSS_SALTLEN_DIGEST }
      : key;
    return verify(algorithm.hash, req.tbs, options, req.signature);
  } catch {
    return false;
  }
}

/**
 * Why a `spec.request` (the PEM text) is refused, in kube-apiserver's words, or undefined
 * when it is a certificate request signed by its own key.
 */
export function certificateRequestError(pem: string): string | undefined {
  const block = pemBlocks(pem)[0];
  if (block?.type !== 'CERTIFICATE REQUEST') return 'PEM block type must be CERTIFICATE REQUEST';
  let req: ParsedRequest;
  try {
    req = parseRequest(block.bytes);
  } catch (err) {
    if (err instanceof Asn1Error) return err.message;
    throw err;
  }
  // ParseCertificateRequest reads a key of an algorithm it knows before the signature is checked.
  const keyError = publicKeyError(req.publicKeyInfo);
  if (keyError) return keyError;
  const { algorithm, keyAlgorithm } = req;
  if (!algorithm || !keyAlgorithm) return UNIMPLEMENTED;
  if (algorithm.key !== keyAlgorithm) {
    return `x509: signature algorithm specifies an ${algorithm.key} public key, but have public key of type ${GO_KEY_TYPES[keyAlgorithm]}`;
  }
  const key = publicKey(req.publicKeyInfo);
  if (!key) return UNIMPLEMENTED;
  return verifies(req, algorithm, key) ? undefined : FAILURES[algorithm.key];
}

/**
 * Why a `status.certificate` (the PEM text) is refused, in kube-apiserver's words, or
 * undefined when it is empty or CERTIFICATE blocks only.
 */
export function issuedCertificateError(pem: string): string | undefined {
  if (pem.length === 0) return undefined;
  const blocks = pemBlocks(pem);
  for (const block of blocks) {
    if (block.type !== 'CERTIFICATE')
      return `only CERTIFICATE PEM blocks are allowed, found ${JSON.stringify(block.type)}`;
    if (Object.keys(block.headers).length) return 'no PEM block headers are permitted';
    const parsed = parseCertificates(block.bytes);
    if ('error' in parsed) return parsed.error;
    if (parsed.count === 0) return 'found CERTIFICATE PEM block containing 0 certificates';
  }
  return blocks.length ? undefined : 'must contain at least one CERTIFICATE PEM block';
}
