/**
 * The hint crypto/x509 adds to `certificate signed by unknown authority` when a trusted
 * certificate bears the name of the server certificate's issuer but cannot be its parent
 * (own code, for Go's words): the first such candidate's fault, checked as Go's
 * `buildChains` checks a candidate (a CA, its signature on the certificate, its validity).
 */
import { X509Certificate } from 'node:crypto';
import { signatureError } from '../builtins/certificate-pem-checks.js';
import { DerReader, readBitString, readOid, SEQUENCE } from '../builtins/der-reader.js';
import { pemBlocks } from '../builtins/pem-blocks.js';
import { validityError } from './discovery-errors.js';

/** The certificates of a PEM bundle that read (Go's `AppendCertsFromPEM` skips the rest). */
export function bundleCertificates(pem: string): X509Certificate[] {
  return pemBlocks(pem).flatMap((block) => {
    if (block.type !== 'CERTIFICATE') return [];
    try {
      return [new X509Certificate(block.bytes)];
    } catch {
      return [];
    }
  });
}

/** `CheckSignatureFrom`'s error for `parent` over `cert`, in Go's words, or undefined. */
function checkSignatureFrom(cert: X509Certificate, parent: X509Certificate): string | undefined {
  if (!parent.ca) {
    return 'x509: invalid signature: parent certificate cannot sign this kind of certificate';
  }
  const outer = new DerReader(cert.raw, 0, cert.raw.length).read(SEQUENCE)?.content;
  const tbs = outer?.read(SEQUENCE);
  const signatureAlgorithm = outer?.read(SEQUENCE)?.content;
  const signature = outer && readBitString(outer);
  const publicKeyInfo = parent.publicKey.export({ type: 'spki', format: 'der' });
  const keyAI = new DerReader(publicKeyInfo, 0, publicKeyInfo.length)
    .read(SEQUENCE)
    ?.content.read(SEQUENCE)?.content;
  if (!tbs || !signatureAlgorithm || !signature || !keyAI) return undefined;
  return signatureError({
    tbs: cert.raw.subarray(tbs.start, tbs.end),
    publicKeyInfo,
    keyAlgorithm: readOid(keyAI) ?? '',
    signatureAlgorithm,
    signature,
  });
}

/** The name Go gives a candidate: its common name, else its first organization, else its serial. */
function candidateName(cert: X509Certificate): string {
  const attributes = cert.subject.split('\n');
  const value = (key: string) =>
    attributes.find((a) => a.startsWith(`${key}=`))?.slice(key.length + 1);
  return value('CN') || value('O') || `serial:${BigInt(`0x${cert.serialNumber}`).toString()}`;
}

/**
 * The ` (possibly because of "…" while trying to verify candidate authority certificate
 * "…")` hint for `cert` and the trusted `roots`, or undefined when no root of its
 * issuer's name fails (candidates are taken in the bundle's order).
 */
export function unknownAuthorityHint(
  cert: X509Certificate,
  roots: readonly X509Certificate[],
  now: number,
): string | undefined {
  for (const root of roots) {
    if (root.subject !== cert.issuer) continue;
    const why = checkSignatureFrom(cert, root) ?? validityError(root, now);
    if (why) {
      return ` (possibly because of ${JSON.stringify(why)} while trying to verify candidate authority certificate ${JSON.stringify(candidateName(root))})`;
    }
  }
  return undefined;
}
