import { createPrivateKey, createPublicKey, sign, verify, X509Certificate } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CertificateFiles, generateCertificates, servingCertificate } from './certificates.js';
import { tempDir } from './fixtures.test-helper.js';

let files: CertificateFiles;
let cleanup: () => Promise<void>;
const cert = async (path: string) => new X509Certificate(await readFile(path));

beforeAll(async () => {
  const dir = await tempDir();
  cleanup = dir.cleanup;
  files = await generateCertificates(join(dir.path, 'pki'), {
    user: 'alice',
    groups: ['system:masters', 'team/a'],
  });
});
afterAll(() => cleanup());

describe('generateCertificates', () => {
  it('makes a CA that issued the serving and client certificates', async () => {
    const ca = await cert(files.caCert);
    expect(ca.ca).toBe(true);
    for (const leaf of [await cert(files.servingCert), await cert(files.adminCert)]) {
      expect(leaf.ca).toBe(false);
      expect(leaf.checkIssued(ca)).toBe(true);
      expect(leaf.verify(ca.publicKey)).toBe(true);
    }
  });

  it('serves localhost and 127.0.0.1', async () => {
    const serving = await cert(files.servingCert);
    expect(serving.checkHost('localhost')).toBe('localhost');
    expect(serving.checkIP('127.0.0.1')).toBe('127.0.0.1');
    expect(serving.keyUsage).toContain('1.3.6.1.5.5.7.3.1');
  });

  it('puts the admin user in CN and its groups in O, for client authentication', async () => {
    const admin = await cert(files.adminCert);
    expect(admin.subject.split('\n')).toEqual(
      expect.arrayContaining(['CN=alice', 'O=system:masters', 'O=team/a']),
    );
    expect(admin.keyUsage).toContain('1.3.6.1.5.5.7.3.2');
    expect(admin.checkPrivateKey(createPrivateKey(await readFile(files.adminKey)))).toBe(true);
  });

  it('makes a matching service-account key pair', async () => {
    const privateKey = createPrivateKey(await readFile(files.serviceAccountKey));
    const publicKey = createPublicKey(await readFile(files.serviceAccountPublicKey));
    const signature = sign('sha256', Buffer.from('token'), privateKey);
    expect(verify('sha256', Buffer.from('token'), publicKey, signature)).toBe(true);
  });

  it('keeps the private keys readable by the owner only', async () => {
    for (const key of [files.caKey, files.adminKey, files.servingKey, files.serviceAccountKey]) {
      expect((await stat(key)).mode & 0o077).toBe(0);
    }
  });
});

describe('servingCertificate', () => {
  it('makes a CA and a serving certificate for localhost and 127.0.0.1, in memory', async () => {
    const pems = await servingCertificate();
    const ca = new X509Certificate(pems.ca);
    const serving = new X509Certificate(pems.cert);
    expect(ca.ca).toBe(true);
    expect(serving.checkIssued(ca)).toBe(true);
    expect(serving.checkIP('127.0.0.1')).toBe('127.0.0.1');
    expect(serving.checkPrivateKey(createPrivateKey(pems.key))).toBe(true);
  });
});
