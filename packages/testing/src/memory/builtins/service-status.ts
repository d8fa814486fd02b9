/**
 * A Service's `status` written through `/status`, as kube-apiserver 1.36's status strategy
 * checks it (`ValidateLoadBalancerStatus`, own code for its causes): load balancer entries
 * only on a LoadBalancer, each IP a legacy IP (one the stored status had is kept as it
 * is), `ipMode` (`VIP` by default on a LoadBalancer) only with an IP and known, each
 * hostname a DNS subdomain that is not an IP; and the warnings for IPs not in standard
 * form.
 */
import { dns1123SubdomainErrors } from '@kube-ts/schema/validation';
import type { StatusCause } from '../errors.js';
import { isObject, type JsonObject, str } from '../json.js';
import { forbiddenValue, invalidValue, notSupported, required } from '../validation.js';
import { ipWarnings, isSloppyIP, legacyIPCauses } from './ip-addresses.js';

const IP_MODES = ['Proxy', 'VIP'];
const AT = 'status.loadBalancer.ingress';

/** The entries of `status.loadBalancer.ingress`. */
function entriesOf(obj: JsonObject | undefined): JsonObject[] {
  const status = isObject(obj?.status) ? obj.status : {};
  const lb = isObject(status.loadBalancer) ? status.loadBalancer : {};
  return Array.isArray(lb.ingress) ? lb.ingress.filter(isObject) : [];
}

/** Sets the `ipMode` of a LoadBalancer's entries that have an IP and none (`VIP`). */
export function defaultIPModes(obj: JsonObject): void {
  if (!isObject(obj.spec) || obj.spec.type !== 'LoadBalancer') return;
  for (const e of entriesOf(obj)) if (str(e.ip) !== '' && e.ipMode == null) e.ipMode = 'VIP';
}

/** `ValidateLoadBalancerStatus` of a status update; `old`: the stored Service. */
export function loadBalancerStatusCauses(obj: JsonObject, old: JsonObject | undefined) {
  const entries = entriesOf(obj);
  const spec = isObject(obj.spec) ? obj.spec : {};
  if (spec.type !== 'LoadBalancer' && entries.length) {
    return [forbiddenValue(AT, "may only be used when `spec.type` is 'LoadBalancer'")];
  }
  const stored = entriesOf(old)
    .map((e) => str(e.ip))
    .filter((ip) => ip !== '');
  const causes: StatusCause[] = [];
  entries.forEach((e, i) => {
    const at = `${AT}[${i}]`;
    const ip = str(e.ip);
    if (ip !== '' && !stored.includes(ip)) causes.push(...legacyIPCauses(`${at}.ip`, ip));
    const mode = e.ipMode;
    if (mode === undefined || mode === null) {
      if (ip !== '') causes.push(required(`${at}.ipMode`, 'must be specified when `ip` is set'));
    } else if (ip === '') {
      causes.push(forbiddenValue(`${at}.ipMode`, 'may not be specified when `ip` is not set'));
    } else if (!IP_MODES.includes(String(mode))) {
      causes.push(notSupported(`${at}.ipMode`, mode, IP_MODES));
    }
    const host = str(e.hostname);
    if (host === '') return;
    for (const why of dns1123SubdomainErrors(host)) {
      causes.push(invalidValue(`${at}.hostname`, host, why));
    }
    if (isSloppyIP(host)) {
      causes.push(invalidValue(`${at}.hostname`, host, 'must be a DNS name, not an IP address'));
    }
  });
  return causes;
}

/** The status strategy's warnings: entry IPs not in standard form (named by the entry). */
export function loadBalancerStatusWarnings(obj: JsonObject): string[] {
  return entriesOf(obj).flatMap((e, i) =>
    str(e.ip) === '' ? [] : ipWarnings(`${AT}[${i}]`, str(e.ip)),
  );
}
