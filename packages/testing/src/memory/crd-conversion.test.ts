import { describe, expect, test } from 'vitest';
import { conversionCauses, crdConversionRules } from './crd-conversion.js';
import type { JsonObject } from './json.js';

const crd = (conversion: JsonObject): JsonObject => ({ spec: { conversion } });
const fields = (c: JsonObject, old?: JsonObject) =>
  conversionCauses(crd(c), old && crd(old)).map((x) => `${x.field}|${x.message}`);

describe('crdConversionRules', () => {
  test("default a conversion webhook service's port to 443", () => {
    const obj = crd({ strategy: 'Webhook', webhook: { clientConfig: { service: { name: 's' } } } });
    crdConversionRules.defaults?.(obj, false);
    expect(obj).toEqual(
      crd({
        strategy: 'Webhook',
        webhook: { clientConfig: { service: { name: 's', port: 443 } } },
      }),
    );
  });
});

describe('conversionCauses', () => {
  test('None needs nothing; an unknown or missing strategy is refused', () => {
    expect(fields({ strategy: 'None' })).toEqual([]);
    expect(fields({})).toEqual(['spec.conversion.strategy|Required value']);
    expect(fields({ strategy: 'X' })).toEqual([
      'spec.conversion.strategy|Unsupported value: "X": supported values: "None", "Webhook"',
    ]);
  });

  test('a webhook is forbidden with None, required with Webhook, at the internal fields', () => {
    const webhook = { clientConfig: { url: 'https://h' }, conversionReviewVersions: ['v1'] };
    expect(fields({ strategy: 'None', webhook })).toEqual([
      'spec.conversion.webhookClientConfig|Forbidden: should not be set when strategy is not set to Webhook',
      'spec.conversion.conversionReviewVersions|Forbidden: should not be set when strategy is not set to Webhook',
    ]);
    expect(fields({ strategy: 'Webhook', webhook })).toEqual([]);
    expect(fields({ strategy: 'Webhook' })).toEqual([
      'spec.conversion.webhookClientConfig|Required value: required when strategy is set to Webhook',
      'spec.conversion.conversionReviewVersions|Required value',
    ]);
  });

  test('an update may keep review versions the stored CRD already had unknown', () => {
    const unknown = {
      strategy: 'Webhook',
      webhook: { clientConfig: { url: 'https://h' }, conversionReviewVersions: ['v9'] },
    };
    expect(fields(unknown)).toHaveLength(1);
    expect(fields(unknown, unknown)).toEqual([]);
  });

  test('a caBundle must hold a certificate only on an update of an established CRD whose own did', () => {
    const withBundle = (caBundle?: string): JsonObject => ({
      strategy: 'Webhook',
      webhook: {
        clientConfig: caBundle ? { url: 'https://h', caBundle } : { url: 'https://h' },
        conversionReviewVersions: ['v1'],
      },
    });
    const established = (c: JsonObject): JsonObject => ({
      ...crd(c),
      status: { conditions: [{ type: 'Established', status: 'True' }] },
    });
    const check = (old: JsonObject) =>
      conversionCauses(crd(withBundle('eA==')), old).map((x) => `${x.field}|${x.message}`);
    expect(fields(withBundle('eA=='))).toEqual([]);
    expect(check(crd(withBundle()))).toEqual([]);
    expect(check(established(withBundle('eQ==')))).toEqual([]);
    expect(check(established(withBundle()))).toEqual([
      'spec.conversion.webhookClientConfig.caBundle|Invalid value: "eA==": unable to load root certificates: unable to parse bytes as PEM block',
    ]);
  });
});
