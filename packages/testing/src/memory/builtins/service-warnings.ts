/**
 * The warnings kube-apiserver 1.36 gives a valid Service write (`GetWarningsForService`),
 * in its order: the deprecated topology annotation, addresses not in standard form, fields
 * a headless Service ignores, deprecated external IPs, source ranges not in RFC 5952 form,
 * fields the type ignores, and the
 * deprecated `PreferClose` traffic distribution.
 */
import { isIPv6 } from 'node:net';
import { isObject, type JsonObject } from '../json.js';
import { cidrErrors } from './cidr.js';
import { canonicalIP, ipWarnings } from './ip-addresses.js';
import { strings } from './service-ip-families.js';

const TOPOLOGY_HINTS = 'service.kubernetes.io/topology-aware-hints';
const TOPOLOGY_MODE = 'service.kubernetes.io/topology-mode';

/**
 * `GetWarningsForCIDR` for a range validation let through: an IPv6 one not in RFC 5952
 * form (the strict checks refuse the other forms it warns about).
 */
function cidrWarnings(path: string, value: string): string[] {
  const [ip = '', bits] = value.split('/');
  if (cidrErrors(value).length || !isIPv6(ip)) return [];
  const canonical = `${canonicalIP(ip)}/${bits}`;
  return canonical === value
    ? []
    : [
        `${path}: IPv6 CIDR value ${JSON.stringify(value)} should be in RFC 5952 canonical format (${JSON.stringify(canonical)})`,
      ];
}

/** The warnings of a Service create or update. */
export function serviceWarnings(obj: JsonObject): string[] {
  const spec = isObject(obj.spec) ? obj.spec : {};
  const meta = isObject(obj.metadata) ? obj.metadata : {};
  const warnings: string[] = [];
  if (isObject(meta.annotations) && meta.annotations[TOPOLOGY_HINTS] !== undefined) {
    warnings.push(
      `annotation ${TOPOLOGY_HINTS} is deprecated, please use ${TOPOLOGY_MODE} instead`,
    );
  }
  const clusterIP = typeof spec.clusterIP === 'string' ? spec.clusterIP : '';
  if (clusterIP !== '' && clusterIP !== 'None') {
    strings(spec.clusterIPs).forEach((ip, i) => {
      warnings.push(...ipWarnings(`spec.clusterIPs[${i}]`, ip));
    });
  }
  const externalIPs = strings(spec.externalIPs);
  const headless = spec.type === 'ClusterIP' && clusterIP === 'None';
  if (headless) {
    if (spec.loadBalancerIP) warnings.push('spec.loadBalancerIP is ignored for headless services');
    if (externalIPs.length) warnings.push('spec.externalIPs is ignored for headless services');
    if (spec.sessionAffinity !== 'None') {
      warnings.push('spec.SessionAffinity is ignored for headless services');
    }
  }
  externalIPs.forEach((ip, i) => {
    warnings.push(...ipWarnings(`spec.externalIPs[${i}]`, ip));
  });
  if (externalIPs.length && !headless && spec.type !== 'ExternalName') {
    warnings.push(
      'spec.externalIPs is deprecated and may no longer be implemented in some clusters',
    );
  }
  if (typeof spec.loadBalancerIP === 'string' && spec.loadBalancerIP !== '') {
    warnings.push(...ipWarnings('spec.loadBalancerIP', spec.loadBalancerIP));
  }
  strings(spec.loadBalancerSourceRanges).forEach((cidr, i) => {
    warnings.push(...cidrWarnings(`spec.loadBalancerSourceRanges[${i}]`, cidr));
  });
  if (spec.type === 'ExternalName' && externalIPs.length) {
    warnings.push('spec.externalIPs is ignored when spec.type is "ExternalName"');
  }
  if (spec.type !== 'ExternalName' && spec.externalName) {
    warnings.push('spec.externalName is ignored when spec.type is not "ExternalName"');
  }
  if (spec.trafficDistribution === 'PreferClose') {
    warnings.push('spec.trafficDistribution: "PreferClose" is deprecated; use "PreferSameZone"');
  }
  return warnings;
}
