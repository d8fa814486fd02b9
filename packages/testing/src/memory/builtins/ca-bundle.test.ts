import { createCertificateAuthority } from '@kube-ts/core/certificates';
import { describe, expect, test } from 'vitest';
import { caBundleError } from './ca-bundle.js';

const NOTE = '-----BEGIN NOTE-----\nAAAA\n-----END NOTE-----\n';
const BAD = '-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n';
const error = (text: string) => caBundleError(Buffer.from(text));
const refused = (why: string) => `unable to load root certificates: ${why}`;

describe('caBundleError', () => {
  test('an empty bundle, or one with a certificate among other blocks and text, is usable', async () => {
    const ca = await createCertificateAuthority({ commonName: 'unit-bundle' });
    expect(error('')).toBeUndefined();
    expect(error(ca.cert)).toBeUndefined();
    expect(error(`junk\n${NOTE}${BAD}${ca.cert}\n\nmore junk`)).toBeUndefined();
  });

  test('without one, the reason client-go finds reading the blocks in order', async () => {
    const ca = await createCertificateAuthority({ commonName: 'unit-headed' });
    const headed = ca.cert.replace('-----\n', '-----\nA: b\n\n');
    expect(error('x')).toBe(refused('unable to parse bytes as PEM block'));
    expect(error(NOTE)).toBe(refused('no valid certificate authority data seen'));
    expect(error(headed)).toBe(refused('no valid certificate authority data seen'));
    expect(error(`${NOTE}\n`)).toBe(refused('unable to parse bytes as PEM block'));
    expect(error(`${NOTE}${BAD}x`)).toBe(
      refused('failed to parse certificate: x509: malformed certificate'),
    );
  });
});
