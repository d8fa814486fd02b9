import { HttpStatusError, invalid, type StatusCause } from '../errors.js';
import { isObject, type Json, type JsonObject } from '../json.js';
import { metaOf } from '../object-meta.js';
import type { ApiState } from '../state.js';
import { invalidValue } from '../validation.js';
import { addressText, type Cidr, cidrContains, networkOf, sloppyAddress } from './cidr.js';
import { IP_ADDRESSES } from './ip-address.js';
import { canonicalIP } from './ip-addresses.js';
import { serviceRanges } from './service-cidr.js';
import { initIPFamilies } from './service-ip-families.js';

/** kube-apiserver's default `--service-node-port-range`. */
const NODE_PORT_MIN = 30000;
const NODE_PORT_MAX = 32767;
const NODE_PORT_RANGE = `${NODE_PORT_MIN}-${NODE_PORT_MAX}`;

/** Whether a Service needs a health check node port (a LoadBalancer with `Local` traffic). */
export const needsHealthCheck = (spec: JsonObject) =>
  spec.type === 'LoadBalancer' && spec.externalTrafficPolicy === 'Local';

/** Service types that need a cluster IP (even `None`) and node ports. */
export const needsClusterIP = (spec: JsonObject) => spec.type !== 'ExternalName';
export const needsNodePorts = (spec: JsonObject) =>
  spec.type === 'NodePort' || spec.type === 'LoadBalancer';

const specOf = (obj: JsonObject | undefined): JsonObject =>
  obj && isObject(obj.spec) ? obj.spec : {};

/** The ports of a Service spec. */
export const portsOf = (spec: JsonObject): JsonObject[] =>
  Array.isArray(spec.ports) ? spec.ports.filter(isObject) : [];

/** The node ports a service holds (its ports' and its health check's). */
export function nodePortsOf(spec: JsonObject): number[] {
  const out = portsOf(spec)
    .map((p) => p.nodePort)
    .filter((n): n is number => typeof n === 'number' && n !== 0);
  if (typeof spec.healthCheckNodePort === 'number' && spec.healthCheckNodePort !== 0) {
    out.push(spec.healthCheckNodePort);
  }
  return out;
}

/** The node ports the other Services hold (kept in kube-apiserver's port bitmap). */
function takenPorts(s: ApiState, self: JsonObject): Set<number> {
  const me = `${String(metaOf(self).namespace ?? '')}/${String(metaOf(self).name ?? '')}`;
  const ports = new Set<number>();
  for (const [, svc] of s.storage.scan('services')) {
    const m = metaOf(svc);
    if (`${String(m.namespace ?? '')}/${String(m.name ?? '')}` === me) continue;
    for (const p of nodePortsOf(specOf(svc))) ports.add(p);
  }
  return ports;
}

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

function nextPort(used: Set<number>): number {
  const free: number[] = [];
  for (let p = NODE_PORT_MIN; p <= NODE_PORT_MAX; p++) if (!used.has(p)) free.push(p);
  const port = free[Math.floor(Math.random() * free.length)];
  if (port === undefined) {
    throw new HttpStatusError(
      500,
      'InternalError',
      'Internal error occurred: failed to allocate a nodePort: range is full',
    );
  }
  used.add(port);
  return port;
}

function refuse(name: string, cause: StatusCause): HttpStatusError {
  return invalid('Service', '', name, [cause]);
}

/**
 * Why a requested node port cannot be had, in the port allocator's words, or undefined.
 */
function portRefusal(port: number, used: Set<number>): string | undefined {
  if (port < NODE_PORT_MIN || port > NODE_PORT_MAX) {
    return `provided port is not in the valid range. The range of valid ports is ${NODE_PORT_RANGE}`;
  }
  return used.has(port) ? 'provided port is already allocated' : undefined;
}

/**
 * The health check node port of a LoadBalancer with `Local` traffic, when it starts to
 * need one (create, or an update into that case): the requested one if free, else any;
 * the allocator's refusal is kube-apiserver's 500.
 */
function allocateHealthCheck(spec: JsonObject, before: JsonObject, used: Set<number>): void {
  if (!needsHealthCheck(spec) || needsHealthCheck(before)) return;
  const asked = spec.healthCheckNodePort;
  if (typeof asked === 'number' && asked !== 0) {
    const why = portRefusal(asked, used);
    if (why) {
      throw new HttpStatusError(
        500,
        'InternalError',
        `Internal error occurred: failed to allocate requested HealthCheck NodePort ${asked}: ${why}`,
      );
    }
    used.add(asked);
    return;
  }
  spec.healthCheckNodePort = nextPort(used);
}

/**
 * Reserves a Service's cluster IP and node ports as kube-apiserver's allocators do before
 * validation (its BeginCreate/BeginUpdate hooks): a requested IP must lie in a ready ServiceCIDR and have no IPAddress yet, a
 * node port must be free among all Services, each refused in the allocator's words; a
 * missing one is allocated, and on update what the Service already held stays its own.
 * The IPAddress objects that record cluster IPs are written once the Service is stored
 * (see service-ip-addresses.ts); node ports are read from the stored Services.
 */
export function allocateServiceAddresses(
  s: ApiState,
  obj: JsonObject,
  prev: JsonObject | undefined,
): void {
  const spec = specOf(obj);
  obj.spec = spec;
  const before = specOf(prev);
  const name = String(metaOf(obj).name ?? '');
  const used = { ports: takenPorts(s, obj) };
  // A write that names only `clusterIP` (an old client) gets `clusterIPs` from it.
  const ips = spec.clusterIPs;
  if (spec.clusterIP && (!Array.isArray(ips) || ips.length === 0)) {
    spec.clusterIPs = [spec.clusterIP];
  }
  initIPFamilies(spec, prev && specOf(prev), name);
  if (needsClusterIP(spec)) {
    const ip = spec.clusterIP;
    if (ip === undefined || ip === null || ip === '') {
      spec.clusterIP = nextIP(s, name);
      spec.clusterIPs = [spec.clusterIP];
    }
    if (typeof ip === 'string' && ip !== '' && ip !== 'None' && ip !== before.clusterIP) {
      const why = refusal(s, ip);
      if (why) {
        throw refuse(
          name,
          invalidValue('spec.clusterIPs', spec.clusterIPs, `failed to allocate IP ${ip}: ${why}`),
        );
      }
    }
  }
  const held = new Set(nodePortsOf(before));
  const byPort = new Map<Json | undefined, number>();
  portsOf(spec).forEach((p, i) => {
    // Only the types that have node ports reserve them (validation refuses the others').
    if (!needsNodePorts(spec)) return;
    if (typeof p.nodePort === 'number' && p.nodePort !== 0) {
      const np = p.nodePort;
      if (!held.has(np)) {
        const why = portRefusal(np, used.ports);
        if (why) throw refuse(name, invalidValue(`spec.ports[${i}].nodePort`, np, why));
      }
      used.ports.add(np);
      byPort.set(p.port, np);
      return;
    }
    if (spec.allocateLoadBalancerNodePorts === false) return;
    // Two ports with one number (TCP and UDP 53) share a node port, as there.
    p.nodePort = byPort.get(p.port) ?? nextPort(used.ports);
    byPort.set(p.port, p.nodePort);
  });
  allocateHealthCheck(spec, before, used.ports);
}
