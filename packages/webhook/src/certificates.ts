import { randomBytes, webcrypto } from 'node:crypto';
import { isIP } from 'node:net';
import * as x509 from '@peculiar/x509';

x509.cryptoProvider.set(webcrypto as unknown as Parameters<typeof x509.cryptoProvider.set>[0]);

/** A CA and a serving certificate signed by it, in PEM. */
export interface ServingCertificates {
  /** The CA certificate: what the API server trusts (`caBundle` is its base64). */
  readonly caCert: string;
  /** The serving certificate (the leaf only). */
  readonly cert: string;
  /** The serving certificate's private key (PKCS #8). Never log it. */
  readonly key: string;
  /** When the serving certificate expires. */
  readonly notAfter: Date;
}

/** Options of {@link generateCertificates}. */
export interface GenerateCertificatesOptions {
  /**
   * DNS names and IP addresses the serving certificate is valid for. Default:
   * `localhost` and `127.0.0.1`. For a Service add `NAME.NAMESPACE.svc`.
   */
  readonly hosts?: readonly string[];
  /** Validity in days (default 365). */
  readonly validityDays?: number;
}

const ALGORITHM = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' } as const;

function serialNumber(): string {
  const bytes = randomBytes(16);
  bytes[0] = (bytes[0] ?? 0) & 0x7f; // positive
  return bytes.toString('hex');
}

async function keyPair(): Promise<webcrypto.CryptoKeyPair> {
  return webcrypto.subtle.generateKey(ALGORITHM, true, ['sign', 'verify']);
}

/**
 * Generates a self-signed CA and a serving certificate for `hosts`, signed by it (ECDSA
 * P-256, SHA-256), with `@peculiar/x509` — no openssl at run time. The CA key is not
 * kept: a new pair is generated each time.
 *
 * @throws TypeError when `hosts` is empty or `validityDays` is not positive.
 */
export async function generateCertificates(
  options: GenerateCertificatesOptions = {},
): Promise<ServingCertificates> {
  const hosts = [...(options.hosts ?? ['localhost', '127.0.0.1'])];
  const days = options.validityDays ?? 365;
  if (hosts.length === 0) throw new TypeError('generateCertificates: hosts must not be empty');
  if (!(days > 0)) throw new TypeError('generateCertificates: validityDays must be positive');
  const notBefore = new Date(Date.now() - 60_000);
  const notAfter = new Date(Date.now() + days * 86_400_000);
  const caKeys = await keyPair();
  const ca = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: serialNumber(),
    name: 'CN=kube-ts webhook CA',
    notBefore,
    notAfter,
    signingAlgorithm: ALGORITHM,
    keys: caKeys,
    extensions: [
      new x509.BasicConstraintsExtension(true, 0, true),
      new x509.KeyUsagesExtension(
        x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign,
        true,
      ),
      await x509.SubjectKeyIdentifierExtension.create(caKeys.publicKey),
    ],
  });
  const leafKeys = await keyPair();
  const leaf = await x509.X509CertificateGenerator.create({
    serialNumber: serialNumber(),
    subject: `CN=${hosts[0]}`,
    issuer: ca.subject,
    notBefore,
    notAfter,
    signingAlgorithm: ALGORITHM,
    publicKey: leafKeys.publicKey,
    signingKey: caKeys.privateKey,
    extensions: [
      new x509.BasicConstraintsExtension(false, undefined, true),
      new x509.KeyUsagesExtension(
        x509.KeyUsageFlags.digitalSignature | x509.KeyUsageFlags.keyEncipherment,
        true,
      ),
      new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.serverAuth]),
      new x509.SubjectAlternativeNameExtension(
        hosts.map((h) => (isIP(h) ? { type: 'ip', value: h } : { type: 'dns', value: h })),
      ),
      await x509.AuthorityKeyIdentifierExtension.create(ca),
    ],
  });
  const pkcs8 = await webcrypto.subtle.exportKey('pkcs8', leafKeys.privateKey);
  return {
    caCert: ca.toString('pem'),
    cert: leaf.toString('pem'),
    key: x509.PemConverter.encode(pkcs8, 'PRIVATE KEY'),
    notAfter,
  };
}

/** The `caBundle` value for a webhook client config: base64 of the PEM. */
export function caBundleOf(caPem: string): string {
  return Buffer.from(caPem, 'utf8').toString('base64');
}
