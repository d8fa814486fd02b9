import { describe, expect, test } from 'vitest';
import { cidrErrors, parseCidr } from './cidr.js';
import { isSloppyIP } from './ip-addresses.js';

describe('CIDR values', () => {
  test('strict checks after the sloppy parse', () => {
    expect(cidrErrors('10.0.0.0/8')).toEqual([]);
    expect(cidrErrors('2001:db8::/64')).toEqual([]);
    expect(cidrErrors('10.0.0.1/8')).toEqual(['must not have bits set beyond the prefix length']);
    expect(cidrErrors('010.0.0.0/8')).toEqual(['must not have leading 0s in IP or prefix length']);
    expect(cidrErrors('10.0.0.0/08')).toEqual(['must not have leading 0s in IP or prefix length']);
    expect(cidrErrors('::ffff:10.0.0.0/104')).toEqual([
      'must not have an IPv4-mapped IPv6 address',
    ]);
    expect(cidrErrors('10.0.0.0/33')).toEqual([
      'must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)',
    ]);
    expect(cidrErrors('10.0.0.0')).toHaveLength(1);
  });

  test('parsing and addresses', () => {
    expect(parseCidr('192.168.1.0/24')).toEqual({ address: 0xc0a80100n, bits: 32, prefix: 24 });
    expect(isSloppyIP('010.1.2.3')).toBe(true);
    expect(isSloppyIP('::1')).toBe(true);
    expect(isSloppyIP('example.com')).toBe(false);
  });
});
