/**
 * Kubernetes' CEL `ip` and `cidr` libraries (a subset): `isIP`, `ip(…)` with `family()`,
 * `isUnspecified()`, `isLoopback()`; `isCIDR`, `cidr(…)` with `containsIP(…)`,
 * `prefixLength()`. Parsing follows Go's netip as the library uses it (no leading zeros,
 * no zones, no IPv4-mapped IPv6 addresses); containment is node's `net.BlockList`.
 */
import { BlockList, isIP } from 'node:net';
import type { Environment } from '@marcbachmann/cel-js';

/** An IP address as the library holds it. */
export class CelIp {
  constructor(
    readonly text: string,
    readonly family: 4 | 6,
  ) {}
}

/** A CIDR prefix as the library holds it. */
export class CelCidr {
  constructor(
    readonly ip: CelIp,
    readonly prefix: number,
  ) {}
}

/** Why `text` is no IP address for the library, or its family. */
function ipFamily(text: string): 4 | 6 | string {
  if (text.includes('%')) return 'IP address with zone value is not allowed';
  const family = isIP(text);
  if (family === 0) return `ParseAddr(${JSON.stringify(text)}): unable to parse IP`;
  if (family === 6 && /^::ffff:[0-9.]+$/i.test(text)) {
    return 'IPv4-mapped IPv6 address is not allowed';
  }
  return family as 4 | 6;
}

function parseIp(text: string): CelIp {
  const f = ipFamily(text);
  if (typeof f === 'string') {
    throw new Error(
      `IP Address ${JSON.stringify(text)} parse error during conversion from string: ${f}`,
    );
  }
  return new CelIp(text, f);
}

function parseCidr(text: string): CelCidr | string {
  const slash = text.lastIndexOf('/');
  const ip = slash < 0 ? '' : text.slice(0, slash);
  const bits = slash < 0 ? '' : text.slice(slash + 1);
  const f = ipFamily(ip);
  if (typeof f === 'string' || !/^(0|[1-9][0-9]*)$/.test(bits)) {
    return `network address parse error during conversion from string: netip.ParsePrefix(${JSON.stringify(text)}): bad prefix`;
  }
  const prefix = Number(bits);
  if (prefix > (f === 4 ? 32 : 128)) {
    return `network address parse error during conversion from string: netip.ParsePrefix(${JSON.stringify(text)}): prefix length out of range`;
  }
  return new CelCidr(new CelIp(ip, f), prefix);
}

function toCidr(text: string): CelCidr {
  const c = parseCidr(text);
  if (typeof c === 'string') throw new Error(c);
  return c;
}

function contains(c: CelCidr, ip: CelIp): boolean {
  if (c.ip.family !== ip.family) return false;
  const type = c.ip.family === 4 ? 'ipv4' : 'ipv6';
  const list = new BlockList();
  list.addSubnet(c.ip.text, c.prefix, type);
  return list.check(ip.text, type);
}

const LOOPBACK = new BlockList();
LOOPBACK.addSubnet('127.0.0.0', 8, 'ipv4');
LOOPBACK.addAddress('::1', 'ipv6');
const UNSPECIFIED = new BlockList();
UNSPECIFIED.addAddress('0.0.0.0', 'ipv4');
UNSPECIFIED.addAddress('::', 'ipv6');

const inList = (list: BlockList) => (ip: CelIp) =>
  list.check(ip.text, ip.family === 4 ? 'ipv4' : 'ipv6');

/** Adds the `ip` and `cidr` functions to `env`. */
export function addIp(env: Environment): Environment {
  const IP = 'net.IP';
  const CIDR = 'net.CIDR';
  return env
    .registerType(IP, CelIp)
    .registerType(CIDR, CelCidr)
    .registerFunction(`ip(string): ${IP}`, parseIp)
    .registerFunction('isIP(string): bool', (s: string) => typeof ipFamily(s) !== 'string')
    .registerFunction(`${IP}.family(): int`, (ip: CelIp) => BigInt(ip.family))
    .registerFunction(`${IP}.isUnspecified(): bool`, inList(UNSPECIFIED))
    .registerFunction(`${IP}.isLoopback(): bool`, inList(LOOPBACK))
    .registerFunction(`cidr(string): ${CIDR}`, toCidr)
    .registerFunction('isCIDR(string): bool', (s: string) => typeof parseCidr(s) !== 'string')
    .registerFunction(`${CIDR}.containsIP(${IP}): bool`, contains)
    .registerFunction(`${CIDR}.containsIP(string): bool`, (c: CelCidr, s: string) =>
      contains(c, parseIp(s)),
    )
    .registerFunction(`${CIDR}.prefixLength(): int`, (c: CelCidr) => BigInt(c.prefix))
    .registerFunction(`${CIDR}.ip(): ${IP}`, (c: CelCidr) => c.ip);
}
