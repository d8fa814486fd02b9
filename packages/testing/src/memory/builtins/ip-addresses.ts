/**
 * IP address values as kube-apiserver 1.36 reads and checks them (own code, for the
 * server's messages): Go's sloppy parser (`ParseIPSloppy`: IPv4 parts may have leading
 * zeros), the stricter reading of `StrictIPCIDRValidation` (on by default in 1.36) for
 * "legacy" fields, `IsValidIP` for new fields (canonical form), the special ranges of
 * `ValidateEndpointIP`, and the warnings of `GetWarningsForIP`.
 */
import { isIPv4, isIPv6 } from 'node:net';
import type { StatusCause } from '../errors.js';
import { invalidValue } from '../validation.js';

const NOT_AN_IP = 'must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)';
const SLOPPY_V4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/;

/** The 16 bits groups of an IPv6 address (`isIPv6` true), an embedded IPv4 tail included. */
export function ipv6Groups(ip: string): number[] {
  let text = ip;
  const v4 = /(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(text);
  if (v4) {
    const [a, b, c, d] = v4.slice(1).map(Number) as [number, number, number, number];
    text = `${text.slice(0, v4.index)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const [head, tail] = text.split('::') as [string, string | undefined];
  const parse = (s: string) => (s ? s.split(':').map((g) => Number.parseInt(g, 16)) : []);
  const h = parse(head);
  const t = parse(tail ?? '');
  return tail === undefined ? h : [...h, ...new Array(8 - h.length - t.length).fill(0), ...t];
}

/** The four parts of an IPv4 address Go's sloppy parser reads (leading zeros allowed). */
export function sloppyV4(ip: string): number[] | undefined {
  const m = SLOPPY_V4.exec(ip);
  const parts = m?.slice(1).map(Number);
  return parts?.every((p) => p <= 255) ? parts : undefined;
}

/** Whether the groups of an IPv6 address are an IPv4-mapped address (`::ffff:a.b.c.d`). */
export function isMapped(groups: number[]): boolean {
  return groups.slice(0, 5).every((x) => x === 0) && groups[5] === 0xffff;
}

/** Whether Go's `ParseIPSloppy` reads `ip` as an address. */
export function isSloppyIP(ip: string): boolean {
  return sloppyV4(ip) !== undefined || (isIPv6(ip) && !ip.includes('%'));
}

/** The IPv4 parts of an address Go reads as IPv4 (a mapped IPv6 address included). */
function v4Parts(ip: string): number[] | undefined {
  const parts = sloppyV4(ip);
  if (parts) return parts;
  const g = ipv6Groups(ip);
  if (!isMapped(g)) return undefined;
  const [hi = 0, lo = 0] = g.slice(6);
  return [hi >> 8, hi & 255, lo >> 8, lo & 255];
}

/** Go's `net.IP.String()` of a sloppily parsed address: IPv6 as RFC 5952 writes it. */
export function canonicalIP(ip: string): string {
  const v4 = v4Parts(ip);
  if (v4) return v4.join('.');
  const g = ipv6Groups(ip);
  // The longest run of two or more zero groups (the first of equals) becomes `::`.
  let start = -1;
  let length = 0;
  for (let i = 0; i < 8; i++) {
    let j = i;
    while (j < 8 && g[j] === 0) j++;
    if (j - i > length && j - i >= 2) [start, length] = [i, j - i];
    i = j;
  }
  const hex = (xs: number[]) => xs.map((x) => x.toString(16)).join(':');
  return start < 0 ? hex(g) : `${hex(g.slice(0, start))}::${hex(g.slice(start + length))}`;
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
  if (isIPv6(value) && isMapped(ipv6Groups(value))) {
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

/**
 * Go's `net.IP.IsGlobalUnicast` of the address `ParseIPSloppy` reads (`false` when it reads
 * none): not unspecified, loopback, multicast, link-local unicast nor 255.255.255.255; an
 * IPv4-mapped IPv6 address is judged as IPv4.
 */
export function isGlobalUnicastIP(ip: string): boolean {
  if (!isSloppyIP(ip)) return false;
  const v4 = v4Parts(ip);
  if (v4) {
    const [a, b] = v4 as [number, number, number, number];
    const special =
      v4.every((p) => p === 0) ||
      v4.every((p) => p === 255) ||
      a === 127 ||
      (a >= 224 && a <= 239) ||
      (a === 169 && b === 254);
    return !special;
  }
  const g = ipv6Groups(ip);
  const first = g[0] ?? 0;
  const loopback = g.slice(0, 7).every((x) => x === 0) && g[7] === 1;
  return !(
    g.every((x) => x === 0) ||
    loopback ||
    first >> 8 === 0xff ||
    (first & 0xffc0) === 0xfe80
  );
}

/**
 * `ValidateEndpointIP`'s messages (Endpoints and EndpointSlice addresses, external IPs):
 * an address Go parses, not unspecified, loopback, link-local or link-local multicast.
 */
export function endpointIPErrors(ip: string): string[] {
  if (!isSloppyIP(ip)) return ['must be a valid IP address'];
  const v4 = v4Parts(ip);
  if (v4) {
    const [a, b, c] = v4 as [number, number, number, number];
    if (v4.every((p) => p === 0)) return [`may not be unspecified (${ip})`];
    if (a === 127) return ['may not be in the loopback range (127.0.0.0/8, ::1/128)'];
    if (a === 169 && b === 254) {
      return ['may not be in the link-local range (169.254.0.0/16, fe80::/10)'];
    }
    if (a === 224 && b === 0 && c === 0) {
      return ['may not be in the link-local multicast range (224.0.0.0/24, ff02::/10)'];
    }
    return [];
  }
  const g = ipv6Groups(ip);
  if (g.every((x) => x === 0)) return [`may not be unspecified (${ip})`];
  if (g.slice(0, 7).every((x) => x === 0) && g[7] === 1) {
    return ['may not be in the loopback range (127.0.0.0/8, ::1/128)'];
  }
  const first = g[0] ?? 0;
  if ((first & 0xffc0) === 0xfe80) {
    return ['may not be in the link-local range (169.254.0.0/16, fe80::/10)'];
  }
  if ((first & 0xff0f) === 0xff02) {
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
