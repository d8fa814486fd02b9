/**
 * Throw-away X.509 certificates for TLS with Kubernetes: a certificate authority and the
 * serving or client certificates it issues (ECDSA P-256 keys, SHA-256 signatures), made
 * with `@peculiar/x509` over Node's WebCrypto (no openssl). A subpath of its own
 * (`@kube-ts/core/certificates`), so that importing `@kube-ts/core` does not load them.
 */
import { randomBytes, webcrypto } from 'node:crypto';
import { isIP } from 'node:net';
import * as x509 from '@peculiar/x509';

/** Options of {@link createCertificateAuthority}. */
export interface CertificateAuthorityOptions {
  /** The CA certificate's common name. */
  readonly commonName: string;
  /** Validity in days from now (default 365). */
  readonly validityDays?: number;
}

/** What a certificate is for: serving TLS, or authenticating a client to a server. */
export type CertificateUsage = 'server' | 'client';

/** Options of {@link CertificateAuthority.issue}. */
export interface IssueOptions {
  /** The common name: the user name when a client certificate authenticates to kube-apiserver. */
  readonly commonName: string;
  /** Organisations (one `O` each): the groups kube-apiserver reads from a client certificate. */
  readonly organizations?: readonly string[];
  /** `server` (extended key usage serverAuth) or `client` (clientAuth). */
  readonly usage: CertificateUsage;
  /** DNS names and IP addresses a serving certificate is valid for (its subject alternative names). */
  readonly hosts?: readonly string[];
  /** Validity in days from now (default 365). */
  readonly validityDays?: number;
}

/** A certificate and its private key, in PEM. */
export interface IssuedCertificate {
  /** The certificate. */
  readonly cert: string;
  /** Its private key (PKCS #8). Never log it. */
  readonly key: string;
  /** When the certificate expires. */
  readonly notAfter: Date;
}

/** A certificate authority that can issue certificates; its key lives only in this object. */
export interface CertificateAuthority extends IssuedCertificate {
  /** Issues a certificate signed by this CA, with a new key pair. */
  issue(options: IssueOptions): Promise<IssuedCertificate>;
}

const ALGORITHM = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' } as const;
const DAY_MS = 86_400_000;

/** A random positive 128-bit serial number, as hex. */
function serialNumber(): string {
  const bytes = randomBytes(16);
  bytes[0] = (bytes[0] ?? 0) & 0x7f;
  return bytes.toString('hex');
}

/** The distinguished name: one O per organisation, then the CN (as kube-apiserver reads them). */
function distinguishedName(
  commonName: string,
  organizations: readonly string[] = [],
): x509.JsonName {
  return [...organizations.map((o) => ({ O: [o] })), { CN: [commonName] }];
}

/** From a minute ago (tolerating clock skew) for `validityDays` days. */
function validity(validityDays = 365): { notBefore: Date; notAfter: Date } {
  if (!(validityDays > 0)) throw new TypeError('certificates: validityDays must be positive');
  const now = Date.now();
  return { notBefore: new Date(now - 60_000), notAfter: new Date(now + validityDays * DAY_MS) };
}

async function keyPair(): Promise<webcrypto.CryptoKeyPair> {
  return webcrypto.subtle.generateKey(ALGORITHM, true, ['sign', 'verify']);
}

async function privateKeyPem(keys: webcrypto.CryptoKeyPair): Promise<string> {
  const pkcs8 = await webcrypto.subtle.exportKey('pkcs8', keys.privateKey);
  return x509.PemConverter.encode(pkcs8, 'PRIVATE KEY');
}

/**
 * A new self-signed certificate authority (a fresh key pair each call) that issues leaf
 * certificates only (path length 0).
 */
export async function createCertificateAuthority(
  options: CertificateAuthorityOptions,
): Promise<CertificateAuthority> {
  const { notBefore, notAfter } = validity(options.validityDays);
  const keys = await keyPair();
  const ca = await x509.X509CertificateGenerator.createSelfSigned(
    {
      serialNumber: serialNumber(),
      name: distinguishedName(options.commonName),
      notBefore,
      notAfter,
      signingAlgorithm: ALGORITHM,
      keys,
      extensions: [
        new x509.BasicConstraintsExtension(true, 0, true),
        new x509.KeyUsagesExtension(
          x509.KeyUsageFlags.keyCertSign |
            x509.KeyUsageFlags.cRLSign |
            x509.KeyUsageFlags.digitalSignature,
          true,
        ),
        await x509.SubjectKeyIdentifierExtension.create(keys.publicKey, false, webcrypto),
      ],
    },
    webcrypto,
  );
  return {
    cert: ca.toString('pem'),
    key: await privateKeyPem(keys),
    notAfter,
    issue: (issue) => issueCertificate(ca, keys, issue),
  };
}

async function issueCertificate(
  ca: x509.X509Certificate,
  caKeys: webcrypto.CryptoKeyPair,
  options: IssueOptions,
): Promise<IssuedCertificate> {
  const { notBefore, notAfter } = validity(options.validityDays);
  const keys = await keyPair();
  const extensions: x509.Extension[] = [
    new x509.BasicConstraintsExtension(false, undefined, true),
    new x509.KeyUsagesExtension(
      x509.KeyUsageFlags.digitalSignature | x509.KeyUsageFlags.keyEncipherment,
      true,
    ),
    new x509.ExtendedKeyUsageExtension([
      options.usage === 'server'
        ? x509.ExtendedKeyUsage.serverAuth
        : x509.ExtendedKeyUsage.clientAuth,
    ]),
    await x509.AuthorityKeyIdentifierExtension.create(ca, false, webcrypto),
  ];
  const hosts = options.hosts ?? [];
  if (hosts.length > 0) {
    extensions.push(
      new x509.SubjectAlternativeNameExtension(
        hosts.map((h) => (isIP(h) ? { type: 'ip', value: h } : { type: 'dns', value: h })),
      ),
    );
  }
  const cert = await x509.X509CertificateGenerator.create(
    {
      serialNumber: serialNumber(),
      subject: distinguishedName(options.commonName, options.organizations),
      issuer: ca.subjectName,
      notBefore,
      notAfter,
      publicKey: keys.publicKey,
      signingKey: caKeys.privateKey,
      signingAlgorithm: ALGORITHM,
      extensions,
    },
    webcrypto,
  );
  return { cert: cert.toString('pem'), key: await privateKeyPem(keys), notAfter };
}
