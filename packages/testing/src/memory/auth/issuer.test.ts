import { createPublicKey, verify } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { ServiceAccountIssuer } from './issuer.js';

const decode = (segment: string) => JSON.parse(Buffer.from(segment, 'base64url').toString('utf8'));

describe('ServiceAccountIssuer', () => {
  const issuer = new ServiceAccountIssuer('https://127.0.0.1:6443');

  it('signs ES256 JWTs naming its key, and verifies only its own', () => {
    const token = issuer.sign({ iss: issuer.url, sub: 'x' });
    const [head, , signature] = token.split('.');
    expect(decode(head!)).toEqual({ alg: 'ES256', kid: expect.stringMatching(/^[\w-]{43}$/) });
    expect(Buffer.from(signature!, 'base64url')).toHaveLength(64);
    expect(issuer.verify(token)).toEqual({ claims: { iss: issuer.url, sub: 'x' } });
    const badSignature = { rejected: 'go-jose/go-jose: error in cryptographic primitive' };
    const other = new ServiceAccountIssuer(issuer.url);
    expect(other.verify(token)).toEqual(badSignature);
    const [h, , sig] = token.split('.');
    const forged = `${h}.${Buffer.from('{"iss":"https://127.0.0.1:6443","sub":"y"}').toString('base64url')}.${sig}`;
    expect(issuer.verify(forged)).toEqual(badSignature);
    expect(issuer.verify('not a token')).toEqual({ rejected: undefined });
    const elsewhere = issuer.sign({ iss: 'https://elsewhere', sub: 'x' });
    expect(issuer.verify(elsewhere)).toEqual({ rejected: undefined });
  });

  it('publishes a discovery document and a key set that verifies its tokens', () => {
    expect(JSON.parse(issuer.configuration())).toEqual({
      issuer: 'https://127.0.0.1:6443',
      jwks_uri: 'https://127.0.0.1:6443/openid/v1/jwks',
      response_types_supported: ['id_token'],
      subject_types_supported: ['public'],
      id_token_signing_alg_values_supported: ['ES256'],
    });
    const { keys } = JSON.parse(issuer.keySet());
    expect(keys).toHaveLength(1);
    expect(Object.keys(keys[0])).toEqual(['use', 'kty', 'kid', 'crv', 'alg', 'x', 'y']);
    const token = issuer.sign({ iss: issuer.url });
    const [head, payload, signature] = token.split('.');
    expect(keys[0].kid).toBe(decode(head!).kid);
    const key = createPublicKey({ key: keys[0], format: 'jwk' });
    const data = Buffer.from(`${head}.${payload}`);
    const sig = Buffer.from(signature!, 'base64url');
    expect(verify('sha256', data, { key, dsaEncoding: 'ieee-p1363' }, sig)).toBe(true);
  });
});
