import { createCertificateAuthority } from '@kube-ts/core/certificates';

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

/**
 * Generates a self-signed CA and a serving certificate for `hosts`, signed by it (ECDSA
 * P-256, SHA-256), with `@kube-ts/core/certificates` — no openssl at run time. The CA key
 * is not kept: a new pair is generated each time.
 *
 * @throws TypeError when `hosts` is empty or `validityDays` is not positive.
 */
export async function generateCertificates(
  options: GenerateCertificatesOptions = {},
): Promise<ServingCertificates> {
  const hosts = [...(options.hosts ?? ['localhost', '127.0.0.1'])];
  const validityDays = options.validityDays ?? 365;
  if (hosts.length === 0) throw new TypeError('generateCertificates: hosts must not be empty');
  if (!(validityDays > 0)) {
    throw new TypeError('generateCertificates: validityDays must be positive');
  }
  const ca = await createCertificateAuthority({ commonName: 'kube-ts webhook CA', validityDays });
  const serving = await ca.issue({
    commonName: hosts[0] ?? 'localhost',
    usage: 'server',
    hosts,
    validityDays,
  });
  return { caCert: ca.cert, cert: serving.cert, key: serving.key, notAfter: serving.notAfter };
}

/** The `caBundle` value for a webhook client config: base64 of the PEM. */
export function caBundleOf(caPem: string): string {
  return Buffer.from(caPem, 'utf8').toString('base64');
}
