/**
 * Kubernetes' CEL `ip` and `cidr` libraries: `isIP`, `ip(…)`, `string(ip)`,
 * `ip.isCanonical`, `family()`, `isUnspecified()`, `isLoopback()`,
 * `isLinkLocalMulticast()`, `isLinkLocalUnicast()`, `isGlobalUnicast()`; `isCIDR`,
 * `cidr(…)`, `string(cidr)`, `containsIP(…)`, `containsCIDR(…)`, `ip()`, `masked()`,
 * `prefixLength()`. Written here because the library's answers are those of Go's
 * `net/netip` (which node has no equivalent of): an address is parsed as `netip.ParseAddr`
 * does (no leading zeros, no zones, no IPv4-mapped IPv6 addresses, which the library
 * refuses), held as its bits and printed in netip's canonical form (RFC 5952).
 */
import { isIP } from 'node:net';
import type { Environment } from '@marcbachmann/cel-js';
import { goQuote } from '../go-format.js';
import { netipParseError } from '../go-netip.js';
import {
  ipv4Bits,
  ipv6Bits,
  ipv6Text,
  ipWithin,
  isGlobalUnicastIp,
  isIpv4Mapped,
  isLinkLocalMulticastIp,
  isLinkLocalUnicastIp,
  isLoopbackIp,
  isUnspecifiedIp,
} from '../ip-bits.js';

/** An IP address as the library holds it: its family and its bits. */
export class CelIp {
  constructor(
    readonly family: 4 | 6,
    readonly bits: bigint,
  ) {}

  /** netip's `Addr.String()`: dotted quad, or RFC 5952 hex groups. */
  toString(): string {
    if (this.family === 6) return ipv6Text(this.bits);
    return [24n, 16n, 8n, 0n].map((s) => String((this.bits >> s) & 255n)).join('.');
  }

  /** Whether the address lies in `prefix`/`length` (of its own family). */
  within(prefix: bigint, length: number): boolean {
    return ipWithin(this.family, this.bits, prefix, length);
  }
}

/** A CIDR prefix as the library holds it: the address as written, and the prefix length. */
export class CelCidr {
  constructor(
    readonly ip: CelIp,
    readonly prefix: number,
  ) {}

  /** netip's `Prefix.String()`. */
  toString(): string {
    return `${this.ip}/${this.prefix}`;
  }

  /** netip's `Prefix.Masked()`: the bits after the prefix cleared. */
  masked(): CelCidr {
    const width = this.ip.family === 4 ? 32 : 128;
    const shift = BigInt(width - this.prefix);
    return new CelCidr(new CelIp(this.ip.family, (this.ip.bits >> shift) << shift), this.prefix);
  }
}

/** netip.ParseAddr's error for a text Node's `isIP` refused. */
function addrError(text: string): string {
  return netipParseError(text) ?? `ParseAddr(${goQuote(text)}): unable to parse IP`;
}

/** The address `text` is, or why it is none for the library (netip's and the library's words). */
function parseAddr(text: string): CelIp | string {
  const family = isIP(text);
  if (family === 0) {
    return `IP Address ${JSON.stringify(text)} parse error during conversion from string: ${addrError(text)}`;
  }
  if (text.includes('%'))
    return `IP address ${JSON.stringify(text)} with zone value is not allowed`;
  if (family === 4) return new CelIp(4, ipv4Bits(text));
  const bits = ipv6Bits(text);
  if (isIpv4Mapped(bits)) {
    return `IPv4-mapped IPv6 address ${JSON.stringify(text)} is not allowed`;
  }
  return new CelIp(6, bits);
}

function parseIp(text: string): CelIp {
  const ip = parseAddr(text);
  if (typeof ip === 'string') throw new Error(ip);
  return ip;
}

const CIDR_ERROR = 'network address parse error during conversion from string';

/**
 * The prefix `text` is, or why it is none: netip.ParsePrefix's words, which the library
 * wraps twice in its own.
 */
