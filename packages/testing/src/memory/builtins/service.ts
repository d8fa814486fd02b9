import type { StatusCause } from '../errors.js';
import { isObject, type Json, type JsonObject } from '../json.js';
import {
  duplicate,
  forbiddenValue,
  invalidValue,
  notSupported,
  required,
  rfc1123LabelCauses,
} from '../validation.js';
import { externalIPsCauses } from './external-ips.js';
import type { KindRules } from './kind-rules.js';
import { PORT_RANGE, portNameErrors } from './ports.js';
import { specOf } from './workload.js';

const TYPES = ['ClusterIP', 'ExternalName', 'LoadBalancer', 'NodePort'];
const PROTOCOLS = ['SCTP', 'TCP', 'UDP'];

/** A free-looking address in the service range (the real allocator's are random too). */
function allocateClusterIP(): string {
  const n = Math.floor(Math.random() * 65000) + 1;
  return `10.96.${n >> 8}.${n & 255}`;
}

/** A node port from the default range 30000-32767. */
function allocateNodePort(taken: Set<number>): number {
  let p: number;
  do p = 30000 + Math.floor(Math.random() * 2768);
  while (taken.has(p));
  taken.add(p);
  return p;
}

const portsOf = (spec: JsonObject): JsonObject[] =>
  Array.isArray(spec.ports) ? spec.ports.filter(isObject) : [];

const externallyAccessible = (spec: JsonObject) =>
  spec.type === 'NodePort' ||
  spec.type === 'LoadBalancer' ||
  (Array.isArray(spec.externalIPs) && spec.externalIPs.length > 0);

/** Fills the values the server allocates at create: cluster IPs, IP families, node ports. */
function allocate(spec: JsonObject): void {
  if (spec.type === 'ExternalName') return;
  const headless = spec.clusterIP === 'None';
  if (spec.clusterIP === undefined || spec.clusterIP === '') spec.clusterIP = allocateClusterIP();
  spec.clusterIPs ??= [spec.clusterIP as Json];
  // A headless service without a selector gets both families (it has no endpoints to
  // follow); every other service gets the cluster's one family.
  const dual = headless && !isObject(spec.selector);
  spec.ipFamilies ??= dual ? ['IPv4', 'IPv6'] : ['IPv4'];
  spec.ipFamilyPolicy ??= dual ? 'RequireDualStack' : 'SingleStack';
  if (spec.type === 'NodePort' || spec.type === 'LoadBalancer') {
    const taken = new Set<number>();
    for (const p of portsOf(spec)) if (typeof p.nodePort === 'number') taken.add(p.nodePort);
    for (const p of portsOf(spec)) p.nodePort ??= allocateNodePort(taken);
  }
}

/** Go's `%#v`-like JSON of the internal ServicePort a duplicate is reported with. */
function duplicatePort(p: JsonObject): string {
  return JSON.stringify({
    Name: '',
    Protocol: p.protocol ?? 'TCP',
    AppProtocol: null,
    Port: p.port ?? 0,
    TargetPort: 0,
    NodePort: 0,
  });
}

function portCauses(spec: JsonObject): StatusCause[] {
  const causes: StatusCause[] = [];
  const ports = portsOf(spec);
  const headless = spec.clusterIP === 'None';
  if (ports.length === 0 && !headless && spec.type !== 'ExternalName') {
    causes.push(required('spec.ports'));
  }
  const seen = new Set<string>();
  const names = new Set<string>();
  ports.forEach((p, i) => {
    const at = `spec.ports[${i}]`;
    const name = typeof p.name === 'string' ? p.name : '';
    if (ports.length > 1 && name === '') causes.push(required(`${at}.name`));
    else if (name !== '') {
      causes.push(...rfc1123LabelCauses(`${at}.name`, name));
      if (names.has(name)) causes.push(duplicate(`${at}.name`, name));
    }
    names.add(name);
    const port = p.port;
    if (typeof port !== 'number' || port < 1 || port > 65535) {
      causes.push(invalidValue(`${at}.port`, port ?? 0, PORT_RANGE));
    }
    if (!PROTOCOLS.includes(String(p.protocol))) {
      causes.push(notSupported(`${at}.protocol`, p.protocol ?? '', PROTOCOLS));
    }
    if (typeof p.targetPort === 'number' && (p.targetPort < 1 || p.targetPort > 65535)) {
      causes.push(invalidValue(`${at}.targetPort`, p.targetPort, PORT_RANGE));
    } else if (typeof p.targetPort === 'string') {
      const target = p.targetPort;
      causes.push(
        ...portNameErrors(target).map((why) => invalidValue(`${at}.targetPort`, target, why)),
      );
    }
  });
  // kube-apiserver checks the external IPs after each port, and node ports after them.
  causes.push(...externalIPsCauses(spec.externalIPs));
  ports.forEach((p, i) => {
    if (p.nodePort !== undefined && spec.type === 'ClusterIP') {
      const at = `spec.ports[${i}].nodePort`;
      causes.push(forbiddenValue(at, "may not be used when `type` is 'ClusterIP'"));
    }
  });
  ports.forEach((p, i) => {
    const key = `${String(p.port)}/${String(p.protocol)}`;
    if (seen.has(key)) {
      causes.push({
        reason: 'FieldValueDuplicate',
        message: `Duplicate value: ${duplicatePort(p)}`,
        field: `spec.ports[${i}]`,
      });
    }
    seen.add(key);
  });
  return causes;
}

