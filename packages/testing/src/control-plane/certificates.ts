import { generateKeyPair, KeyObject, randomBytes, webcrypto } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';

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

type X509 = typeof import('@peculiar/x509');

const EC = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' } as const;
const VALID_MS = 365 * 24 * 60 * 60 * 1000;

interface Issued {
  readonly cert: import('@peculiar/x509').X509Certificate;
  readonly keys: webcrypto.CryptoKeyPair;
}

/** A random positive 128-bit serial number, as hex. */
function serialNumber(): string {
  const bytes = randomBytes(16);
  bytes[0] = (bytes[0] ?? 0) & 0x7f;
  return bytes.toString('hex');
}

/** The distinguished name: one O per group, then the CN (as kube-apiserver reads them). */
function subject(cn: string, organizations: readonly string[] = []) {
  return [...organizations.map((o) => ({ O: [o] })), { CN: [cn] }];
}

function keyPem(issued: Issued): string {
  return KeyObject.from(issued.keys.privateKey).export({ type: 'pkcs8', format: 'pem' }) as string;
}

async function writePem(issued: Issued, files: { cert: string; key: string }): Promise<void> {
  await Promise.all([
    writeFile(files.cert, issued.cert.toString('pem'), { mode: 0o644 }),
    writeFile(files.key, keyPem(issued), { mode: 0o600 }),
  ]);
}

/** A throw-away self-signed CA certificate (CN `kube-ts-test-ca`), as PEM. */
export async function certificateAuthorityPem(): Promise<string> {
  const x509 = await import('@peculiar/x509');
  return (await certificateAuthority(x509)).cert.toString('pem');
}

async function certificateAuthority(x509: X509): Promise<Issued> {
  const keys = await webcrypto.subtle.generateKey(EC, true, ['sign', 'verify']);
  const notBefore = new Date(Date.now() - 60_000);
  const cert = await x509.X509CertificateGenerator.createSelfSigned(
    {
      serialNumber: serialNumber(),
      name: subject('kube-ts-test-ca'),
      notBefore,
      notAfter: new Date(notBefore.getTime() + VALID_MS),
      keys,
      signingAlgorithm: EC,
      extensions: [
        new x509.BasicConstraintsExtension(true, undefined, true),
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
  return { cert, keys };
}

async function leaf(
  x509: X509,
  ca: Issued,
  name: ReturnType<typeof subject>,
  usage: 'server' | 'client',
): Promise<Issued> {
  const keys = await webcrypto.subtle.generateKey(EC, true, ['sign', 'verify']);
  const notBefore = new Date(Date.now() - 60_000);
  const extensions: import('@peculiar/x509').Extension[] = [
    new x509.BasicConstraintsExtension(false, undefined, true),
    new x509.KeyUsagesExtension(
      x509.KeyUsageFlags.digitalSignature | x509.KeyUsageFlags.keyEncipherment,
      true,
    ),
    new x509.ExtendedKeyUsageExtension([
      usage === 'server' ? x509.ExtendedKeyUsage.serverAuth : x509.ExtendedKeyUsage.clientAuth,
    ]),
    await x509.AuthorityKeyIdentifierExtension.create(ca.cert, false, webcrypto),
  ];
  if (usage === 'server') {
    extensions.push(
      new x509.SubjectAlternativeNameExtension([
        { type: 'dns', value: 'localhost' },
        { type: 'ip', value: '127.0.0.1' },
      ]),
    );
  }
  const cert = await x509.X509CertificateGenerator.create(
    {
      serialNumber: serialNumber(),
      subject: name,
      issuer: ca.cert.subjectName,
      notBefore,
      notAfter: new Date(notBefore.getTime() + VALID_MS),
      publicKey: keys.publicKey,
      signingKey: ca.keys.privateKey,
      signingAlgorithm: EC,
      extensions,
    },
    webcrypto,
  );
  return { cert, keys };
}

/**
 * Generates, in `dir` (created if needed), a throw-away CA, a serving certificate for
 * `localhost`/`127.0.0.1`, a client certificate for `admin`, and a service-account
 * signing key pair. Keys are ECDSA P-256 (PKCS#8 PEM, readable by the owner only);
 * certificates are valid for a year. Made with `@peculiar/x509` over Node's WebCrypto,
 * loaded only when a control plane starts.
 */
export async function generateCertificates(
  dir: string,
  admin: AdminIdentity = DEFAULT_ADMIN,
): Promise<CertificateFiles> {
  const x509 = await import('@peculiar/x509');
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
  const ca = await certificateAuthority(x509);
  const [serving, client] = await Promise.all([
    leaf(x509, ca, subject('kube-apiserver'), 'server'),
    leaf(x509, ca, subject(admin.user, admin.groups), 'client'),
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
  const x509 = await import('@peculiar/x509');
  const ca = await certificateAuthority(x509);
  const serving = await leaf(x509, ca, subject('kube-apiserver'), 'server');
  return { ca: ca.cert.toString('pem'), cert: serving.cert.toString('pem'), key: keyPem(serving) };
}
