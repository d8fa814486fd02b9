import { createPrivateKey, X509Certificate } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createCertificateAuthority } from './certificates.js';

describe('createCertificateAuthority', () => {
  it('makes a CA certificate with its key, valid for the days asked', async () => {
    const ca = await createCertificateAuthority({ commonName: 'test CA', validityDays: 2 });
    const cert = new X509Certificate(ca.cert);
    expect(cert.ca).toBe(true);
    expect(cert.subject).toBe('CN=test CA');
    expect(cert.checkPrivateKey(createPrivateKey(ca.key))).toBe(true);
    const days = (ca.notAfter.getTime() - Date.now()) / 86_400_000;
    expect(days).toBeGreaterThan(1.99);
    expect(days).toBeLessThanOrEqual(2);
  });

  it('issues a serving certificate for DNS names and IP addresses', async () => {
    const ca = await createCertificateAuthority({ commonName: 'test CA' });
    const serving = await ca.issue({
      commonName: 'svc.ns.svc',
      usage: 'server',
      hosts: ['svc.ns.svc', 'localhost', '127.0.0.1'],
    });
    const cert = new X509Certificate(serving.cert);
    expect(cert.ca).toBe(false);
    expect(cert.checkIssued(new X509Certificate(ca.cert))).toBe(true);
    expect(cert.verify(new X509Certificate(ca.cert).publicKey)).toBe(true);
    expect(cert.checkHost('svc.ns.svc')).toBe('svc.ns.svc');
    expect(cert.checkIP('127.0.0.1')).toBe('127.0.0.1');
    expect(cert.keyUsage).toContain('1.3.6.1.5.5.7.3.1');
    expect(cert.checkPrivateKey(createPrivateKey(serving.key))).toBe(true);
  });

  it('issues a client certificate with the user in CN and the groups in O', async () => {
    const ca = await createCertificateAuthority({ commonName: 'test CA' });
    const client = await ca.issue({
      commonName: 'alice',
      organizations: ['system:masters', 'team/a'],
      usage: 'client',
    });
    const cert = new X509Certificate(client.cert);
    expect(cert.subject.split('\n')).toEqual(['O=system:masters', 'O=team/a', 'CN=alice']);
    expect(cert.keyUsage).toEqual(['1.3.6.1.5.5.7.3.2']);
    expect(cert.subjectAltName).toBeUndefined();
  });

  it('refuses a validity that is not positive', async () => {
    await expect(createCertificateAuthority({ commonName: 'x', validityDays: 0 })).rejects.toThrow(
      /validityDays must be positive/,
    );
  });
});
