import { expect, test } from 'vitest';
import { dns1123LabelErrors, dns1123SubdomainErrors, qualifiedNameErrors } from './names.js';

// Probed on kube-apiserver v1.36.3: label keys count bytes, object names characters.
test('qualifiedNameErrors words lengths as apimachinery content package does', () => {
  expect(qualifiedNameErrors('k'.repeat(64))).toEqual(['name part must be no more than 63 bytes']);
  expect(qualifiedNameErrors(`${'p'.repeat(254)}/x`)).toEqual([
    'prefix part must be no more than 253 bytes',
  ]);
  expect(qualifiedNameErrors('/a')).toEqual(['prefix part must be non-empty']);
  expect(dns1123SubdomainErrors('a'.repeat(254))).toEqual(['must be no more than 253 characters']);
});

test('dns1123LabelErrors tells a valid subdomain that it must not contain dots, as IsDNS1123Label', () => {
  expect(dns1123LabelErrors('a.b')).toEqual(['must not contain dots']);
  expect(dns1123LabelErrors('A.b')[0]).toMatch(/^a lowercase RFC 1123 label must consist/);
  expect(dns1123LabelErrors('ab')).toEqual([]);
});
