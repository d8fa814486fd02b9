import { describe, expect, it } from 'vitest';
import type { JsonObject } from '../json.js';
import { certificateSigningRequestRules } from './certificate-signing-request.js';

describe('CertificateSigningRequest', () => {
  it("replaces the client's identity with the requesting user's", () => {
    const csr: JsonObject = {
      spec: { signerName: 's', username: 'me', uid: 'u', groups: ['g'], extra: { k: ['v'] } },
    };
    certificateSigningRequestRules.stampCreator?.(csr, {
      username: 'alice',
      groups: ['devs'],
      extra: { scopes: ['a'] },
    });
    expect(csr.spec).toEqual({
      signerName: 's',
      username: 'alice',
      groups: ['devs'],
      extra: { scopes: ['a'] },
    });
  });
});
