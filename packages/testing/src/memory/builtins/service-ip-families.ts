/**
 * A Service's cluster IPs, IP families and family policy as kube-apiserver 1.36 reads them
 * before it allocates (its `initIPFamilyFields`), on a cluster with the one IPv4 family
 * ControlPlane gives it: the policy defaulted, the fields checked together
 * (`ValidateServiceClusterIPsRelatedFields`, refused before any other check), then the
 * policy against the number of IPs and families and every family against the cluster's,
 * and at last the families defaulted. Own code, for the server's causes and their order.
 */
import { invalid, type StatusCause } from '../errors.js';
import { isObject, type Json, type JsonObject } from '../json.js';
import { duplicate, invalidValue, notSupported, required } from '../validation.js';
import { isIPv4Address, isSloppyIP, legacyIPCauses } from './ip-addresses.js';

const FAMILIES = ['IPv4', 'IPv6'];
const POLICIES = ['PreferDualStack', 'RequireDualStack', 'SingleStack'];
const IPS = 'spec.clusterIPs';

/** The values of a list field as strings (none when it is no list). */
export const strings = (v: Json | undefined): string[] => (Array.isArray(v) ? v.map(String) : []);
const isIPv6Address = (ip: string) => isSloppyIP(ip) && !isIPv4Address(ip);

/** Whether the Service is headless as validation reads it: `clusterIPs` is `["None"]`. */
export const isHeadless = (spec: JsonObject) => {
  const ips = strings(spec.clusterIPs);
  return ips.length === 1 && ips[0] === 'None';
};

/** The causes of the addresses of `clusterIPs`; `stored`: the values the stored Service had. */
function addressCauses(ips: string[], stored: string[]): StatusCause[] {
  const causes: StatusCause[] = [];
  ips.forEach((ip, i) => {
    if (i === 0 && ip === 'None') {
      if (ips.length > 1) {
        causes.push(invalidValue(IPS, ips, "'None' must be the first and only value"));
      }
      return;
    }
    if (!stored.includes(ip)) causes.push(...legacyIPCauses(`${IPS}[${i}]`, ip));
  });
  return causes;
}

/**
 * `ValidateServiceClusterIPsRelatedFields`: `clusterIPs` in step with `clusterIP`, known
 * and distinct families, a known policy, valid addresses (values the stored Service had
 * pass), at most two of them, one per family, each of the family at its index.
 */
export function clusterIPsCauses(spec: JsonObject, old: JsonObject | undefined): StatusCause[] {
  if (spec.type === 'ExternalName') return [];
  const causes: StatusCause[] = [];
  const ips = strings(spec.clusterIPs);
  const clusterIP = typeof spec.clusterIP === 'string' ? spec.clusterIP : '';
  if (clusterIP !== '') {
    if (ips.length === 0) causes.push(required(IPS));
    else if (ips[0] !== clusterIP) {
      causes.push(invalidValue(IPS, ips, 'first value must match `clusterIP`'));
    }
  } else if (ips.length) {
    causes.push(invalidValue(IPS, ips, 'must be empty when `clusterIP` is not specified'));
  }
  const families = strings(spec.ipFamilies);
  const seen = new Set<string>();
  families.forEach((f, i) => {
    const at = `spec.ipFamilies[${i}]`;
    if (!FAMILIES.includes(f)) causes.push(notSupported(at, f, FAMILIES));
    if (seen.has(f)) causes.push(duplicate(at, f));
    seen.add(f);
  });
  const policy = spec.ipFamilyPolicy;
  if (policy !== undefined && policy !== null && !POLICIES.includes(String(policy))) {
    causes.push(notSupported('spec.ipFamilyPolicy', policy, POLICIES));
  }
  const bad = addressCauses(ips, old ? strings(old.clusterIPs) : []);
  causes.push(...bad);
  if (ips.length > 2) causes.push(invalidValue(IPS, ips, 'may only hold up to 2 values'));
  // kube-apiserver stops at a bad address: the checks below would only repeat it.
  if (bad.length) return causes;
  const v6 = ips.filter(isIPv6Address).length;
  if (ips.length > 1 && (v6 === 0 || v6 === ips.length)) {
    causes.push(invalidValue(IPS, ips, 'may specify no more than one IP for each IP family'));
  }
  if (isHeadless(spec)) return causes;
  ips.slice(0, families.length).forEach((ip, i) => {
    const want = families[i];
    if (want === 'IPv4' && isIPv6Address(ip)) {
      causes.push(
        invalidValue(
          `${IPS}[${i}]`,
          ip,
          `expected an IPv4 value as indicated by \`ipFamilies[${i}]\``,
        ),
      );
    }
    if (want === 'IPv6' && !isIPv6Address(ip)) {
      causes.push(
        invalidValue(
          `${IPS}[${i}]`,
          ip,
          `expected an IPv6 value as indicated by \`ipFamilies[${i}]\``,
        ),
      );
    }
  });
  return causes;
}

