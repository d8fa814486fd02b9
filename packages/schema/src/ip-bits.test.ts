import { describe, expect, it } from 'vitest';
import {
  type IpBits,
  ipv4Bits,
  ipv6Bits,
  ipv6Text,
  isGlobalUnicastIp,
  isLinkLocalMulticastIp,
  isLinkLocalUnicastIp,
  isLoopbackIp,
  isMulticastIp,
  isUnspecifiedIp,
} from './ip-bits.js';

const ip = (text: string): IpBits =>
  text.includes(':') ? { family: 6, bits: ipv6Bits(text) } : { family: 4, bits: ipv4Bits(text) };

describe('ip bits', () => {
  it('reads dotted quads (leading zeros as decimal) and IPv6 with a dotted tail', () => {
    expect(ipv4Bits('010.0.0.1')).toBe(ipv4Bits('10.0.0.1'));
    expect(ipv6Bits('::ffff:1.2.3.4')).toBe(0xffff01020304n);
    expect(ipv6Bits('1::')).toBe(1n << 112n);
  });

  it('writes IPv6 as RFC 5952: the first longest run of zero groups as ::', () => {
    expect(ipv6Text(ipv6Bits('2001:db8:0:0:1:0:0:1'))).toBe('2001:db8::1:0:0:1');
    expect(ipv6Text(ipv6Bits('2001:db8:0:1:1:1:1:1'))).toBe('2001:db8:0:1:1:1:1:1');
    expect(ipv6Text(0n)).toBe('::');
    expect(ipv6Text(ipv6Bits('::ffff:1.2.3.4'))).toBe('::ffff:102:304');
  });

  it('classifies addresses as Go does, an IPv4-mapped one as its IPv4 address', () => {
    const classes = (text: string) =>
      [
        isUnspecifiedIp,
        isLoopbackIp,
        isMulticastIp,
        isLinkLocalUnicastIp,
        isLinkLocalMulticastIp,
        isGlobalUnicastIp,
      ]
        .filter((f) => f(ip(text)))
        .map((f) => f.name);
    expect(classes('0.0.0.0')).toEqual(['isUnspecifiedIp']);
    expect(classes('::')).toEqual(['isUnspecifiedIp']);
    expect(classes('127.1.2.3')).toEqual(['isLoopbackIp']);
    expect(classes('::ffff:127.0.0.1')).toEqual(['isLoopbackIp']);
    expect(classes('::1')).toEqual(['isLoopbackIp']);
    expect(classes('224.0.0.5')).toEqual(['isMulticastIp', 'isLinkLocalMulticastIp']);
    expect(classes('239.1.1.1')).toEqual(['isMulticastIp']);
    expect(classes('ff12::1')).toEqual(['isMulticastIp', 'isLinkLocalMulticastIp']);
    expect(classes('169.254.1.1')).toEqual(['isLinkLocalUnicastIp']);
    expect(classes('febf::1')).toEqual(['isLinkLocalUnicastIp']);
    expect(classes('255.255.255.255')).toEqual([]);
    expect(classes('10.0.0.1')).toEqual(['isGlobalUnicastIp']);
    expect(classes('::ffff:10.0.0.1')).toEqual(['isGlobalUnicastIp']);
    expect(classes('2001:db8::1')).toEqual(['isGlobalUnicastIp']);
  });
});
