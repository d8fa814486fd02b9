/**
 * A Service's spec checked as kube-apiserver 1.36's `validateService` checks it, in its
 * order (own code, for the server's causes): the type's own rules, ports, the selector as
 * labels, session affinity, external IPs, the type, node ports, duplicate ports, source
 * ranges, `allocateLoadBalancerNodePorts`, the load balancer class, the traffic policies
 * and `trafficDistribution`. The cluster IPs and families are checked before allocation
 * (service-ip-families.ts), so they are not here.
 */
import { dns1123SubdomainErrors } from '@kube-ts/schema/validation';
import type { StatusCause } from '../errors.js';
import { isObject, type Json, type JsonObject } from '../json.js';
import {
  duplicate,
  forbiddenValue,
  invalidValue,
  labelsCauses,
  notSupported,
  qualifiedNameCauses,
  required,
  rfc1123LabelCauses,
} from '../validation.js';
import { cidrErrors } from './cidr.js';
import { externalIPsCauses } from './external-ips.js';
import { PORT_RANGE, portNameErrors } from './ports.js';
import { isHeadless, strings } from './service-ip-families.js';
import { needsHealthCheck, portsOf } from './service-node-ports.js';

const TYPES = ['ClusterIP', 'ExternalName', 'LoadBalancer', 'NodePort'];
const PROTOCOLS = ['SCTP', 'TCP', 'UDP'];
const AFFINITIES = ['ClientIP', 'None'];
const TRAFFIC_POLICIES = ['Cluster', 'Local'];
/** In kube-apiserver's order, not sorted (its `PreferSameTrafficDistribution` gate is on). */
const DISTRIBUTIONS = ['PreferClose', 'PreferSameZone', 'PreferSameNode'];
/** The longest ClientIP affinity, in seconds (`MaxClientIPServiceAffinitySeconds`). */
const MAX_AFFINITY_SECONDS = 86400;
const ONLY_LOAD_BALANCER = "may only be used when `type` is 'LoadBalancer'";
const TOPOLOGY_MODE = 'service.kubernetes.io/topology-mode';
const TOPOLOGY_HINTS = 'service.kubernetes.io/topology-aware-hints';
const SOURCE_RANGES_ANNOTATION = 'service.beta.kubernetes.io/load-balancer-source-ranges';

/** The stored Service on an update. */
export interface StoredService {
  spec: JsonObject;
  metadata: JsonObject;
}

const set = (v: Json | undefined) => v !== undefined && v !== null;

/** Whether the Service is reachable from outside (node ports, a load balancer, external IPs). */
export const externallyAccessible = (spec: JsonObject) =>
  spec.type === 'NodePort' ||
  spec.type === 'LoadBalancer' ||
  (Array.isArray(spec.externalIPs) && spec.externalIPs.length > 0);

/** `validateServicePort`: name, number, protocol, target port and `appProtocol`. */
function portCauses(p: JsonObject, at: string, requireName: boolean, names: Set<string>) {
  const causes: StatusCause[] = [];
  const name = typeof p.name === 'string' ? p.name : '';
  if (requireName && name === '') causes.push(required(`${at}.name`));
  else if (name !== '') {
    causes.push(...rfc1123LabelCauses(`${at}.name`, name));
    if (names.has(name)) causes.push(duplicate(`${at}.name`, name));
    names.add(name);
  }
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
  if (typeof p.appProtocol === 'string') {
    causes.push(...qualifiedNameCauses(`${at}.appProtocol`, p.appProtocol));
  }
  return causes;
}

/** The checks of the type's own fields: a headless node port or load balancer, ExternalName. */
function typeCauses(spec: JsonObject): StatusCause[] {
  const headless = isHeadless(spec);
  if ((spec.type === 'LoadBalancer' || spec.type === 'NodePort') && headless) {
    const why = `may not be set to 'None' for ${spec.type} services`;
    return [invalidValue('spec.clusterIPs[0]', 'None', why)];
  }
  if (spec.type !== 'ExternalName') return [];
  const causes: StatusCause[] = [];
  const forbid = 'may not be set for ExternalName services';
  if (strings(spec.clusterIPs).length) causes.push(forbiddenValue('spec.clusterIPs', forbid));
  if (strings(spec.ipFamilies).length) causes.push(forbiddenValue('spec.ipFamilies', forbid));
  if (set(spec.ipFamilyPolicy)) causes.push(forbiddenValue('spec.ipFamilyPolicy', forbid));
  // The value (a CNAME) may end with a dot.
  const cname = String(spec.externalName ?? '').replace(/\.$/, '');
  if (cname === '') causes.push(required('spec.externalName'));
  else {
    for (const why of dns1123SubdomainErrors(cname)) {
      causes.push(invalidValue('spec.externalName', cname, why));
    }
  }
  return causes;
}

