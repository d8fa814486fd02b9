/**
 * A Service's `externalIPs`, checked as kube-apiserver 1.36 checks new ones (own code:
 * Go's sloppy IP parser, then the strict checks of `StrictIPCIDRValidation` and the
 * special ranges of `ValidateEndpointIP`, each with the server's message).
 */
import { isIPv4, isIPv6 } from 'node:net';
import type { StatusCause } from '../errors.js';
import type { Json } from '../json.js';
import { invalidValue } from '../validation.js';

const NOT_AN_IP = 'must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)';

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

/** What Go's `net.IP` methods say of an address: which special range holds it, if any. */
function specialRange(ip: string): string | undefined {
  if (isIPv4(ip)) {
    const [a, b, c] = ip.split('.').map(Number) as [number, number, number];
    if (ip === '0.0.0.0') return `may not be unspecified (${ip})`;
    if (a === 127) return 'may not be in the loopback range (127.0.0.0/8, ::1/128)';
    if (a === 169 && b === 254) {
      return 'may not be in the link-local range (169.254.0.0/16, fe80::/10)';
    }
    if (a === 224 && b === 0 && c === 0) {
      return 'may not be in the link-local multicast range (224.0.0.0/24, ff02::/10)';
    }
    return undefined;
  }
  const g = ipv6Groups(ip);
  if (g.every((x) => x === 0)) return `may not be unspecified (${ip})`;
  if (g.slice(0, 7).every((x) => x === 0) && g[7] === 1) {
    return 'may not be in the loopback range (127.0.0.0/8, ::1/128)';
  }
  const first = g[0] ?? 0;
  if ((first & 0xffc0) === 0xfe80) {
    return 'may not be in the link-local range (169.254.0.0/16, fe80::/10)';
  }
  if ((first & 0xff0f) === 0xff02) {
    return 'may not be in the link-local multicast range (224.0.0.0/24, ff02::/10)';
  }
  return undefined;
}

/**
 * The causes of an IP in a legacy field (`IsValidIPForLegacyField` with the strict checks
 * of `StrictIPCIDRValidation`, on by default in 1.36): Go's sloppy parse, no leading zeros,
 * no IPv4-mapped IPv6 (empty when valid).
 */
export function legacyIPCauses(field: string, value: string): StatusCause[] {
  // Go's sloppy parser takes IPv4 parts with leading zeros as decimal; the strict check
  // then refuses them.
  const sloppy = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(value);
  if (sloppy && !isIPv4(value) && sloppy.slice(1).every((p) => Number(p) <= 255)) {
    return [invalidValue(field, value, 'must not have leading 0s')];
  }
  if (!isIPv4(value) && !isIPv6(value)) return [invalidValue(field, value, NOT_AN_IP)];
  if (isIPv6(value)) {
    const g = ipv6Groups(value);
    if (g.slice(0, 5).every((x) => x === 0) && g[5] === 0xffff) {
      return [invalidValue(field, value, 'must not be an IPv4-mapped IPv6 address')];
    }
  }
  return [];
}

/** The causes of one external IP at `field`: a legacy IP outside the special ranges. */
export function externalIPCauses(field: string, value: string): StatusCause[] {
  const causes = legacyIPCauses(field, value);
  if (causes.length) return causes;
  const special = specialRange(value);
  return special ? [invalidValue(field, value, special)] : [];
}

/**
 * The causes of `spec.externalIPs` (kube-apiserver skips values the stored Service already
 * had; here every value passed the same checks when it was stored, so all are checked).
 */
export function externalIPsCauses(ips: Json | undefined): StatusCause[] {
  if (!Array.isArray(ips)) return [];
  return ips.flatMap((ip, i) => externalIPCauses(`spec.externalIPs[${i}]`, String(ip)));
}
