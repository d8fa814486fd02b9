import { describe, expect, test } from 'vitest';
import { decodeQuantity, QUANTITY_FORMAT_ERROR } from './quantities.js';

// Expected texts probed on kube-apiserver v1.36.3 (container cpu requests for the
// ResourceList ones, which its defaulting rounds to milli-units).
describe('decodeQuantity', () => {
  test('keeps a text its parser finds canonical, else writes the canonical form', () => {
    const cases: [string, string][] = [
      ['1.5', '1500m'],
      ['0.5', '500m'],
      ['2000m', '2'],
      ['1e3', '1e3'],
      ['1000', '1k'],
      ['1.5Gi', '1536Mi'],
      ['1024Ki', '1Mi'],
      ['1000Mi', '1000Mi'],
      ['512', '512'],
      ['0.5Ki', '512'],
      ['100Mi', '100Mi'],
      ['0', '0'],
      ['0.0001', '100u'],
      ['1n', '1n'],
      ['0.1n', '1n'],
      ['-1.5', '-1500m'],
      [' 2 ', '2'],
      ['12e6', '12e6'],
      ['1.G', '1.G'],
      ['1E3', '1E3'],
      ['1e+3', '1e+3'],
      ['100e-2', '1'],
      ['1e-3', '1e-3'],
    ];
    for (const [text, stored] of cases) expect(decodeQuantity(text)).toEqual({ text: stored });
  });

  test('a ResourceList rounds up to milli-units', () => {
    const cases: [string, string][] = [
      ['0.0001', '1m'],
      ['1n', '1m'],
      ['0.1n', '1m'],
      ['0.000000001Gi', '1074m'],
      ['1e-3', '1e-3'],
      ['1.5', '1500m'],
      ['1.G', '1.G'],
    ];
    for (const [text, stored] of cases)
      expect(decodeQuantity(text, true)).toEqual({ text: stored });
  });

  test('refuses what apimachinery refuses, with its words', () => {
    for (const text of ['', 'abc', '1.5.5', '1Gx', 'true', '{}']) {
      expect(decodeQuantity(text)).toEqual({ error: QUANTITY_FORMAT_ERROR });
    }
    expect(decodeQuantity('1kk')).toEqual({ error: "unable to parse quantity's suffix" });
  });
});
