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
  ])('%s is %s', (expr, want) => {
    expect(run(expr)).toBe(want);
  });

  test('ip() and cidr() of a bad text are errors', () => {
    expect(() => run("ip('1.2.3')")).toThrow(
      'IP Address "1.2.3" parse error during conversion from string',
    );
    expect(() => run("cidr('1.2.3.4/40')")).toThrow('prefix length out of range');
  });
});
