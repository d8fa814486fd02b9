import { describe, expect, test } from 'vitest';
import type { StatusCause } from '../errors.js';
import { dnsConfigCauses, dnsPolicyCauses } from './pod-dns.js';

const lines = (causes: StatusCause[]) => causes.map((c) => `${c.field}: ${c.message}`);

describe('DNS fields', () => {
  test('an empty dnsPolicy sent explicitly is missing', () => {
    expect(lines(dnsPolicyCauses({ dnsPolicy: '' }, 'spec'))).toEqual([
      'spec.dnsPolicy: Required value',
    ]);
    expect(dnsPolicyCauses({ dnsPolicy: 'Default' }, 'spec')).toEqual([]);
  });

  test('search domains: a trailing dot is ignored, underscores allowed, 2048 characters in all', () => {
    const long = Array.from({ length: 9 }, () => 'a'.repeat(230));
    const causes = dnsConfigCauses({ dnsConfig: { searches: ['a_b.c.', ...long] } }, 'spec');
    expect(lines(causes).map((l) => l.replace(/\[.*\]/, '[…]'))).toEqual([
      'spec.dnsConfig.searches: Invalid value: […]: must not have more than 2048 characters (including spaces) in the search list',
    ]);
  });
});
