/**
 * A Service's node ports as kube-apiserver 1.36's port allocator hands them out before
 * validation (its `initNodePorts` at create, `updateNodePorts` at update, then the health
 * check port). Own code: the two paths differ in what they share and refuse, and the
 * server's answers (a 422 in the allocator's words, a 500 for a repeated node port on an
 * update) follow from those differences.
 */
import { HttpStatusError, invalid } from '../errors.js';
import { isObject, type JsonObject } from '../json.js';
import type { ApiState } from '../state.js';
import { invalidValue } from '../validation.js';

/** kube-apiserver's default `--service-node-port-range`. */
const NODE_PORT_MIN = 30000;
const NODE_PORT_MAX = 32767;
const NODE_PORT_RANGE = `${NODE_PORT_MIN}-${NODE_PORT_MAX}`;

/** Whether a Service needs a health check node port (a LoadBalancer with `Local` traffic). */
export const needsHealthCheck = (spec: JsonObject) =>
  spec.type === 'LoadBalancer' && spec.externalTrafficPolicy === 'Local';

/** Service types that have node ports. */
export const needsNodePorts = (spec: JsonObject) =>
  spec.type === 'NodePort' || spec.type === 'LoadBalancer';

/** Whether a port without a node port gets one (`shouldAllocateNodePorts`). */
const allocatesNodePorts = (spec: JsonObject) =>
  spec.type === 'NodePort' ||
  (spec.type === 'LoadBalancer' && spec.allocateLoadBalancerNodePorts !== false);

/** The ports of a Service spec. */
export const portsOf = (spec: JsonObject): JsonObject[] =>
  Array.isArray(spec.ports) ? spec.ports.filter(isObject) : [];

/** A port's node port, 0 when it has none. */
const nodePortOf = (p: JsonObject) => (typeof p.nodePort === 'number' ? p.nodePort : 0);

/** The node ports a service holds (its ports' and its health check's). */
export function nodePortsOf(spec: JsonObject): number[] {
  const out = portsOf(spec)
    .map(nodePortOf)
    .filter((n) => n !== 0);
  if (typeof spec.healthCheckNodePort === 'number' && spec.healthCheckNodePort !== 0) {
    out.push(spec.healthCheckNodePort);
  }
  return out;
}

/**
 * The node ports of every stored Service, the updated one's too (kube-apiserver's port
 * bitmap: what an update releases is released only once it is stored).
 */
export function heldNodePorts(s: ApiState): Set<number> {
  const ports = new Set<number>();
  for (const [, svc] of s.storage.scan('services')) {
    for (const p of nodePortsOf(isObject(svc.spec) ? svc.spec : {})) ports.add(p);
  }
  return ports;
}

/**
 * One write's use of the port allocator (its `PortAllocationOperation`): `used` the ports
 * held and taken so far, `taken` those this write took, in order.
 */
export interface NodePortOp {
  used: Set<number>;
  taken: number[];
  dryRun: boolean;
}

/**
 * A new node port: a free one at random, or in a dry run the placeholder kube-apiserver's
 * dry-run operation hands out without looking at the range (one past the highest port the
 * write took, 32769 for the first).
 */
function nextPort(op: NodePortOp): number {
  const free: number[] = [];
  if (op.dryRun) free.push(op.taken.length ? Math.max(...op.taken) + 1 : NODE_PORT_MAX + 2);
  else for (let p = NODE_PORT_MIN; p <= NODE_PORT_MAX; p++) if (!op.used.has(p)) free.push(p);
  const port = free[Math.floor(Math.random() * free.length)];
  if (port === undefined) {
    throw new HttpStatusError(
      500,
      'InternalError',
      'Internal error occurred: failed to allocate a nodePort: range is full',
    );
  }
  op.used.add(port);
  op.taken.push(port);
  return port;
}

/** Why a requested node port cannot be had, in the port allocator's words, or undefined. */
function portRefusal(port: number, used: Set<number>): string | undefined {
  if (port < NODE_PORT_MIN || port > NODE_PORT_MAX) {
    return `provided port is not in the valid range. The range of valid ports is ${NODE_PORT_RANGE}`;
  }
  return used.has(port) ? 'provided port is already allocated' : undefined;
}

