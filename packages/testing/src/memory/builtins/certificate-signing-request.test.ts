import { describe, expect, it } from 'vitest';
import type { JsonObject } from '../json.js';
import { certificateSigningRequestRules } from './certificate-signing-request.js';
import { signerNameCauses } from './certificate-signing-request-spec.js';

describe('CertificateSigningRequest', () => {
  it("replaces the client's identity with the requesting user's", () => {
    const csr: JsonObject = {
      spec: { signerName: 's', username: 'me', uid: 'u', groups: ['g'], extra: { k: ['v'] } },
    };
    certificateSigningRequestRules.prepareCreate?.(
      csr,
      { username: 'alice', groups: ['devs'], extra: { scopes: ['a'] } },
      [],
    );
    expect(csr.spec).toEqual({
      signerName: 's',
      username: 'alice',
      groups: ['devs'],
      extra: { scopes: ['a'] },
    });
  });

  it('keeps the stored spec and status on an update through the object itself', () => {
    const prev: JsonObject = { spec: { signerName: 'a.b/c' }, status: { certificate: 'Zm9v' } };
    const next: JsonObject = { metadata: { labels: { x: 'y' } }, spec: { signerName: 'x.y/z' } };
    certificateSigningRequestRules.prepareUpdate?.(next, prev);
    expect(next).toEqual({ metadata: { labels: { x: 'y' } }, ...prev });
  });

  it('checks signer names as ValidateSignerName does', () => {
    const lines = (name: string) =>
      signerNameCauses('spec.signerName', name).map((c) =>
        String(c.message).split(':').slice(0, 3).join(':'),
      );
    expect(lines('example.com/signer')).toEqual([]);
    expect(lines('')).toEqual(['Required value']);
    expect(lines('a/b/c')).toEqual([
      `Invalid value: "a/b/c": must be a fully qualified domain and path of the form 'example.com/signer-name'`,
    ]);
    expect(lines('example/x')).toEqual([
      'Invalid value: "example": should be a domain with at least two segments separated by dots',
    ]);
    expect(lines(`example.com/${'a'.repeat(600)}`)).toEqual([
      `Invalid value: "${'a'.repeat(600)}": validating label "${'a'.repeat(600)}"`,
      'Too long: may not be more than 571 bytes',
    ]);
  });
});
