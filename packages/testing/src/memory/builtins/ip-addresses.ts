/**
 * IP address values as kube-apiserver 1.36 reads and checks them (own code, for the
 * server's messages): Go's sloppy parser (`ParseIPSloppy`: IPv4 parts may have leading
 * zeros), the stricter reading of `StrictIPCIDRValidation` (on by default in 1.36) for
 * "legacy" fields, `IsValidIP` for new fields (canonical form), the special ranges of
 * `ValidateEndpointIP`, and the warnings of `GetWarningsForIP`.
 */
import { isIPv4, isIPv6 } from 'node:net';
import {
  type IpBits,
  ipv6Bits,
  ipv6Text,
  isGlobalUnicastIp,
  isIpv4Mapped,
  isLinkLocalMulticastIp,
  isLinkLocalUnicastIp,
  isLoopbackIp,
  isUnspecifiedIp,
} from '@kube-ts/schema/validation';
import type { StatusCause } from '../errors.js';
import { invalidValue } from '../validation.js';

const NOT_AN_IP = 'must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)';
const SLOPPY_V4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/;

/** The four parts of an IPv4 address Go's sloppy parser reads (leading zeros allowed). */
export function sloppyV4(ip: string): number[] | undefined {
  const m = SLOPPY_V4.exec(ip);
  const parts = m?.slice(1).map(Number);
  return parts?.every((p) => p <= 255) ? parts : undefined;
}

/** Whether Go's `ParseIPSloppy` reads `ip` as an address. */
export function isSloppyIP(ip: string): boolean {
  return sloppyV4(ip) !== undefined || (isIPv6(ip) && !ip.includes('%'));
}

/** The address Go's `ParseIPSloppy` reads from `ip`, as bits (undefined when it reads none). */
export function sloppyBits(ip: string): IpBits | undefined {
  const v4 = sloppyV4(ip);
  if (v4) return { family: 4, bits: v4.reduce((a, p) => (a << 8n) | BigInt(p), 0n) };
  return isIPv6(ip) && !ip.includes('%') ? { family: 6, bits: ipv6Bits(ip) } : undefined;
}

/** The IPv4 parts of an address Go reads as IPv4 (a mapped IPv6 address included). */
function v4Parts(ip: string): number[] | undefined {
  const b = sloppyBits(ip);
  if (!b || (b.family === 6 && !isIpv4Mapped(b.bits))) return undefined;
  return [24n, 16n, 8n, 0n].map((s) => Number((b.bits >> s) & 255n));
}

/** Go's `net.IP.String()` of a sloppily parsed address: IPv6 as RFC 5952 writes it. */
export function canonicalIP(ip: string): string {
  const v4 = v4Parts(ip);
  return v4 ? v4.join('.') : ipv6Text(ipv6Bits(ip));
}

/**
 * The causes of an IP in a legacy field (`IsValidIPForLegacyField` with the strict checks
 * of `StrictIPCIDRValidation`): Go's sloppy parse, no leading zeros, no IPv4-mapped IPv6
 * (empty when valid).
 */
export function legacyIPCauses(field: string, value: string): StatusCause[] {
  if (!isSloppyIP(value)) return [invalidValue(field, value, NOT_AN_IP)];
  // Go's sloppy parser takes IPv4 parts with leading zeros as decimal; the strict check
  // then refuses them.
  if (!isIPv6(value) && !isIPv4(value)) {
    return [invalidValue(field, value, 'must not have leading 0s')];
  }
  if (isIPv6(value) && isIpv4Mapped(ipv6Bits(value))) {
    return [invalidValue(field, value, 'must not be an IPv4-mapped IPv6 address')];
  }
  return [];
}

/** The causes of an IP in a new field (`IsValidIP`): a legacy IP in canonical form. */
export function strictIPCauses(field: string, value: string): StatusCause[] {
  const causes = legacyIPCauses(field, value);
  if (causes.length) return causes;
  const canonical = canonicalIP(value);
  return canonical === value
    ? []
    : [invalidValue(field, value, `must be in canonical form (${JSON.stringify(canonical)})`)];
}

/** Whether Go reads the address as IPv4 (`netutils.IsIPv4String`). */
export function isIPv4Address(ip: string): boolean {
  return isSloppyIP(ip) && v4Parts(ip) !== undefined;
}

/** Go's `net.IP.IsGlobalUnicast` of the address `ParseIPSloppy` reads (`false` when it reads none). */
export function isGlobalUnicastIP(ip: string): boolean {
  const b = sloppyBits(ip);
  return b !== undefined && isGlobalUnicastIp(b);
}

/**
 * `ValidateEndpointIP`'s messages (Endpoints and EndpointSlice addresses, external IPs):
 * an address Go parses, not unspecified, loopback, link-local or link-local multicast.
 */
export function endpointIPErrors(ip: string): string[] {
  const b = sloppyBits(ip);
  if (!b) return ['must be a valid IP address'];
  if (isUnspecifiedIp(b)) return [`may not be unspecified (${ip})`];
  if (isLoopbackIp(b)) return ['may not be in the loopback range (127.0.0.0/8, ::1/128)'];
  if (isLinkLocalUnicastIp(b)) {
    return ['may not be in the link-local range (169.254.0.0/16, fe80::/10)'];
  }
  if (isLinkLocalMulticastIp(b)) {
    return ['may not be in the link-local multicast range (224.0.0.0/24, ff02::/10)'];
  }
  return [];
}

/** `ValidateEndpointIP`'s causes at `field`. */
export function endpointIPCauses(field: string, ip: string): StatusCause[] {
  return endpointIPErrors(ip).map((why) => invalidValue(field, ip, why));
}

/**
 * `GetWarningsForIP`: the warning for an address a legacy field accepted that is not in
 * the form the server would write (`path` as Go prints a field path).
 */
export function ipWarnings(path: string, ip: string): string[] {
  if (!isSloppyIP(ip)) return [];
  const canonical = canonicalIP(ip);
  if (legacyIPCauses(path, ip).length) {
    return [
      `${path}: non-standard IP address ${JSON.stringify(ip)} is invalid: use "${canonical}"`,
    ];
  }
  if (isIPv6(ip) && canonical !== ip) {
    return [
      `${path}: IPv6 address ${JSON.stringify(ip)} should be in RFC 5952 canonical format ("${canonical}")`,
    ];
  }
  return [];
}
