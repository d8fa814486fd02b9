/**
 * A pod spec's `dnsPolicy` and `dnsConfig`, checked as kube-apiserver's `validateDNSPolicy`
 * and `validatePodDNSConfig` check them with the default feature gates (own code: the
 * causes and their words are what a test sees).
 */
import type { StatusCause } from '../errors.js';
import { isObject, type JsonObject } from '../json.js';
import { invalidValue, notSupported, required } from '../validation.js';
import { legacyIPCauses } from './ip-addresses.js';

const POLICIES = ['ClusterFirstWithHostNet', 'ClusterFirst', 'Default', 'None'];
const LABEL_ = '_?[a-z0-9]([-_a-z0-9]*[a-z0-9])?';
const SUBDOMAIN_ = `${LABEL_}(\\.${LABEL_})*`;
const SEARCH = new RegExp(`^${SUBDOMAIN_}$`);
const SEARCH_MESSAGE = `a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '_', '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '${SUBDOMAIN_}')`;

/**
 * A search domain's messages under the RelaxedDNSSearchValidation rule (on by default):
 * `.` alone, or a subdomain that may hold `_`, one trailing dot ignored.
 */
function searchErrors(search: string): string[] {
  if (search === '.') return [];
  const s = search.endsWith('.') ? search.slice(0, -1) : search;
  const errs: string[] = [];
  if (s.length > 253) errs.push('must be no more than 253 characters');
  if (!SEARCH.test(s)) errs.push(SEARCH_MESSAGE);
  return errs;
}

/** The causes of `dnsPolicy` (defaulted, so never empty unless sent as `""`). */
export function dnsPolicyCauses(spec: JsonObject, path: string): StatusCause[] {
  const policy = spec.dnsPolicy;
  if (policy === '' || policy === undefined || policy === null)
    return [required(`${path}.dnsPolicy`)];
  return POLICIES.includes(String(policy))
    ? []
    : [notSupported(`${path}.dnsPolicy`, policy, POLICIES)];
}

/**
 * The causes of `dnsConfig`: with `dnsPolicy: None` it must exist and name a nameserver
 * (nothing else is checked then); at most 3 nameservers, each an IP; at most 32 search
 * domains of 2048 characters together, each a subdomain; options with names.
 */
export function dnsConfigCauses(spec: JsonObject, path: string): StatusCause[] {
  const at = `${path}.dnsConfig`;
  const config = isObject(spec.dnsConfig) ? spec.dnsConfig : undefined;
  const nameservers = Array.isArray(config?.nameservers) ? config.nameservers.map(String) : [];
  if (spec.dnsPolicy === 'None') {
    if (!config) return [required(at, 'must provide `dnsConfig` when `dnsPolicy` is None')];
    if (nameservers.length === 0) {
      return [
        required(
          `${at}.nameservers`,
          'must provide at least one DNS nameserver when `dnsPolicy` is None',
        ),
      ];
    }
  }
  if (!config) return [];
  const causes: StatusCause[] = [];
  if (nameservers.length > 3) {
    causes.push(
      invalidValue(`${at}.nameservers`, nameservers, 'must not have more than 3 nameservers'),
    );
  }
  nameservers.forEach((ns, i) => {
    causes.push(...legacyIPCauses(`${at}.nameservers[${i}]`, ns));
  });
  const searches = Array.isArray(config.searches) ? config.searches.map(String) : [];
  if (searches.length > 32) {
    causes.push(
      invalidValue(`${at}.searches`, searches, 'must not have more than 32 search paths'),
    );
  }
  if (searches.join(' ').length > 2048) {
    causes.push(
      invalidValue(
        `${at}.searches`,
        searches,
        'must not have more than 2048 characters (including spaces) in the search list',
      ),
    );
  }
  searches.forEach((s, i) => {
    const value = s === '.' || !s.endsWith('.') ? s : s.slice(0, -1);
    for (const why of searchErrors(s))
      causes.push(invalidValue(`${at}.searches[${i}]`, value, why));
  });
  const options = Array.isArray(config.options) ? config.options : [];
  options.forEach((o, i) => {
    if (!isObject(o) || typeof o.name !== 'string' || o.name === '') {
      causes.push(required(`${at}.options[${i}]`, 'must not be empty'));
    }
  });
  return causes;
}
