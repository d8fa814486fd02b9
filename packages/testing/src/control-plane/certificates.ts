import { execFile } from 'node:child_process';
import { generateKeyPair, randomBytes } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { ControlPlaneError } from './errors.js';

const execFileAsync = promisify(execFile);
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

// Only our own sections: the system's openssl.cnf must not add or duplicate extensions.
const OPENSSL_CONFIG = `[req]
distinguished_name = dn
prompt = no
[dn]
CN = kube-ts
[ca_ext]
basicConstraints = critical,CA:TRUE
keyUsage = critical,keyCertSign,cRLSign,digitalSignature
subjectKeyIdentifier = hash
[server_ext]
basicConstraints = critical,CA:FALSE
keyUsage = critical,digitalSignature,keyEncipherment
extendedKeyUsage = serverAuth
subjectAltName = DNS:localhost,IP:127.0.0.1
authorityKeyIdentifier = keyid
[client_ext]
basicConstraints = critical,CA:FALSE
keyUsage = critical,digitalSignature,keyEncipherment
extendedKeyUsage = clientAuth
authorityKeyIdentifier = keyid
`;

const EC_KEY = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];
const VALID_DAYS = '365';

async function openssl(args: readonly string[]): Promise<void> {
  try {
    await execFileAsync('openssl', [...args]);
  } catch (error) {
    const failure = error as NodeJS.ErrnoException & { stderr?: string };
    if (failure.code === 'ENOENT') {
      throw new ControlPlaneError(
        'The openssl command-line tool is needed to generate the control plane certificates but is not on PATH. ' +
          'Install it (Debian/Ubuntu: apt-get install -y openssl).',
      );
    }
    throw new ControlPlaneError(
      `openssl ${args[0]} failed while generating test certificates: ${failure.stderr ?? failure.message}`,
    );
  }
}

function subject(cn: string, organizations: readonly string[] = []): string {
  const quote = (value: string) => value.replace(/[/\\]/g, (c) => `\\${c}`);
  return `${organizations.map((o) => `/O=${quote(o)}`).join('')}/CN=${quote(cn)}`;
}

async function signedLeaf(
  config: string,
  files: { cert: string; key: string },
  subj: string,
  extensions: string,
  ca: { cert: string; key: string },
): Promise<void> {
  const csr = `${files.cert}.csr`;
  await openssl([
    'req',
    '-new',
    '-config',
    config,
    ...EC_KEY,
    '-keyout',
    files.key,
    '-out',
    csr,
    '-subj',
    subj,
  ]);
  await openssl([
    'x509',
    '-req',
    '-in',
    csr,
    '-CA',
    ca.cert,
    '-CAkey',
    ca.key,
    '-set_serial',
    `0x${randomBytes(16).toString('hex')}`,
    '-days',
    VALID_DAYS,
    '-extfile',
    config,
    '-extensions',
    extensions,
    '-out',
    files.cert,
  ]);
}

/**
 * Generates, in `dir` (created if needed), a throw-away CA, a serving certificate for
 * `localhost`/`127.0.0.1`, a client certificate for `admin`, and a service-account
 * signing key pair. Keys are ECDSA P-256; certificates are valid for a year. Needs the
 * `openssl` command-line tool.
 *
 * @throws {ControlPlaneError} when openssl is missing or fails.
 */
export async function generateCertificates(
  dir: string,
  admin: AdminIdentity = DEFAULT_ADMIN,
): Promise<CertificateFiles> {
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const config = join(dir, 'openssl.cnf');
  await writeFile(config, OPENSSL_CONFIG, { mode: 0o600 });
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
  const ca = { cert: files.caCert, key: files.caKey };
  const caReady = openssl([
    'req',
    '-x509',
    '-new',
    '-config',
    config,
    '-extensions',
    'ca_ext',
    ...EC_KEY,
    '-keyout',
    ca.key,
    '-out',
    ca.cert,
    '-days',
    VALID_DAYS,
    '-subj',
    subject('kube-ts-test-ca'),
  ]);
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
  await caReady;
  await Promise.all([
    signedLeaf(
      config,
      { cert: files.servingCert, key: files.servingKey },
      subject('kube-apiserver'),
      'server_ext',
      ca,
    ),
    signedLeaf(
      config,
      { cert: files.adminCert, key: files.adminKey },
      subject(admin.user, admin.groups),
      'client_ext',
      ca,
    ),
    serviceAccount,
  ]);
  return files;
}
