import { HttpStatusError, invalid } from '../errors.js';
import { isObject, type JsonObject } from '../json.js';
import { metaOf } from '../object-meta.js';
import type { ApiState } from '../state.js';
import { invalidValue } from '../validation.js';
import { addressText, type Cidr, cidrContains, networkOf, sloppyAddress } from './cidr.js';
import { IP_ADDRESSES } from './ip-address.js';
import { canonicalIP } from './ip-addresses.js';
import { serviceRanges } from './service-cidr.js';
import { initIPFamilies } from './service-ip-families.js';
import { allocateNodePorts, heldNodePorts } from './service-node-ports.js';

/** Whether a Service gets a cluster IP (even `None`). */
export const needsClusterIP = (spec: JsonObject) => spec.type !== 'ExternalName';

const specOf = (obj: JsonObject | undefined): JsonObject =>
  obj && isObject(obj.spec) ? obj.spec : {};

/** Whether an address is held: an IPAddress object names it (whoever wrote it). */
const allocated = (s: ApiState, ip: string) => s.storage.get(IP_ADDRESSES, ip) !== undefined;

/** The addresses of a range that may be allocated: not its network or IPv4 broadcast. */
export function hostBounds(c: Cidr): [bigint, bigint] {
  const first = networkOf(c) + 1n;
  const broadcast = networkOf(c) + (1n << BigInt(c.bits - c.prefix)) - 1n;
  return [first, c.bits === 32 ? broadcast - 1n : broadcast];
}

/**
 * Why a requested cluster IP cannot be had, in the allocators' words, or undefined: no
 * ready ServiceCIDR holds it (a range's network address and IPv4 broadcast address are
 * not held by it), or an IPAddress already names it.
 */
function refusal(s: ApiState, ip: string): string | undefined {
  const parsed = sloppyAddress(ip);
  const held = (c: Cidr) => {
    const [first, last] = hostBounds(c);
    return (
      parsed !== undefined &&
      cidrContains(c, parsed.address, parsed.bits) &&
      parsed.address >= first &&
      parsed.address <= last
    );
  };
  if (!serviceRanges(s).some(held)) {
    return 'the provided network does not match the current range';
  }
  return allocated(s, canonicalIP(ip)) ? 'provided IP is already allocated' : undefined;
}

/** The first free address from a random one of `from`..`to`, wrapping around. */
function freeIn(s: ApiState, from: bigint, to: bigint, bits: 32 | 128): string | undefined {
  if (to < from) return undefined;
  const size = to - from + 1n;
  const start = BigInt(Math.floor(Math.random() * Number(size)));
  for (let i = 0n; i < size; i++) {
    const ip = addressText(from + ((start + i) % size), bits);
    if (!allocated(s, ip)) return ip;
  }
  return undefined;
}

/**
 * A free IPv4 address of a ready ServiceCIDR as kube-apiserver's allocator picks one: at
 * random in the upper part of the range first (KEP-3070 keeps the lower part, 16 to 256
 * addresses, for static IPs), then in the lower part; its 500 when every range is full.
 */
function nextIP(s: ApiState, name: string): string {
  for (const cidr of serviceRanges(s)) {
    if (cidr.bits !== 32) continue;
    const [first, last] = hostBounds(cidr);
    const size = 1n << BigInt(cidr.bits - cidr.prefix);
    const offset =
      size <= 16n ? 0n : size / 16n < 16n ? 16n : size / 16n > 256n ? 256n : size / 16n;
    const ip =
      freeIn(s, first + offset, last, cidr.bits) ??
      freeIn(s, first, first + offset - 1n, cidr.bits);
    if (ip) return ip;
  }
  throw new HttpStatusError(
    500,
    'InternalError',
    `Internal error occurred: failed to allocate a serviceIP for Service "${name}": range is full`,
  );
}

/**
 * Reserves a Service's cluster IP and node ports as kube-apiserver's allocators do before
 * validation (its BeginCreate/BeginUpdate hooks): a requested IP must lie in a ready
 * ServiceCIDR and have no IPAddress yet, refused in the allocator's words; a missing one
 * is allocated. An update allocates cluster IPs only when the Service had none (it was
 * an ExternalName): a changed one is left to validation (`may not change once set`). The
 * IPAddress objects that record cluster IPs are written once the Service is stored (see
 * service-ip-addresses.ts); node ports are read from the stored Services
 * (service-node-ports.ts; a dry run's new ones are placeholders).
 */
export function allocateServiceAddresses(
  s: ApiState,
  obj: JsonObject,
  prev: JsonObject | undefined,
  dryRun = false,
): void {
  const spec = specOf(obj);
  obj.spec = spec;
  const before = prev && specOf(prev);
  const name = String(metaOf(obj).name ?? '');
  // A write that names only `clusterIP` (an old client) gets `clusterIPs` from it.
  const ips = spec.clusterIPs;
  if (spec.clusterIP && (!Array.isArray(ips) || ips.length === 0)) {
    spec.clusterIPs = [spec.clusterIP];
  }
  initIPFamilies(spec, before, name);
  if (needsClusterIP(spec) && !(before && needsClusterIP(before))) {
    const ip = spec.clusterIP;
    if (ip === undefined || ip === null || ip === '') {
      spec.clusterIP = nextIP(s, name);
      spec.clusterIPs = [spec.clusterIP];
    } else if (typeof ip === 'string' && ip !== 'None') {
      const why = refusal(s, ip);
      if (why) {
        const cause = invalidValue(
          'spec.clusterIPs',
          spec.clusterIPs,
          `failed to allocate IP ${ip}: ${why}`,
        );
        throw invalid('Service', '', name, [cause]);
      }
    }
  }
  allocateNodePorts(spec, before, { used: heldNodePorts(s), taken: [], dryRun }, name);
}