function parseCidr(text: string): CelCidr | string {
  const slash = text.lastIndexOf('/');
  const fail = (why: string) =>
    `${CIDR_ERROR}: ${CIDR_ERROR}: netip.ParsePrefix(${JSON.stringify(text)}): ${why}`;
  if (slash < 0) return fail("no '/'");
  const address = text.slice(0, slash);
  const bits = text.slice(slash + 1);
  if (isIP(address) === 0) return fail(addrError(address));
  if (address.includes('%')) return fail('IPv6 zones cannot be present in a prefix');
  if (!/^(0|[1-9][0-9]*)$/.test(bits)) return fail(`bad bits after slash: ${JSON.stringify(bits)}`);
  const ip = parseAddr(address);
  if (typeof ip === 'string') {
    return `${CIDR_ERROR}: IPv4-mapped IPv6 address ${JSON.stringify(text)} is not allowed`;
  }
  const prefix = Number(bits);
  if (prefix > (ip.family === 4 ? 32 : 128)) return fail('prefix length out of range');
  return new CelCidr(ip, prefix);
}

function toCidr(text: string): CelCidr {
  const c = parseCidr(text);
  if (typeof c === 'string') throw new Error(c);
  return c;
}

function containsIp(c: CelCidr, ip: CelIp): boolean {
  return c.ip.family === ip.family && ip.within(c.ip.bits, c.prefix);
}

/** The library's `containsCIDR`: `other` is `c` or a narrower prefix inside it. */
function containsCidr(c: CelCidr, other: CelCidr): boolean {
  return c.ip.family === other.ip.family && c.prefix <= other.prefix && containsIp(c, other.ip);
}

/** Adds the `ip` and `cidr` functions to `env`. */
export function addIp(env: Environment): Environment {
  const IP = 'net.IP';
  const CIDR = 'net.CIDR';
  const LIB = 'kubernetes.net.ip';
  return env
    .registerType(IP, CelIp)
    .registerType(CIDR, CelCidr)
    .registerType(LIB, IpLibrary)
    .registerOperator(`${IP} == ${IP}`, (a: CelIp, b: CelIp) => sameIp(a, b))
    .registerOperator(
      `${CIDR} == ${CIDR}`,
      (a: CelCidr, b: CelCidr) => a.prefix === b.prefix && sameIp(a.ip, b.ip),
    )
    .registerFunction(`ip(string): ${IP}`, parseIp)
    .registerFunction('isIP(string): bool', (s: string) => typeof parseAddr(s) !== 'string')
    .registerFunction(`string(${IP}): string`, (ip: CelIp) => ip.toString())
    .registerConstant('ip', LIB, new IpLibrary())
    .registerFunction(
      `${LIB}.isCanonical(string): bool`,
      (_: IpLibrary, s: string) => parseIp(s).toString() === s,
    )
    .registerFunction(`${IP}.family(): int`, (ip: CelIp) => BigInt(ip.family))
    .registerFunction(`${IP}.isUnspecified(): bool`, isUnspecifiedIp)
    .registerFunction(`${IP}.isLoopback(): bool`, isLoopbackIp)
    .registerFunction(`${IP}.isLinkLocalMulticast(): bool`, isLinkLocalMulticastIp)
    .registerFunction(`${IP}.isLinkLocalUnicast(): bool`, isLinkLocalUnicastIp)
    .registerFunction(`${IP}.isGlobalUnicast(): bool`, isGlobalUnicastIp)
    .registerFunction(`cidr(string): ${CIDR}`, toCidr)
    .registerFunction('isCIDR(string): bool', (s: string) => typeof parseCidr(s) !== 'string')
    .registerFunction(`string(${CIDR}): string`, (c: CelCidr) => c.toString())
    .registerFunction(`${CIDR}.containsIP(${IP}): bool`, containsIp)
    .registerFunction(`${CIDR}.containsIP(string): bool`, (c: CelCidr, s: string) =>
      containsIp(c, parseIp(s)),
    )
    .registerFunction(`${CIDR}.containsCIDR(${CIDR}): bool`, containsCidr)
    .registerFunction(`${CIDR}.containsCIDR(string): bool`, (c: CelCidr, s: string) =>
      containsCidr(c, toCidr(s)),
    )
    .registerFunction(`${CIDR}.prefixLength(): int`, (c: CelCidr) => BigInt(c.prefix))
    .registerFunction(`${CIDR}.ip(): ${IP}`, (c: CelCidr) => c.ip)
    .registerFunction(`${CIDR}.masked(): ${CIDR}`, (c: CelCidr) => c.masked());
}

/** The receiver of `ip.isCanonical(…)` (cel-js reads `ip.f(…)` as a method on a value). */
class IpLibrary {}

function sameIp(a: CelIp, b: CelIp): boolean {
  return a.family === b.family && a.bits === b.bits;
}