/** Session affinity and its ClientIP timeout. */
function affinityCauses(spec: JsonObject): StatusCause[] {
  const affinity = spec.sessionAffinity;
  if (affinity === undefined || affinity === null || affinity === '') {
    return [required('spec.sessionAffinity')];
  }
  if (!AFFINITIES.includes(String(affinity))) {
    return [notSupported('spec.sessionAffinity', affinity, AFFINITIES)];
  }
  const at = 'spec.sessionAffinityConfig';
  if (affinity === 'None') {
    return set(spec.sessionAffinityConfig)
      ? [forbiddenValue(at, 'must not be set when session affinity is None')]
      : [];
  }
  const why = 'when session affinity type is ClientIP';
  const config = spec.sessionAffinityConfig;
  if (!isObject(config)) return [required(at, why)];
  if (!isObject(config.clientIP)) return [required(`${at}.clientIP`, why)];
  const seconds = config.clientIP.timeoutSeconds;
  if (!set(seconds)) return [required(`${at}.clientIP.timeoutSeconds`, why)];
  return typeof seconds === 'number' && seconds > 0 && seconds <= MAX_AFFINITY_SECONDS
    ? []
    : [
        invalidValue(
          `${at}.clientIP.timeoutSeconds`,
          seconds,
          `must be greater than 0 and less than ${MAX_AFFINITY_SECONDS}`,
        ),
      ];
}

/**
 * Node ports on ClusterIP Services, node ports repeated with one protocol, then ports
 * repeated by number and protocol.
 */
function nodePortAndDuplicateCauses(spec: JsonObject): StatusCause[] {
  const causes: StatusCause[] = [];
  const ports = portsOf(spec);
  const hasNodePort = (p: JsonObject) => set(p.nodePort) && p.nodePort !== 0;
  if (spec.type === 'ClusterIP') {
    ports.forEach((p, i) => {
      if (hasNodePort(p)) {
        const at = `spec.ports[${i}].nodePort`;
        causes.push(forbiddenValue(at, "may not be used when `type` is 'ClusterIP'"));
      }
    });
  }
  const nodePorts = new Set<string>();
  ports.forEach((p, i) => {
    if (!hasNodePort(p)) return;
    const key = `${String(p.nodePort)}/${String(p.protocol)}`;
    if (nodePorts.has(key)) causes.push(duplicate(`spec.ports[${i}].nodePort`, p.nodePort));
    nodePorts.add(key);
  });
  const seen = new Set<string>();
  ports.forEach((p, i) => {
    const key = `${String(p.port)}/${String(p.protocol)}`;
    if (seen.has(key)) {
      // Go prints the internal ServicePort key (`%#v`-like JSON of its members).
      const value = JSON.stringify({
        Name: '',
        Protocol: p.protocol ?? 'TCP',
        AppProtocol: null,
        Port: p.port ?? 0,
        TargetPort: 0,
        NodePort: 0,
      });
      causes.push({
        reason: 'FieldValueDuplicate',
        message: `Duplicate value: ${value}`,
        field: `spec.ports[${i}]`,
      });
    }
    seen.add(key);
  });
  return causes;
}

/**
 * `loadBalancerSourceRanges` (reported at `spec.LoadBalancerSourceRanges`, as there) or its
 * annotation: only on a LoadBalancer, each a CIDR (spaces around it allowed, values the
 * stored Service had accepted as they are).
 */
function sourceRangeCauses(spec: JsonObject, meta: JsonObject, old?: StoredService) {
  const causes: StatusCause[] = [];
  const lb = spec.type === 'LoadBalancer';
  const check = (at: string, value: string, stored: string[]) =>
    stored.includes(value) ? [] : cidrErrors(value).map((why) => invalidValue(at, value, why));
  const ranges = strings(spec.loadBalancerSourceRanges);
  if (ranges.length) {
    const at = 'spec.LoadBalancerSourceRanges';
    if (!lb) causes.push(forbiddenValue(at, ONLY_LOAD_BALANCER));
    const stored = old ? strings(old.spec.loadBalancerSourceRanges).map((v) => v.trim()) : [];
    ranges.forEach((v, i) => {
      causes.push(...check(`${at}[${i}]`, v.trim(), stored));
    });
    return causes;
  }
  const annotations = isObject(meta.annotations) ? meta.annotations : {};
  const value = annotations[SOURCE_RANGES_ANNOTATION];
  if (typeof value !== 'string') return causes;
  const at = `metadata.annotations[${SOURCE_RANGES_ANNOTATION}]`;
  if (!lb) causes.push(forbiddenValue(at, ONLY_LOAD_BALANCER));
  const stored = old && isObject(old.metadata.annotations) ? old.metadata.annotations : {};
  if (stored[SOURCE_RANGES_ANNOTATION] === value) return causes;
  const trimmed = value.trim();
  if (trimmed === '') return causes;
  for (const v of trimmed.split(',')) causes.push(...check(at, v.trim(), []));
  return causes;
}

