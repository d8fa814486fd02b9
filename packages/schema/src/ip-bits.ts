/**
 * IP addresses as bits, with the address classes and text form that Go gives them. Our
 * own code, because node has neither Go's address classes nor its RFC 5952 printing; CEL's
 * `ip` library (netip) and MemoryApiServer's checks of API fields (`net.IP`) share it. Go's
 * two packages agree on the classes of the addresses CEL's library accepts; an IPv4-mapped
 * address (which only `net.IP` takes) is judged as its IPv4 address, as `net.IP` does.
 */

/** The bits of a dotted quad (parts may have leading zeros, read as decimal as Go's sloppy parser does). */
export function ipv4Bits(text: string): bigint {
  return text.split('.').reduce((acc, octet) => (acc << 8n) | BigInt(Number(octet)), 0n);
}

/** The bits of an IPv6 address node's `isIP` accepts (without a zone), a dotted-quad tail included. */
export function ipv6Bits(text: string): bigint {
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

/** Whether IPv6 bits are an IPv4-mapped address (`::ffff:a.b.c.d`). */
export function isIpv4Mapped(bits: bigint): boolean {
  return bits >> 32n === 0xffffn;
}

/** IPv6 bits as RFC 5952 writes them (Go's text of an IPv6 address): the longest run of zero groups as `::`. */
export function ipv6Text(bits: bigint): string {
  const groups = Array.from({ length: 8 }, (_, i) =>
    Number((bits >> BigInt(112 - 16 * i)) & 0xffffn),
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

/** An IP address as bits: 32 of them for IPv4, 128 for IPv6. */
export interface IpBits {
  readonly family: 4 | 6;
  readonly bits: bigint;
}

/** Whether an address of `family` lies in `prefix`/`length` (bits of the same family). */
export function ipWithin(family: 4 | 6, bits: bigint, prefix: bigint, length: number): boolean {
  const shift = BigInt((family === 4 ? 32 : 128) - length);
  return bits >> shift === prefix >> shift;
}

/** An IPv4-mapped IPv6 address as its IPv4 address (Go judges its class so); others as they are. */
function unmapped(ip: IpBits): IpBits {
  return ip.family === 6 && isIpv4Mapped(ip.bits) ? { family: 4, bits: ip.bits & 0xffffffffn } : ip;
}

/** Whether the address is in the IPv4 or the IPv6 range (an IPv4-mapped address as IPv4). */
function inRange(
  ip: IpBits,
  v4: readonly [string, number],
  v6: readonly [string, number],
): boolean {
  const { family, bits } = unmapped(ip);
  return family === 4
    ? ipWithin(4, bits, ipv4Bits(v4[0]), v4[1])
    : ipWithin(6, bits, ipv6Bits(v6[0]), v6[1]);
}

/** Go's `IsUnspecified`: 0.0.0.0 or `::`. */
export function isUnspecifiedIp(ip: IpBits): boolean {
  return unmapped(ip).bits === 0n;
}

/** Go's `IsLoopback`: 127.0.0.0/8 or ::1. */
export function isLoopbackIp(ip: IpBits): boolean {
  return inRange(ip, ['127.0.0.0', 8], ['::1', 128]);
}

/** Go's `IsMulticast`: 224.0.0.0/4 or ff00::/8. */
export function isMulticastIp(ip: IpBits): boolean {
  return inRange(ip, ['224.0.0.0', 4], ['ff00::', 8]);
}

/** Go's `IsLinkLocalUnicast`: 169.254.0.0/16 or fe80::/10. */
export function isLinkLocalUnicastIp(ip: IpBits): boolean {
  return inRange(ip, ['169.254.0.0', 16], ['fe80::', 10]);
}

/** Go's `IsLinkLocalMulticast`: 224.0.0.0/24, or ff02::/16 with any flags (ffX2::). */
export function isLinkLocalMulticastIp(ip: IpBits): boolean {
  const { family, bits } = unmapped(ip);
  if (family === 4) return ipWithin(4, bits, ipv4Bits('224.0.0.0'), 24);
  return ((bits >> 112n) & 0xff0fn) === 0xff02n;
}

/**
 * Go's `IsGlobalUnicast`: none of unspecified, loopback, multicast, link-local unicast nor
 * 255.255.255.255.
 */
export function isGlobalUnicastIp(ip: IpBits): boolean {
  const v = unmapped(ip);
  if (v.family === 4 && v.bits === 0xffffffffn) return false;
  return !(isUnspecifiedIp(v) || isLoopbackIp(v) || isMulticastIp(v) || isLinkLocalUnicastIp(v));
}
