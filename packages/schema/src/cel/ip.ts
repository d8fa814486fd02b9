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

/** An IP address as the library holds it: its family and its bits. */
export class CelIp {
  constructor(
    readonly family: 4 | 6,
    readonly bits: bigint,
  ) {}

  /** netip's `Addr.String()`: dotted quad, or RFC 5952 hex groups. */
  toString(): string {
    if (this.family === 4) {
      return [24n, 16n, 8n, 0n].map((s) => String((this.bits >> s) & 255n)).join('.');
    }
    const groups = Array.from({ length: 8 }, (_, i) =>
      Number((this.bits >> BigInt(112 - 16 * i)) & 0xffffn),
    );
    // The longest run of two or more zero groups (the first of equal ones) becomes `::`.
    let best = -1;
    let bestLength = 1;
    for (let i = 0; i < 8; ) {
      let j = i;
      while (j < 8 && groups[j] === 0) j++;
      if (j - i > bestLength) [best, bestLength] = [i, j - i];
      i = j === i ? i + 1 : j;
    }
    const hex = (g: number[]) => g.map((x) => x.toString(16)).join(':');
    if (best < 0) return hex(groups);
    return `${hex(groups.slice(0, best))}::${hex(groups.slice(best + bestLength))}`;
  }

  /** Whether the address lies in `prefix`/`length` (of its own family). */
  within(prefix: bigint, length: number): boolean {
    const width = this.family === 4 ? 32 : 128;
    const shift = BigInt(width - length);
    return this.bits >> shift === prefix >> shift;
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

function ipv4Bits(text: string): bigint {
  return text.split('.').reduce((acc, octet) => (acc << 8n) | BigInt(octet), 0n);
}

/** The bits of an address node's `isIP` accepted as IPv6 (without a zone). */
function ipv6Bits(text: string): bigint {
  // A trailing dotted quad is the last two groups.
  const hex = text.replace(/(\d+)\.(\d+)\.(\d+)\.(\d+)$/, (quad) => {
    const v4 = ipv4Bits(quad);
    return `${(v4 >> 16n).toString(16)}:${(v4 & 0xffffn).toString(16)}`;
  });
  const groups = (s: string) => (s === '' ? [] : s.split(':').map((g) => BigInt(`0x${g}`)));
  const [head = '', rest] = hex.split('::');
  const left = groups(head);
  const right = rest === undefined ? [] : groups(rest);
  const all = [...left, ...Array(8 - left.length - right.length).fill(0n), ...right];
  return all.reduce((acc, g) => (acc << 16n) | g, 0n);
}

const IPV4_MAPPED = 0xffffn << 32n;

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
  if (bits >> 32n === IPV4_MAPPED >> 32n) {
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

const is =
  (v4: [bigint, number][], v6: [bigint, number][]) =>
  (ip: CelIp): boolean =>
    (ip.family === 4 ? v4 : v6).some(([prefix, length]) => ip.within(prefix, length));

const V4 = (text: string, length: number): [bigint, number] => [ipv4Bits(text), length];
const V6 = (text: string, length: number): [bigint, number] => [ipv6Bits(text), length];

/** netip's `IsLinkLocalMulticast`: 224.0.0.0/24, or ff02::/16 with any flags (ffX2::). */
function isLinkLocalMulticast(ip: CelIp): boolean {
  if (ip.family === 4) return ip.within(ipv4Bits('224.0.0.0'), 24);
  return ((ip.bits >> 112n) & 0xff0fn) === 0xff02n;
}

/** netip's `IsGlobalUnicast`: none of the special addresses below, nor 255.255.255.255. */
function isGlobalUnicast(ip: CelIp): boolean {
  if (ip.family === 4 && ip.bits === 0xffffffffn) return false;
  return !(
    ip.bits === 0n ||
    is([V4('127.0.0.0', 8)], [V6('::1', 128)])(ip) ||
    is([V4('224.0.0.0', 4)], [V6('ff00::', 8)])(ip) ||
    is([V4('169.254.0.0', 16)], [V6('fe80::', 10)])(ip)
  );
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
    .registerFunction(`${IP}.isUnspecified(): bool`, (ip: CelIp) => ip.bits === 0n)
    .registerFunction(`${IP}.isLoopback(): bool`, is([V4('127.0.0.0', 8)], [V6('::1', 128)]))
    .registerFunction(`${IP}.isLinkLocalMulticast(): bool`, isLinkLocalMulticast)
    .registerFunction(
      `${IP}.isLinkLocalUnicast(): bool`,
      is([V4('169.254.0.0', 16)], [V6('fe80::', 10)]),
    )
    .registerFunction(`${IP}.isGlobalUnicast(): bool`, isGlobalUnicast)
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