/**
 * `validateLoadBalancerClassField`: the class of a LoadBalancer a qualified name, of any
 * other type forbidden; on an update (`old`) a LoadBalancer's class fixed.
 */
export function loadBalancerClassCauses(spec: JsonObject, old?: JsonObject): StatusCause[] {
  const causes: StatusCause[] = [];
  const lb = spec.type === 'LoadBalancer';
  const cls = spec.loadBalancerClass;
  if (old?.type === 'LoadBalancer' && lb && (old.loadBalancerClass ?? null) !== (cls ?? null)) {
    causes.push(invalidValue('spec.loadBalancerClass', cls ?? null, 'may not change once set'));
  }
  if (!set(cls)) return causes;
  causes.push(
    ...(lb
      ? qualifiedNameCauses('spec.loadBalancerClass', String(cls))
      : [forbiddenValue('spec.loadBalancerClass', ONLY_LOAD_BALANCER)]),
  );
  return causes;
}

/** The external traffic policy and health check node port, then the internal policy. */
function trafficCauses(spec: JsonObject): StatusCause[] {
  const causes: StatusCause[] = [];
  const etp = spec.externalTrafficPolicy;
  const given = set(etp) && etp !== '';
  if (!externallyAccessible(spec)) {
    if (given) {
      causes.push(
        invalidValue(
          'spec.externalTrafficPolicy',
          etp,
          'may only be set for externally-accessible services',
        ),
      );
    }
  } else if (!given) causes.push(required('spec.externalTrafficPolicy'));
  else if (!TRAFFIC_POLICIES.includes(String(etp))) {
    causes.push(notSupported('spec.externalTrafficPolicy', etp, TRAFFIC_POLICIES));
  }
  // kube-apiserver allocates a missing health check port before validating it.
  const port = spec.healthCheckNodePort;
  const at = 'spec.healthCheckNodePort';
  if (set(port) && port !== 0) {
    if (!needsHealthCheck(spec)) {
      const why =
        "may only be set when `type` is 'LoadBalancer' and `externalTrafficPolicy` is 'Local'";
      causes.push(invalidValue(at, port, why));
    } else if (typeof port === 'number' && (port < 1 || port > 65535)) {
      causes.push(invalidValue(at, port, PORT_RANGE));
    }
  }
  const itp = spec.internalTrafficPolicy;
  if (set(itp) && !TRAFFIC_POLICIES.includes(String(itp))) {
    causes.push(notSupported('spec.internalTrafficPolicy', itp, TRAFFIC_POLICIES));
  }
  const td = spec.trafficDistribution;
  if (set(td) && !DISTRIBUTIONS.includes(String(td))) {
    causes.push(notSupported('spec.trafficDistribution', td, DISTRIBUTIONS));
  }
  return causes;
}

/**
 * The causes of a Service's spec (create and update); `meta` its metadata, `old` the
 * stored Service's spec and metadata on an update (stored external IPs and source ranges
 * skip the strict checks).
 */
export function serviceSpecCauses(
  spec: JsonObject,
  meta: JsonObject,
  old?: StoredService,
): StatusCause[] {
  const causes: StatusCause[] = [];
  const annotations = isObject(meta.annotations) ? meta.annotations : {};
  const mode = annotations[TOPOLOGY_MODE];
  const hints = annotations[TOPOLOGY_HINTS];
  if (mode !== undefined && hints !== undefined && mode !== hints) {
    causes.push(
      invalidValue(
        `metadata.annotations[${TOPOLOGY_MODE}]`,
        mode,
        `must match annotations[${TOPOLOGY_HINTS}] when both are specified`,
      ),
    );
  }
  const ports = portsOf(spec);
  if (ports.length === 0 && !isHeadless(spec) && spec.type !== 'ExternalName') {
    causes.push(required('spec.ports'));
  }
  causes.push(...typeCauses(spec));
  const names = new Set<string>();
  ports.forEach((p, i) => {
    causes.push(...portCauses(p, `spec.ports[${i}]`, ports.length > 1, names));
  });
  if (set(spec.selector)) causes.push(...labelsCauses(spec.selector, 'spec.selector'));
  causes.push(...affinityCauses(spec));
  causes.push(...externalIPsCauses(spec.externalIPs, old?.spec.externalIPs));
  if (!set(spec.type) || spec.type === '') causes.push(required('spec.type'));
  else if (!TYPES.includes(String(spec.type))) {
    causes.push(notSupported('spec.type', spec.type, TYPES));
  }
  causes.push(...nodePortAndDuplicateCauses(spec));
  causes.push(...sourceRangeCauses(spec, meta, old));
  if (set(spec.allocateLoadBalancerNodePorts) && spec.type !== 'LoadBalancer') {
    causes.push(forbiddenValue('spec.allocateLoadBalancerNodePorts', ONLY_LOAD_BALANCER));
  }
  causes.push(...loadBalancerClassCauses(spec));
  causes.push(...trafficCauses(spec));
  return causes;
}
