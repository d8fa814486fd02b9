import { describe, expect, test } from 'vitest';
import { serviceCidrRules } from './service-cidr.js';

const cidr = (cidrs: unknown[]) => ({ spec: { cidrs } }) as never;
const messages = (cidrs: unknown[], old?: unknown[]) =>
  serviceCidrRules.validate!(cidr(cidrs), {
    group: 'networking.k8s.io',
    create: !old,
    ...(old ? { old: cidr(old) } : {}),
  }).map((c) => `${c.field}: ${c.message}`);

describe('ServiceCIDR checks', () => {
  test('canonical CIDRs, one per family', () => {
    expect(messages(['10.0.0.0/24', 'fd00::/108'])).toEqual([]);
    expect(messages(['fd00:0::/108'])).toEqual([
      'spec.cidrs[0]: Invalid value: "fd00:0::/108": must be in canonical form ("fd00::/108")',
    ]);
    expect(messages(['10.0.0.0/024'])).toEqual([
      'spec.cidrs[0]: Invalid value: "10.0.0.0/024": must not have leading 0s in IP or prefix length',
    ]);
  });

  test('updates keep the CIDRs but may add the other family', () => {
    expect(messages(['10.0.0.0/24', 'fd00::/108'], ['10.0.0.0/24'])).toEqual([]);
    expect(messages(['10.0.1.0/24'], ['10.0.0.0/24'])).toEqual([
      'spec.cidrs[0]: Invalid value: "10.0.1.0/24": field is immutable',
    ]);
    expect(messages([], ['10.0.0.0/24'])).toEqual([
      'spec.cidrs: Invalid value: []: field is immutable',
    ]);
  });
});
