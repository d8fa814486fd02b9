/**
 * CIDR values of the "legacy" fields (a NetworkPolicy's `ipBlock`), checked as
 * kube-apiserver 1.36 checks them with `StrictIPCIDRValidation` on (own code: Go's sloppy
 * CIDR parser first, then `netip.ParsePrefix`'s stricter reading, each with the server's
 * message).
 */
import { isIPv4 } from 'node:net';
import { ipv6Bits, ipv6Text, ipWithin, isIpv4Mapped } from '@kube-ts/schema/validation';
import { sloppyBits } from './ip-addresses.js';

/** A parsed CIDR: the address as an integer of `bits` bits, and the prefix length. */
export interface Cidr {
  address: bigint;
  bits: 32 | 128;
  prefix: number;
}

const NOT_A_CIDR = 'must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)';

/** The integer of an address Go's sloppy parser reads (IPv4 parts may have leading zeros). */
export function sloppyAddress(ip: string): { address: bigint; bits: 32 | 128 } | undefined {
  const b = sloppyBits(ip);
  return b && { address: b.bits, bits: b.family === 4 ? 32 : 128 };
}

/** Parses a CIDR as Go's `ParseCIDRSloppy` does; undefined when it refuses it. */
export function parseCidr(value: string): Cidr | undefined {
  const slash = value.indexOf('/');
  if (slash < 0) return undefined;
  const ip = sloppyAddress(value.slice(0, slash));
  const length = value.slice(slash + 1);
  if (!ip || !/^\d{1,5}$/.test(length) || Number(length) > ip.bits) return undefined;
  return { ...ip, prefix: Number(length) };
}

/** The network address of a CIDR (its bits beyond the prefix cleared). */
export function networkOf(c: Cidr): bigint {
  const host = BigInt(c.bits - c.prefix);
  return (c.address >> host) << host;
}

/** The text of an address integer of `bits` bits, as Go writes it (IPv6 in RFC 5952 form). */
export function addressText(n: bigint, bits: 32 | 128): string {
  if (bits === 128) return ipv6Text(n);
  return [24n, 16n, 8n, 0n].map((s) => String((n >> s) & 255n)).join('.');
}

/** Whether `outer` holds the address `address` of the same family. */
export function cidrContains(outer: Cidr, address: bigint, bits: number): boolean {
  if (outer.bits !== bits) return false;
  return ipWithin(bits === 32 ? 4 : 6, address, outer.address, outer.prefix);
}

/** The messages of one CIDR value (empty when valid). */
export function cidrErrors(value: string): string[] {
  const c = parseCidr(value);
  if (!c) return [NOT_A_CIDR];
  const [ip = '', length = ''] = value.split('/');
  if ((c.bits === 32 && !isIPv4(ip)) || (length.length > 1 && length.startsWith('0')))
    return ['must not have leading 0s in IP or prefix length'];
  if (c.bits === 128 && isIpv4Mapped(ipv6Bits(ip)))
    return ['must not have an IPv4-mapped IPv6 address'];
  return networkOf(c) === c.address ? [] : ['must not have bits set beyond the prefix length'];
}