/** Reserves a requested node port of port `i`, or throws the allocator's 422. */
function take(name: string, i: number, port: number, op: NodePortOp): void {
  const why = portRefusal(port, op.used);
  if (why) {
    throw invalid('Service', '', name, [invalidValue(`spec.ports[${i}].nodePort`, port, why)]);
  }
  op.used.add(port);
  op.taken.push(port);
}

/**
 * At create: ports of one number share a node port, the one any of them asks for (TCP
 * and UDP 53), else a new one; ports of other numbers asking for one port are refused
 * (`provided port is already allocated`) at the second.
 */
function initNodePorts(spec: JsonObject, op: NodePortOp, name: string): void {
  const ports = portsOf(spec);
  const byPort = new Map<unknown, number>();
  ports.forEach((p, i) => {
    const asked = nodePortOf(p);
    if (asked === 0 && !allocatesNodePorts(spec)) return;
    const shared = byPort.get(p.port) ?? 0;
    if (shared === 0) {
      const requested = ports.map(nodePortOf).find((n, j) => n !== 0 && ports[j]!.port === p.port);
      if (requested !== undefined) take(name, i, requested, op);
      p.nodePort = requested ?? nextPort(op);
      byPort.set(p.port, p.nodePort);
    } else if (asked === 0) p.nodePort = shared;
    else if (asked !== shared) take(name, i, asked, op);
  });
}

/**
 * At update: a node port the stored Service held, or one an earlier port of the update
 * took, is kept without a check; a port without one gets a new one (numbers are not
 * shared); a node port twice with one protocol is the allocator's plain error, a 500
 * `duplicate nodePort: {TCP 30001}`.
 */
function updateNodePorts(spec: JsonObject, before: JsonObject, op: NodePortOp, name: string): void {
  const stored = new Set(portsOf(before).map(nodePortOf));
  const mine = new Set<number>();
  const seen = new Set<string>();
  portsOf(spec).forEach((p, i) => {
    let port = nodePortOf(p);
    if (port === 0 && !allocatesNodePorts(spec)) return;
    if (port === 0) p.nodePort = port = nextPort(op);
    else if (!stored.has(port) && !mine.has(port)) {
      take(name, i, port, op);
      mine.add(port);
    }
    const key = `{${String(p.protocol ?? '')} ${port}}`;
    if (seen.has(key)) throw new HttpStatusError(500, '', `duplicate nodePort: ${key}`);
    seen.add(key);
  });
}

/**
 * The health check node port of a LoadBalancer with `Local` traffic, when it starts to
 * need one (create, or an update into that case): the requested one if free, else any;
 * the allocator's refusal is kube-apiserver's 500.
 */
function allocateHealthCheck(spec: JsonObject, before: JsonObject, op: NodePortOp): void {
  if (!needsHealthCheck(spec) || needsHealthCheck(before)) return;
  const asked = spec.healthCheckNodePort;
  if (typeof asked === 'number' && asked !== 0) {
    const why = portRefusal(asked, op.used);
    if (why) {
      throw new HttpStatusError(
        500,
        'InternalError',
        `Internal error occurred: failed to allocate requested HealthCheck NodePort ${asked}: ${why}`,
      );
    }
    op.used.add(asked);
    op.taken.push(asked);
    return;
  }
  spec.healthCheckNodePort = nextPort(op);
}

/**
 * Reserves the node ports of a Service of a type that has them, and its health check
 * port, in one allocator operation `op` (its `used` the ports every stored Service
 * holds); `before` is the stored spec on an update.
 */
export function allocateNodePorts(
  spec: JsonObject,
  before: JsonObject | undefined,
  op: NodePortOp,
  name: string,
): void {
  if (needsNodePorts(spec)) {
    if (before) updateNodePorts(spec, before, op, name);
    else initNodePorts(spec, op, name);
  }
  allocateHealthCheck(spec, before ?? {}, op);
}
