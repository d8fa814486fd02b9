import { HttpStatusError, invalid, type StatusCause } from '../errors.js';
import { isObject, type Json, type JsonObject } from '../json.js';
import { metaOf } from '../object-meta.js';
import type { ApiState } from '../state.js';
import { invalidValue } from '../validation.js';

/**
 * The service IP range, `10.0.0.0/24`: what `ControlPlane` gives kube-apiserver
 * (`--service-cluster-ip-range`), whose first address is the `kubernetes` Service's.
 */
const IP_PREFIX = '10.0.0.';
const FIRST_HOST = 1;
const LAST_HOST = 254;

/** kube-apiserver's default `--service-node-port-range`. */
const NODE_PORT_MIN = 30000;
const NODE_PORT_MAX = 32767;
const NODE_PORT_RANGE = `${NODE_PORT_MIN}-${NODE_PORT_MAX}`;

/** Service types that need a cluster IP (even `None`) and node ports. */
export const needsClusterIP = (spec: JsonObject) => spec.type !== 'ExternalName';
export const needsNodePorts = (spec: JsonObject) =>
  spec.type === 'NodePort' || spec.type === 'LoadBalancer';

const specOf = (obj: JsonObject | undefined): JsonObject =>
  obj && isObject(obj.spec) ? obj.spec : {};

const portsOf = (spec: JsonObject): JsonObject[] =>
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

/** What the other Services hold: their cluster IPs and node ports. */
function taken(s: ApiState, self: JsonObject): { ips: Set<string>; ports: Set<number> } {
  const me = `${String(metaOf(self).namespace ?? '')}/${String(metaOf(self).name ?? '')}`;
  const ips = new Set<string>();
  const ports = new Set<number>();
  for (const [, svc] of s.storage.scan('services')) {
    const m = metaOf(svc);
    if (`${String(m.namespace ?? '')}/${String(m.name ?? '')}` === me) continue;
    const spec = specOf(svc);
    const all = Array.isArray(spec.clusterIPs) ? spec.clusterIPs : [spec.clusterIP ?? null];
    for (const ip of all) if (typeof ip === 'string' && ip && ip !== 'None') ips.add(ip);
    for (const p of nodePortsOf(spec)) ports.add(p);
  }
  return { ips, ports };
}

function inRange(ip: string): boolean {
  if (!ip.startsWith(IP_PREFIX)) return false;
  const host = ip.slice(IP_PREFIX.length);
  return /^\d+$/.test(host) && Number(host) >= FIRST_HOST && Number(host) <= LAST_HOST;
}

/**
 * Sets the IP families of a service that needs a cluster IP (at create, and when an update
 * turns an ExternalName service into one), with its addresses, after validation and
 * field tracking (so they are nobody's in `managedFields`, as on kube-apiserver).
 */
function defaultFamilies(spec: JsonObject): void {
  if (!needsClusterIP(spec)) return;
  // A headless service without a selector gets both families (it has no endpoints to
  // follow); every other service gets the cluster's one family.
  const dual = spec.clusterIP === 'None' && !isObject(spec.selector);
  spec.ipFamilies ??= dual ? ['IPv4', 'IPv6'] : ['IPv4'];
  spec.ipFamilyPolicy ??= dual ? 'RequireDualStack' : 'SingleStack';
}

/** A free address, random like kube-apiserver's allocator, or its 500 when the range is full. */
function nextIP(used: Set<string>, name: string): string {
  const free: string[] = [];
  for (let h = FIRST_HOST; h <= LAST_HOST; h++) {
    if (!used.has(`${IP_PREFIX}${h}`)) free.push(`${IP_PREFIX}${h}`);
  }
  const ip = free[Math.floor(Math.random() * free.length)];
  if (ip === undefined) {
    throw new HttpStatusError(
      500,
      'InternalError',
      `Internal error occurred: failed to allocate a serviceIP for Service "${name}": range is full`,
    );
  }
  used.add(ip);
  return ip;
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
 * Reserves a Service's cluster IP and node ports as kube-apiserver's allocators do after
 * validation: unique among all Services, a requested IP or port already held by another
 * Service or outside the range is a 422 in the allocator's words, a missing one is
 * allocated, and on update what the Service already held stays its own. Released values
 * need no bookkeeping: what a Service holds is read from the stored Services.
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
  const used = taken(s, obj);
  defaultFamilies(spec);
  if (needsClusterIP(spec)) {
    const ip = spec.clusterIP;
    if (ip === undefined || ip === null || ip === '') {
      spec.clusterIP = nextIP(used.ips, name);
      spec.clusterIPs = [spec.clusterIP];
    } else {
      spec.clusterIPs ??= [ip];
    }
    if (typeof ip === 'string' && ip !== '' && ip !== 'None' && ip !== before.clusterIP) {
      const why = !inRange(ip)
        ? 'the provided network does not match the current range'
        : used.ips.has(ip)
          ? 'provided IP is already allocated'
          : undefined;
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
    if (typeof p.nodePort === 'number' && p.nodePort !== 0) {
      const np = p.nodePort;
      if (!held.has(np)) {
        const why =
          np < NODE_PORT_MIN || np > NODE_PORT_MAX
            ? `provided port is not in the valid range. The range of valid ports is ${NODE_PORT_RANGE}`
            : used.ports.has(np)
              ? 'provided port is already allocated'
              : undefined;
        if (why) throw refuse(name, invalidValue(`spec.ports[${i}].nodePort`, np, why));
      }
      used.ports.add(np);
      byPort.set(p.port, np);
      return;
    }
    if (!needsNodePorts(spec) || spec.allocateLoadBalancerNodePorts === false) return;
    // Two ports with one number (TCP and UDP 53) share a node port, as there.
    p.nodePort = byPort.get(p.port) ?? nextPort(used.ports);
    byPort.set(p.port, p.nodePort);
  });
}
