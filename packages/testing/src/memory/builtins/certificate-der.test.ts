import { createCertificateAuthority } from '@kube-ts/core/certificates';
import { expect, test } from 'vitest';
import { parseCertificates } from './certificate-der.js';

const derOf = (pem: string) =>
  Buffer.from(pem.replace(/-----[^-]+-----/g, '').replace(/\s/g, ''), 'base64');

test('certificates back to back are counted; the first broken part is named', async () => {
  const ca = await createCertificateAuthority({ commonName: 'unit-ca' });
  const leaf = await ca.issue({ commonName: 'leaf', usage: 'server', hosts: ['a.example.com'] });
  const both = Buffer.concat([derOf(ca.cert), derOf(leaf.cert)]);
  expect(parseCertificates(both)).toEqual({ count: 2 });
  expect(parseCertificates(Buffer.alloc(0))).toEqual({ count: 0 });
  expect(parseCertificates(both.subarray(0, both.length - 1))).toEqual({
    error: 'x509: malformed certificate',
  });
  // A long-form length below 128 is not DER: the tbs certificate does not read.
  const nonMinimal = Buffer.from([0x30, 0x81, 0x03, 0x02, 0x01, 0x01]);
  const cert = Buffer.concat([Buffer.from([0x30, nonMinimal.length]), nonMinimal]);
  expect(parseCertificates(cert)).toEqual({ error: 'x509: malformed tbs certificate' });
});
