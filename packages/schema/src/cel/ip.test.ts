import { describe, expect, test } from 'vitest';
import { ruleEnvironment } from './library.js';

const env = ruleEnvironment();
const run = (expr: string) => env.evaluate(expr, {});

describe('the ip and cidr libraries', () => {
  test.each([
    ["isIP('10.0.0.1')", true],
    ["isIP('010.0.0.1')", false],
    ["isIP('fe80::1%eth0')", false],
    ["isIP('::ffff:1.2.3.4')", false],
    ["ip('2001:db8::1').family()", 6n],
    ["ip('127.0.0.2').isLoopback()", true],
    ["ip('::').isUnspecified()", true],
    ["ip('10.0.0.1').isUnspecified()", false],
    ["isCIDR('10.0.0.0/8')", true],
    ["isCIDR('10.0.0.0/33')", false],
    ["isCIDR('10.0.0.0')", false],
    ["cidr('10.1.0.0/16').containsIP('10.1.255.1')", true],
    ["cidr('10.1.0.0/16').containsIP(ip('10.2.0.1'))", false],
    ["cidr('2001:db8::/32').containsIP('10.0.0.1')", false],
    ["cidr('10.1.0.0/16').prefixLength()", 16n],
    ["cidr('10.1.0.0/16').ip().family()", 4n],
    ["string(ip('2001:db8:0:0:1:0:0:1'))", '2001:db8::1:0:0:1'],
    ["string(ip('::1.2.3.4'))", '::102:304'],
    ["ip.isCanonical('2001:DB8::1')", false],
    ["ip.isCanonical('2001:db8::1')", true],
    ["isIP('::ffff:102:304')", false],
    ["ip('ff12::1').isLinkLocalMulticast()", true],
    ["ip('ff03::1').isLinkLocalMulticast()", false],
    ["ip('224.0.0.251').isLinkLocalMulticast()", true],
    ["ip('169.254.169.254').isLinkLocalUnicast()", true],
    ["ip('fe80::1').isLinkLocalUnicast()", true],
    ["ip('10.0.0.1').isGlobalUnicast()", true],
    ["ip('255.255.255.255').isGlobalUnicast()", false],
    ["ip('::').isGlobalUnicast()", false],
    ["string(cidr('10.1.2.3/16').masked())", '10.1.0.0/16'],
    ["string(cidr('2001:db8::1/32').masked())", '2001:db8::/32'],
    ["cidr('10.1.2.3/16') == cidr('10.1.2.3/16').masked()", false],
    ["cidr('10.1.0.0/16') == cidr('10.1.0.0/16').masked()", true],
    ["ip('10.0.0.1') == ip('10.0.0.1')", true],
    ["cidr('10.0.0.0/8').containsCIDR('10.1.0.0/16')", true],
    ["cidr('10.0.0.0/8').containsCIDR(cidr('10.0.0.0/7'))", false],
  ])('%s is %s', (expr, want) => {
    expect(run(expr)).toBe(want);
  });

  // The words kube-apiserver 1.36.3 answered for each.
  test.each([
    [
      "ip('1.2.3')",
      'IP Address "1.2.3" parse error during conversion from string: ParseAddr("1.2.3"): IPv4 address too short',
    ],
    [
      "ip('01.2.3.4')",
      'IP Address "01.2.3.4" parse error during conversion from string: ParseAddr("01.2.3.4"): IPv4 field has octet with leading zero',
    ],
    ["ip('::ffff:1.2.3.4')", 'IPv4-mapped IPv6 address "::ffff:1.2.3.4" is not allowed'],
    ["ip('fe80::1%eth0')", 'IP address "fe80::1%eth0" with zone value is not allowed'],
    [
      "cidr('1.2.3.4/40')",
      'network address parse error during conversion from string: network address parse error during conversion from string: netip.ParsePrefix("1.2.3.4/40"): prefix length out of range',
    ],
    [
      "cidr('1.2.3.4/08')",
      'network address parse error during conversion from string: network address parse error during conversion from string: netip.ParsePrefix("1.2.3.4/08"): bad bits after slash: "08"',
    ],
    [
      "cidr('1.2.3.4')",
      'network address parse error during conversion from string: network address parse error during conversion from string: netip.ParsePrefix("1.2.3.4"): no \'/\'',
    ],
    [
      "cidr('1.2.3/8')",
      'network address parse error during conversion from string: network address parse error during conversion from string: netip.ParsePrefix("1.2.3/8"): ParseAddr("1.2.3"): IPv4 address too short',
    ],
    [
      "cidr('::ffff:1.2.3.4/120')",
      'network address parse error during conversion from string: IPv4-mapped IPv6 address "::ffff:1.2.3.4/120" is not allowed',
    ],
  ])('%s is an error', (expr, message) => {
    expect(() => run(expr)).toThrow(message);
  });
});