/**
 * The policy's checks against the IPs and families asked for, on this one-family cluster;
 * adds to `families` those of the addresses asked for past the families given.
 */
function policyCauses(spec: JsonObject, families: string[]): StatusCause[] {
  const causes: StatusCause[] = [];
  const policy = spec.ipFamilyPolicy;
  const ips = strings(spec.clusterIPs);
  if (policy === 'SingleStack') {
    const why = (what: string) =>
      `must be 'RequireDualStack' or 'PreferDualStack' when multiple ${what} are specified`;
    if (ips.length === 2)
      causes.push(invalidValue('spec.ipFamilyPolicy', policy, why('cluster IPs')));
    if (strings(spec.ipFamilies).length === 2) {
      causes.push(invalidValue('spec.ipFamilyPolicy', policy, why('IP families')));
    }
  }
  for (const [i, ip] of ips.entries()) {
    if (ip === 'None') break;
    if (i < families.length) continue;
    if (isIPv6Address(ip)) {
      causes.push(invalidValue(`${IPS}[${i}]`, ips, 'IPv6 is not configured on this cluster'));
    } else families.push('IPv4');
  }
  return causes;
}

const same = (a: string[], b: string[]) => a.length === b.length && a.every((v, i) => v === b[i]);

/**
 * An update's step down to one stack: `SingleStack` with the stored IPs (families) keeps
 * only the first; any other policy with fewer of them than stored is refused.
 */
function releaseCauses(spec: JsonObject, old: JsonObject): StatusCause[] {
  const ips = strings(spec.clusterIPs);
  const families = strings(spec.ipFamilies);
  const [oldIPs, oldFamilies] = [strings(old.clusterIPs), strings(old.ipFamilies)];
  if (spec.ipFamilyPolicy === 'SingleStack') {
    if (ips.length > 1 && same(ips, oldIPs)) spec.clusterIPs = ips.slice(0, 1);
    if (families.length > 1 && same(families, oldFamilies)) spec.ipFamilies = families.slice(0, 1);
    return [];
  }
  const why = (what: string) => `must be 'SingleStack' to release the secondary ${what}`;
  const policy = spec.ipFamilyPolicy ?? null;
  const causes: StatusCause[] = [];
  if (ips.length && ips.length < oldIPs.length) {
    causes.push(invalidValue('spec.ipFamilyPolicy', policy, why('cluster IP')));
  }
  if (families.length && families.length < oldFamilies.length) {
    causes.push(invalidValue('spec.ipFamilyPolicy', policy, why('IP family')));
  }
  return causes;
}

/**
 * `initIPFamilyFields` for a Service that gets a cluster IP, at create and update: the
 * policy defaulted (the stored one, else `RequireDualStack` for a headless Service without
 * a selector, else `SingleStack`), the fields checked, then (on an update, with the step
 * down to one stack) the policy and families against this single-stack (IPv4) cluster,
 * each stage's causes refused as a 422 before the next; the families defaulted (those of
 * the IPs, else IPv4, and IPv6 after it for a headless Service without a selector that
 * does not ask for one stack).
 */
export function initIPFamilies(spec: JsonObject, old: JsonObject | undefined, name: string): void {
  if (spec.type === 'ExternalName') return;
  const selectorless = !isObject(spec.selector) || Object.keys(spec.selector).length === 0;
  const headlessSelectorless = spec.clusterIP === 'None' && selectorless;
  if (spec.ipFamilyPolicy === undefined || spec.ipFamilyPolicy === null) {
    spec.ipFamilyPolicy =
      old?.ipFamilyPolicy ?? (headlessSelectorless ? 'RequireDualStack' : 'SingleStack');
  }
  const refuse = (causes: StatusCause[]) => {
    if (causes.length) throw invalid('Service', '', name, causes);
  };
  refuse(clusterIPsCauses(spec, old));
  const causes = old ? releaseCauses(spec, old) : [];
  const families = strings(spec.ipFamilies);
  refuse([...causes, ...policyCauses(spec, families)]);
  if (headlessSelectorless) {
    if (families.length === 0) families.push('IPv4');
    if (families.length < 2 && spec.ipFamilyPolicy !== 'SingleStack') {
      families.push(families[0] === 'IPv4' ? 'IPv6' : 'IPv4');
    }
    spec.ipFamilies = families;
    return;
  }
  if (spec.ipFamilyPolicy === 'RequireDualStack') {
    causes.push(
      invalidValue(
        'spec.ipFamilyPolicy',
        spec.ipFamilyPolicy,
        'this cluster is not configured for dual-stack services',
      ),
    );
  }
  families.forEach((f, i) => {
    if (f !== 'IPv4') {
      causes.push(invalidValue(`spec.ipFamilies[${i}]`, f, 'not configured on this cluster'));
    }
  });
  refuse(causes);
  spec.ipFamilies = families.length ? families : ['IPv4'];
}
