import { describe, expect, test } from 'vitest';
import {
  canonicalIP,
  endpointIPErrors,
  ipWarnings,
  isGlobalUnicastIP,
  isIPv4Address,
  isSloppyIP,
  legacyIPCauses,
  strictIPCauses,
} from './ip-addresses.js';

const messages = (causes: { message?: string }[]) => causes.map((c) => c.message);

describe('reading addresses as Go does', () => {
  test('the sloppy parser takes IPv4 parts with leading zeros, not zones or CIDRs', () => {
    expect(isSloppyIP('010.1.2.3')).toBe(true);
    expect(isSloppyIP('::1')).toBe(true);
    expect(isSloppyIP('fe80::1%eth0')).toBe(false);
    expect(isSloppyIP('1.2.3.4/32')).toBe(false);
    expect(isSloppyIP('256.1.1.1')).toBe(false);
  });

  test('canonical forms are those of net.IP.String()', () => {
    expect(canonicalIP('2001:DB8:0:0::1')).toBe('2001:db8::1');
    expect(canonicalIP('2001:db8:0:0:1:0:0:1')).toBe('2001:db8::1:0:0:1');
    expect(canonicalIP('2001:db8:0:1:1:1:1:1')).toBe('2001:db8:0:1:1:1:1:1');
    expect(canonicalIP('::1.2.3.4')).toBe('::102:304');
    expect(canonicalIP('0:0:0:0:0:0:0:0')).toBe('::');
    expect(canonicalIP('010.001.002.003')).toBe('10.1.2.3');
  });

  test('global unicast as net.IP judges it (a proxy refuses the rest)', () => {
    for (const ip of ['10.0.0.1', '240.0.0.1', '010.1.2.3', '2001:db8::1', '::ffff:10.0.0.1']) {
      expect(isGlobalUnicastIP(ip), ip).toBe(true);
    }
    const special = ['', 'x', '0.0.0.0', '127.1.2.3', '169.254.0.1', '224.0.0.1', '239.9.9.9'];
    for (const ip of [...special, '255.255.255.255', '::', '::1', 'fe80::1', 'ff02::1']) {
      expect(isGlobalUnicastIP(ip), ip).toBe(false);
    }
    expect(isGlobalUnicastIP('::ffff:127.0.0.1')).toBe(false);
  });

  test('IPv4-mapped IPv6 addresses are IPv4 to Go', () => {
    expect(isIPv4Address('::ffff:1.2.3.4')).toBe(true);
    expect(isIPv4Address('2001:db8::1')).toBe(false);
    expect(endpointIPErrors('::ffff:127.0.0.1')).toEqual([
      'may not be in the loopback range (127.0.0.0/8, ::1/128)',
    ]);
  });
});

describe('checks', () => {
  test('legacy fields refuse leading zeros and mapped addresses', () => {
    expect(messages(legacyIPCauses('f', '010.1.1.1'))).toEqual([
      'Invalid value: "010.1.1.1": must not have leading 0s',
    ]);
    expect(messages(legacyIPCauses('f', '::ffff:1.2.3.4'))).toEqual([
      'Invalid value: "::ffff:1.2.3.4": must not be an IPv4-mapped IPv6 address',
    ]);
    expect(legacyIPCauses('f', '2001:DB8::1')).toEqual([]);
  });

  test('new fields also want the canonical form', () => {
    expect(messages(strictIPCauses('f', '2001:DB8::1'))).toEqual([
      'Invalid value: "2001:DB8::1": must be in canonical form ("2001:db8::1")',
    ]);
    expect(strictIPCauses('f', '10.0.0.1')).toEqual([]);
  });

  test('special ranges', () => {
    expect(endpointIPErrors('::')).toEqual(['may not be unspecified (::)']);
    expect(endpointIPErrors('ff02::1')).toEqual([
      'may not be in the link-local multicast range (224.0.0.0/24, ff02::/10)',
    ]);
    expect(endpointIPErrors('fe80::1')[0]).toMatch(/link-local range/);
    expect(endpointIPErrors('nope')).toEqual(['must be a valid IP address']);
    expect(endpointIPErrors('192.0.2.1')).toEqual([]);
  });

  test('warnings for addresses the server would write otherwise', () => {
    expect(ipWarnings('p', '2001:DB8::1')).toEqual([
      'p: IPv6 address "2001:DB8::1" should be in RFC 5952 canonical format ("2001:db8::1")',
    ]);
    expect(ipWarnings('p', '010.1.2.3')).toEqual([
      'p: non-standard IP address "010.1.2.3" is invalid: use "10.1.2.3"',
    ]);
    expect(ipWarnings('p', '10.1.2.3')).toEqual([]);
  });
});
