import { describe, expect, test } from 'vitest';
import { externalIPCauses } from './external-ips.js';

const why = (ip: string) => externalIPCauses('f', ip).map((c) => c.message);

describe('externalIPCauses', () => {
  test('ordinary addresses pass', () => {
    for (const ip of ['1.2.3.4', '2001:db8::1', '10.0.0.1']) expect(why(ip)).toEqual([]);
  });

  test('special ranges and malformed values get kube-apiserver messages', () => {
    expect(why('010.1.1.1')).toEqual(['Invalid value: "010.1.1.1": must not have leading 0s']);
    expect(why('::ffff:1.2.3.4')).toEqual([
      'Invalid value: "::ffff:1.2.3.4": must not be an IPv4-mapped IPv6 address',
    ]);
    expect(why('::')).toEqual(['Invalid value: "::": may not be unspecified (::)']);
    expect(why('ff02::1')).toEqual([
      'Invalid value: "ff02::1": may not be in the link-local multicast range (224.0.0.0/24, ff02::/10)',
    ]);
    expect(why('fe80::1')[0]).toMatch(/link-local range/);
    expect(why('1.2.3.4/32')[0]).toMatch(/must be a valid IP address/);
  });
});
