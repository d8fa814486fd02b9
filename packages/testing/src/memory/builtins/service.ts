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
import {
  allocateServiceAddresses,
  needsClusterIP,
  needsHealthCheck,
  needsNodePorts,
  nodePortsOf,
} from './service-allocation.js';
import { specOf } from './workload.js';

const TYPES = ['ClusterIP', 'ExternalName', 'LoadBalancer', 'NodePort'];
const PROTOCOLS = ['SCTP', 'TCP', 'UDP'];

const portsOf = (spec: JsonObject): JsonObject[] =>
  Array.isArray(spec.ports) ? spec.ports.filter(isObject) : [];

const externallyAccessible = (spec: JsonObject) =>
  spec.type === 'NodePort' ||
  spec.type === 'LoadBalancer' ||
  (Array.isArray(spec.externalIPs) && spec.externalIPs.length > 0);

const same = (a: Json | undefined, b: Json | undefined) => JSON.stringify(a) === JSON.stringify(b);

/**
 * What kube-apiserver's strategy wipes when an update changes the type (its
 * `dropTypeDependentFields`): the values the old type needed and the new one does not,
 * when the request left them as they were (they are released with them).
 */
function dropTypeDependentFields(a: JsonObject, b: JsonObject): void {
  if (needsClusterIP(b) && !needsClusterIP(a)) {
    if (a.clusterIP === b.clusterIP && same(a.clusterIPs, b.clusterIPs)) {
      delete a.clusterIP;
      delete a.clusterIPs;
    }
    if (same(a.ipFamilies, b.ipFamilies)) delete a.ipFamilies;
    if (a.ipFamilyPolicy === b.ipFamilyPolicy) delete a.ipFamilyPolicy;
  }
  const before = new Set(nodePortsOf({ ports: b.ports ?? null }));
  const added = nodePortsOf({ ports: a.ports ?? null }).some((p) => !before.has(p));
  if (needsNodePorts(b) && !needsNodePorts(a) && !added) {
    for (const p of portsOf(a)) delete p.nodePort;
  }
  if (
    needsHealthCheck(b) &&
    !needsHealthCheck(a) &&
    a.healthCheckNodePort === b.healthCheckNodePort
  ) {
    delete a.healthCheckNodePort;
  }
  if (b.type === 'LoadBalancer' && a.type !== 'LoadBalancer') {
    if (a.allocateLoadBalancerNodePorts === b.allocateLoadBalancerNodePorts) {
      delete a.allocateLoadBalancerNodePorts;
    }
    if (a.loadBalancerClass === b.loadBalancerClass) delete a.loadBalancerClass;
  }
  if (
    externallyAccessible(b) &&
    !externallyAccessible(a) &&
    a.externalTrafficPolicy === b.externalTrafficPolicy
  ) {
    delete a.externalTrafficPolicy;
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

function portCauses(spec: JsonObject, stored: JsonObject): StatusCause[] {
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
  causes.push(...externalIPsCauses(spec.externalIPs, stored.externalIPs));
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
  causes.push(...healthCheckCauses(spec));
  return causes;
}

/**
 * `healthCheckNodePort`: only for a LoadBalancer with `Local` traffic, and a port number
 * (kube-apiserver allocates it before validating, so a missing one is never reported).
 */
function healthCheckCauses(spec: JsonObject): StatusCause[] {
  const port = spec.healthCheckNodePort;
  if (port === undefined || port === null || port === 0) return [];
  const at = 'spec.healthCheckNodePort';
  if (!needsHealthCheck(spec)) {
    const why =
      "may only be set when `type` is 'LoadBalancer' and `externalTrafficPolicy` is 'Local'";
    return [invalidValue(at, port, why)];
  }
  return typeof port === 'number' && (port < 1 || port > 65535)
    ? [invalidValue(at, port, PORT_RANGE)]
    : [];
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
    if (create) obj.status = { loadBalancer: {} };
  },

  prepareUpdate(next, prev) {
    const a = specOf(next);
    const b = isObject(prev.spec) ? prev.spec : {};
    dropTypeDependentFields(a, b);
    // What an update leaves out of the allocated values is kept (kubectl apply, SSA), as
    // kube-apiserver's patchAllocatedValues keeps them.
    if (needsClusterIP(a) && needsClusterIP(b)) {
      for (const k of ['clusterIP', 'clusterIPs', 'ipFamilies', 'ipFamilyPolicy']) {
        if ((a[k] === undefined || a[k] === null || a[k] === '') && b[k] !== undefined) {
          a[k] = structuredClone(b[k]!);
        }
      }
    }
    // A changed clusterIP with the old clusterIPs moves clusterIPs[0] with it.
    const oldIPs = Array.isArray(b.clusterIPs) ? b.clusterIPs : [];
    if (a.clusterIP !== b.clusterIP && JSON.stringify(a.clusterIPs) === JSON.stringify(oldIPs)) {
      a.clusterIPs = [a.clusterIP ?? null, ...oldIPs.slice(1)];
    }
    if (needsHealthCheck(a) && needsHealthCheck(b) && !a.healthCheckNodePort) {
      a.healthCheckNodePort = b.healthCheckNodePort ?? null;
    }
    if (!needsNodePorts(a) || !needsNodePorts(b)) return;
    // A port without a node port gets the one the old port of its name had, unless a port
    // of the update already uses it.
    const used = new Set(nodePortsOf(a));
    const byName = new Map(portsOf(b).map((p) => [p.name ?? '', p.nodePort]));
    for (const p of portsOf(a)) {
      if (p.nodePort !== undefined && p.nodePort !== 0) continue;
      const old = byName.get(p.name ?? '');
      if (typeof old === 'number' && !used.has(old)) p.nodePort = old;
    }
  },

  allocate(obj, prev, state) {
    allocateServiceAddresses(state, obj, prev);
  },

  validate(obj, ctx) {
    const spec = isObject(obj.spec) ? obj.spec : {};
    if (!TYPES.includes(String(spec.type))) return [notSupported('spec.type', spec.type, TYPES)];
    return portCauses(spec, ctx.old && isObject(ctx.old.spec) ? ctx.old.spec : {});
  },

  validateUpdate(next, prev) {
    const a = isObject(next.spec) ? next.spec : {};
    const b = isObject(prev.spec) ? prev.spec : {};
    const causes: StatusCause[] = [];
    const now = Array.isArray(a.clusterIPs) ? a.clusterIPs : [];
    const was = Array.isArray(b.clusterIPs) ? b.clusterIPs : [];
    const external = a.type === 'ExternalName' || b.type === 'ExternalName';
    if (!external && was.length && now[0] !== was[0]) {
      causes.push(invalidValue('spec.clusterIPs[0]', now, 'may not change once set'));
    }
    const hc = (spec: JsonObject) => spec.healthCheckNodePort ?? 0;
    if (needsHealthCheck(a) && needsHealthCheck(b) && hc(a) !== hc(b)) {
      causes.push(forbiddenValue('spec.healthCheckNodePort', 'field is immutable'));
    }
    return causes;
  },
};