/**
 * core/v1 Service: kube-apiserver's defaults (type ClusterIP, no session affinity, port
 * protocol TCP and target port = port, traffic policies, at create the allocated cluster IP,
 * IP families and node ports), its port checks, and cluster IPs that cannot change.
 */
export const serviceRules: KindRules = {
  defaults(obj, create) {
    const spec = specOf(obj);
    spec.type ??= 'ClusterIP';
    spec.sessionAffinity ??= 'None';
    if (spec.sessionAffinity === 'None') delete spec.sessionAffinityConfig;
    else if (spec.sessionAffinity === 'ClientIP') {
      const cfg = isObject(spec.sessionAffinityConfig) ? spec.sessionAffinityConfig : {};
      const client = isObject(cfg.clientIP) ? cfg.clientIP : {};
      client.timeoutSeconds ??= 10800;
      cfg.clientIP = client;
      spec.sessionAffinityConfig = cfg;
    }
    for (const p of portsOf(spec)) {
      p.protocol ??= 'TCP';
      if (p.targetPort === undefined || p.targetPort === 0 || p.targetPort === '') {
        p.targetPort = p.port ?? 0;
      }
    }
    if (externallyAccessible(spec)) spec.externalTrafficPolicy ??= 'Cluster';
    if (['ClusterIP', 'NodePort', 'LoadBalancer'].includes(String(spec.type))) {
      spec.internalTrafficPolicy ??= 'Cluster';
    }
    if (spec.type === 'LoadBalancer') spec.allocateLoadBalancerNodePorts ??= true;
    if (create) {
      allocate(spec);
      obj.status = { loadBalancer: {} };
    }
  },

  prepareUpdate(next, prev) {
    const a = specOf(next);
    const b = isObject(prev.spec) ? prev.spec : {};
    if (a.type === 'ExternalName') return;
    // What an update leaves out of the allocated values is kept (kubectl apply, SSA).
    for (const k of ['clusterIP', 'clusterIPs', 'ipFamilies', 'ipFamilyPolicy']) {
      if ((a[k] === undefined || a[k] === null || a[k] === '') && b[k] !== undefined) {
        a[k] = structuredClone(b[k]!);
      }
    }
    // A changed clusterIP with the old clusterIPs moves clusterIPs[0] with it.
    const oldIPs = Array.isArray(b.clusterIPs) ? b.clusterIPs : [];
    if (a.clusterIP !== b.clusterIP && JSON.stringify(a.clusterIPs) === JSON.stringify(oldIPs)) {
      a.clusterIPs = [a.clusterIP ?? null, ...oldIPs.slice(1)];
    }
    const oldPorts = Array.isArray(b.ports) ? b.ports.filter(isObject) : [];
    for (const p of portsOf(a)) {
      if (p.nodePort !== undefined || (a.type !== 'NodePort' && a.type !== 'LoadBalancer'))
        continue;
      const old = oldPorts.find(
        (o) => o.port === p.port && (o.protocol ?? 'TCP') === (p.protocol ?? 'TCP'),
      );
      if (old?.nodePort !== undefined) p.nodePort = old.nodePort;
    }
  },

  validate(obj) {
    const spec = isObject(obj.spec) ? obj.spec : {};
    if (!TYPES.includes(String(spec.type))) return [notSupported('spec.type', spec.type, TYPES)];
    return portCauses(spec);
  },

  validateUpdate(next, prev) {
    const a = isObject(next.spec) ? next.spec : {};
    const b = isObject(prev.spec) ? prev.spec : {};
    if (a.type === 'ExternalName' || b.type === 'ExternalName') return [];
    const now = Array.isArray(a.clusterIPs) ? a.clusterIPs : [];
    const was = Array.isArray(b.clusterIPs) ? b.clusterIPs : [];
    if (was.length && now[0] !== was[0]) {
      return [invalidValue('spec.clusterIPs[0]', now, 'may not change once set')];
    }
    return [];
  },
};
