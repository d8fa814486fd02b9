import { generateKeyPair } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { CertificateAuthority, IssuedCertificate } from '@kube-ts/core/certificates';

const generateKeyPairAsync = promisify(generateKeyPair);
/** Paths of the PEM files made by {@link generateCertificates}. */
export interface CertificateFiles {
  /** The CA certificate: trusted for serving and for client certificates. */
  readonly caCert: string;
  /** The CA key (kube-controller-manager signs CSRs with it). */
  readonly caKey: string;
  /** kube-apiserver's serving certificate, for `localhost` and `127.0.0.1`. */
  readonly servingCert: string;
  /** Key of the serving certificate. */
  readonly servingKey: string;
  /** The admin user's client certificate. */
  readonly adminCert: string;
  /** Key of the admin user's client certificate. */
  readonly adminKey: string;
  /** Private key that signs service-account tokens. */
  readonly serviceAccountKey: string;
  /** Public key that verifies service-account tokens. */
  readonly serviceAccountPublicKey: string;
}

/** Who the generated client certificate authenticates as. */
export interface AdminIdentity {
  /** The user name (certificate CN). */
  readonly user: string;
  /** The groups (certificate O values); `system:masters` bypasses RBAC. */
  readonly groups: readonly string[];
}

/** The default admin identity: `kube-ts-admin` in group `system:masters`. */
export const DEFAULT_ADMIN: AdminIdentity = { user: 'kube-ts-admin', groups: ['system:masters'] };

/**
 * A throw-away CA (CN `kube-ts-test-ca`). `@kube-ts/core/certificates` (and so
 * `@peculiar/x509`) is loaded only when a server needs certificates.
 */
async function testCertificateAuthority(): Promise<CertificateAuthority> {
  const { createCertificateAuthority } = await import('@kube-ts/core/certificates');
  return createCertificateAuthority({ commonName: 'kube-ts-test-ca' });
}

/** kube-apiserver's serving certificate, for `localhost` and `127.0.0.1`. */
function apiServerCertificate(ca: CertificateAuthority): Promise<IssuedCertificate> {
  return ca.issue({
    commonName: 'kube-apiserver',
    usage: 'server',
    hosts: ['localhost', '127.0.0.1'],
  });
}

async function writePem(issued: IssuedCertificate, files: { cert: string; key: string }) {
  await Promise.all([
    writeFile(files.cert, issued.cert, { mode: 0o644 }),
    writeFile(files.key, issued.key, { mode: 0o600 }),
  ]);
}

/** A throw-away self-signed CA certificate (CN `kube-ts-test-ca`), as PEM. */
export async function certificateAuthorityPem(): Promise<string> {
  return (await testCertificateAuthority()).cert;
}

/**
 * Generates, in `dir` (created if needed), a throw-away CA, a serving certificate for
 * `localhost`/`127.0.0.1`, a client certificate for `admin`, and a service-account
 * signing key pair. Keys are ECDSA P-256 (PKCS#8 PEM, readable by the owner only);
 * certificates are valid for a year (made by `@kube-ts/core/certificates`).
 */
export async function generateCertificates(
  dir: string,
  admin: AdminIdentity = DEFAULT_ADMIN,
): Promise<CertificateFiles> {
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const file = (name: string) => join(dir, name);
  const files: CertificateFiles = {
    caCert: file('ca.crt'),
    caKey: file('ca.key'),
    servingCert: file('apiserver.crt'),
    servingKey: file('apiserver.key'),
    adminCert: file('admin.crt'),
    adminKey: file('admin.key'),
    serviceAccountKey: file('service-account.key'),
    serviceAccountPublicKey: file('service-account.pub'),
  };
  const serviceAccount = generateKeyPairAsync('ec', {
    namedCurve: 'prime256v1',
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
    publicKeyEncoding: { type: 'spki', format: 'pem' },
  }).then(({ privateKey, publicKey }) =>
    Promise.all([
      writeFile(files.serviceAccountKey, privateKey, { mode: 0o600 }),
      writeFile(files.serviceAccountPublicKey, publicKey, { mode: 0o600 }),
    ]),
  );
  const ca = await testCertificateAuthority();
  const [serving, client] = await Promise.all([
    apiServerCertificate(ca),
    ca.issue({ commonName: admin.user, organizations: admin.groups, usage: 'client' }),
  ]);
  await Promise.all([
    writePem(ca, { cert: files.caCert, key: files.caKey }),
    writePem(serving, { cert: files.servingCert, key: files.servingKey }),
    writePem(client, { cert: files.adminCert, key: files.adminKey }),
    serviceAccount,
  ]);
  return files;
}

/** A CA and a serving certificate it issued, as PEM text (see {@link servingCertificate}). */
export interface ServingCertificate {
  /** The CA certificate clients trust. */
  readonly ca: string;
  /** The serving certificate, for `localhost` and `127.0.0.1`. */
  readonly cert: string;
  /** Key of the serving certificate (PKCS#8). */
  readonly key: string;
}

/**
 * A throw-away CA and a serving certificate for `localhost`/`127.0.0.1`, in memory: the
 * same certificates {@link generateCertificates} writes, for a server that keeps nothing on
 * disk (MemoryApiServer's `tls` option).
 */
export async function servingCertificate(): Promise<ServingCertificate> {
  const ca = await testCertificateAuthority();
  const serving = await apiServerCertificate(ca);
  return { ca: ca.cert, cert: serving.cert, key: serving.key };
}
