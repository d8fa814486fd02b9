/**
 * The two PEM checks of kube-apiserver's CertificateSigningRequest validation (own code, for
 * its error texts): `spec.request` must hold a CERTIFICATE REQUEST whose signature verifies
 * with the public key it carries (Go's x509 `ParseCertificateRequest` and `CheckSignature`),
 * and a `status.certificate` must be CERTIFICATE blocks only, without headers, each holding
 * certificates (certificate-der.ts). Signatures are checked with `node:crypto`.
 */
import { createPublicKey, type KeyObject, constants as rsa, verify } from 'node:crypto';
import { parseCertificates } from './certificate-der.js';
import { parseCertificateRequest, type RequestParts } from './certificate-request-der.js';
import { type DerReader, readInteger, readOid, SEQUENCE } from './der-reader.js';
import { pemBlocks } from './pem-blocks.js';
import { rsaKeyError } from './public-key-der.js';

/** A signature algorithm: its digest (none for Ed25519) and the key type it needs. */
interface SignatureAlgorithm {
  readonly hash: string | null;
  readonly key: 'RSA' | 'ECDSA' | 'Ed25519';
  readonly pss?: boolean;
}

const RSA_PKCS1 = '1.2.840.113549.1.1.';
const ECDSA_SHA2 = '1.2.840.10045.4.3.';
const ED25519 = '1.3.101.112';
const SIGNATURE_ALGORITHMS: Record<string, SignatureAlgorithm> = {
  [`${RSA_PKCS1}5`]: { hash: 'sha1', key: 'RSA' },
  [`${RSA_PKCS1}11`]: { hash: 'sha256', key: 'RSA' },
  [`${RSA_PKCS1}12`]: { hash: 'sha384', key: 'RSA' },
  [`${RSA_PKCS1}13`]: { hash: 'sha512', key: 'RSA' },
  '1.2.840.10045.4.1': { hash: 'sha1', key: 'ECDSA' },
  [`${ECDSA_SHA2}2`]: { hash: 'sha256', key: 'ECDSA' },
  [`${ECDSA_SHA2}3`]: { hash: 'sha384', key: 'ECDSA' },
  [`${ECDSA_SHA2}4`]: { hash: 'sha512', key: 'ECDSA' },
  [ED25519]: { hash: null, key: 'Ed25519' },
};
const RSA_PSS = `${RSA_PKCS1}10`;
const PSS_HASHES: Record<string, { name: string; saltLength: number }> = {
  '2.16.840.1.101.3.4.2.1': { name: 'sha256', saltLength: 32 },
  '2.16.840.1.101.3.4.2.2': { name: 'sha384', saltLength: 48 },
  '2.16.840.1.101.3.4.2.3': { name: 'sha512', saltLength: 64 },
};
const MGF1 = '1.2.840.113549.1.1.8';
const NULL = Buffer.from([5, 0]);
const KEY_ALGORITHMS: Record<string, SignatureAlgorithm['key']> = {
  [`${RSA_PKCS1}1`]: 'RSA',
  '1.2.840.10045.2.1': 'ECDSA',
  [ED25519]: 'Ed25519',
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

/** Whether an AlgorithmIdentifier has no parameters or NULL ones, which Go takes as none. */
function noParameters(ai: DerReader): boolean {
  const params = ai.read();
  return !params || ai.der.subarray(params.start, params.end).equals(NULL);
}

/** A small INTEGER inside an explicit tag, or `undefined`. */
function explicitInt(params: DerReader, tag: number): number | undefined {
  const inner = params.read(tag)?.content;
  const bytes = inner && readInteger(inner);
  return bytes && bytes.length <= 4 && !((bytes[0] ?? 0) & 0x80)
    ? bytes.readUIntBE(0, bytes.length)
    : undefined;
}

/**
 * An RSA-PSS algorithm as Go accepts one (`getSignatureAlgorithmFromAI`): a SHA-2 hash,
 * MGF1 with the same hash, a salt as long as the hash and the trailer field 1.
 */
function pssAlgorithm(ai: DerReader): SignatureAlgorithm | undefined {
  const params = ai.read(SEQUENCE)?.content;
  const hashAI = params?.read(0xa0)?.content.read(SEQUENCE)?.content;
  const mgfAI = params?.read(0xa1)?.content.read(SEQUENCE)?.content;
  if (!params || !hashAI || !mgfAI) return undefined;
  const salt = explicitInt(params, 0xa2);
  const trailer = params.peek(0xa3) ? explicitInt(params, 0xa3) : 1;
  const hashOid = readOid(hashAI) ?? '';
  const mgfHash = readOid(mgfAI) === MGF1 ? mgfAI.read(SEQUENCE)?.content : undefined;
  const hash = PSS_HASHES[hashOid];
  if (!hash || !mgfHash || readOid(mgfHash) !== hashOid || trailer !== 1) return undefined;
  if (!noParameters(hashAI) || !noParameters(mgfHash) || salt !== hash.saltLength) return undefined;
  return { hash: hash.name, key: 'RSA', pss: true };
}

/** The signature algorithm an AlgorithmIdentifier's content names, as Go reads it. */
function signatureAlgorithm(ai: DerReader): SignatureAlgorithm | undefined {
  const oid = readOid(ai) ?? '';
  if (oid === RSA_PSS) return pssAlgorithm(ai);
  if (oid === ED25519 && !ai.empty) return undefined;
  return SIGNATURE_ALGORITHMS[oid];
}

function publicKey(spki: Buffer): KeyObject | undefined {
  try {
    return createPublicKey({ key: spki, format: 'der', type: 'spki' });
  } catch {
    return undefined;
  }
}

/** Whether a signature verifies (a malformed one does not). */
function verifies(req: RequestParts, algorithm: SignatureAlgorithm, key: KeyObject): boolean {
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
  const req = parseCertificateRequest(block.bytes);
  if ('error' in req) return req.error;
  return signatureError(req);
}

/**
 * Go's `checkSignature` of signed bytes with a public key (a request's own, or a
 * candidate issuer's): its error in Go's words, or undefined when the signature verifies.
 */
export function signatureError(req: RequestParts): string | undefined {
  const algorithm = signatureAlgorithm(req.signatureAlgorithm);
  const keyAlgorithm = KEY_ALGORITHMS[req.keyAlgorithm];
  if (!algorithm || !keyAlgorithm) return UNIMPLEMENTED;
  if (algorithm.key !== keyAlgorithm) {
    return `x509: signature algorithm specifies an ${algorithm.key} public key, but have public key of type ${GO_KEY_TYPES[keyAlgorithm]}`;
  }
  const rsaError = algorithm.key === 'RSA' ? rsaKeyError(req.publicKeyInfo) : undefined;
  if (rsaError) return rsaError;
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
