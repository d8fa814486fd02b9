import { expect, test } from 'vitest';
import { dns1123SubdomainErrors, qualifiedNameErrors } from './names.js';

// Probed on kube-apiserver v1.36.3: label keys count bytes, object names characters.
test('qualifiedNameErrors words lengths as apimachinery content package does', () => {
  expect(qualifiedNameErrors('k'.repeat(64))).toEqual(['name part must be no more than 63 bytes']);
  expect(qualifiedNameErrors(`${'p'.repeat(254)}/x`)).toEqual([
    'prefix part must be no more than 253 bytes',
  ]);
  expect(qualifiedNameErrors('/a')).toEqual(['prefix part must be non-empty']);
  expect(dns1123SubdomainErrors('a'.repeat(254))).toEqual(['must be no more than 253 characters']);
});
