import type { StatusCause } from '../errors.js';
import { isObject, type Json, type JsonObject } from '../json.js';
import { metaOf } from '../object-meta.js';
import { forbiddenValue, invalidValue } from '../validation.js';
import type { KindRules } from './kind-rules.js';
import { allocateServiceAddresses, needsClusterIP } from './service-allocation.js';
import { needsHealthCheck, needsNodePorts, nodePortsOf, portsOf } from './service-node-ports.js';
import {
  defaultIPModes,
  loadBalancerStatusCauses,
  loadBalancerStatusWarnings,
} from './service-status.js';
import {
  externallyAccessible,
  loadBalancerClassCauses,
  serviceSpecCauses,
} from './service-validation.js';
import { serviceWarnings } from './service-warnings.js';
import { specOf } from './workload.js';

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
    defaultIPModes(obj);
  },

  prepareUpdate(next, prev) {
    const a = specOf(next);
    const b = isObject(prev.spec) ? prev.spec : {};
    dropTypeDependentFields(a, b);
    // What an update leaves out of the allocated values is kept (kubectl apply, SSA), as
    // kube-apiserver's patchAllocatedValues keeps them: the cluster IPs, not the families
    // and policy (those are derived again from the IPs and the stored policy).
    const empty = (v: Json | undefined) =>
      v === undefined || v === null || v === '' || (Array.isArray(v) && v.length === 0);
    if (needsClusterIP(a) && needsClusterIP(b)) {
      for (const k of ['clusterIP', 'clusterIPs']) {
        if (empty(a[k]) && !empty(b[k])) a[k] = structuredClone(b[k]!);
      }
    }
    // A changed (or cleared) clusterIP with the old clusterIPs replaces (clears) them.
    const oldIPs = Array.isArray(b.clusterIPs) ? b.clusterIPs : [];
    if (a.clusterIP !== b.clusterIP && same(a.clusterIPs, oldIPs)) {
      if (empty(a.clusterIP)) delete a.clusterIPs;
      else a.clusterIPs = [a.clusterIP!];
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

  allocate(obj, prev, state, dryRun) {
    allocateServiceAddresses(state, obj, prev, dryRun);
  },

  validate(obj, ctx) {
    if (ctx.subresource === 'status') return loadBalancerStatusCauses(obj, ctx.old);
    const old = ctx.old && { spec: specOf(ctx.old), metadata: metaOf(ctx.old) };
    return serviceSpecCauses(specOf(obj), metaOf(obj), old);
  },

  warnings: (obj, ctx) =>
    ctx.subresource === 'status' ? loadBalancerStatusWarnings(obj) : serviceWarnings(obj),

  validateUpdate(next, prev, ctx) {
    // A status update is checked by the status strategy alone (see validate).
    if (ctx.subresource === 'status') return [];
    const a = isObject(next.spec) ? next.spec : {};
    const b = isObject(prev.spec) ? prev.spec : {};
    const causes: StatusCause[] = [];
    const now = Array.isArray(a.clusterIPs) ? a.clusterIPs : [];
    const was = Array.isArray(b.clusterIPs) ? b.clusterIPs : [];
    // kube-apiserver's upgrade and downgrade rules of `clusterIPs` and `ipFamilies`: on
    // this single-stack cluster only a changed IP gets here (initIPFamilies refuses a second
    // IP or family of a Service that is not headless first, and a headless one may change
    // its families).
    const external = a.type === 'ExternalName' || b.type === 'ExternalName';
    if (!external && was.length && now[0] !== was[0]) {
      causes.push(invalidValue('spec.clusterIPs[0]', now, 'may not change once set'));
    }
    const hc = (spec: JsonObject) => spec.healthCheckNodePort ?? 0;
    causes.push(...loadBalancerClassCauses(a, b));
    if (needsHealthCheck(a) && needsHealthCheck(b) && hc(a) !== hc(b)) {
      causes.push(forbiddenValue('spec.healthCheckNodePort', 'field is immutable'));
    }
    return causes;
  },
};
