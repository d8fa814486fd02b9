/**
 * What admission and conversion webhooks share, as kube-apiserver checks it (own code, for
 * the causes): a `clientConfig` (`ValidateWebhookURL` and `ValidateWebhookService`):
 * exactly one of `url` and `service`; a URL that Go parses, with scheme `https`, a host and
 * no user information, fragment or query; a service with a name, a namespace, a valid port
 * and a path of DNS-subdomain segments. And the review versions a webhook accepts.
 */
import { dns1035LabelErrors, dns1123SubdomainErrors } from '@kube-ts/schema/validation';
import type { StatusCause } from '../errors.js';
import { parseGoUrl } from '../go-url.js';
import { isObject, type Json, type JsonObject, num } from '../json.js';
import { invalidValue, required } from '../validation.js';
import { portNumberErrors } from './ports.js';

const FORM = '; desired format: https://host[/path]';

/** The causes of a webhook URL at `at`. */
function urlCauses(raw: string, at: string): StatusCause[] {
  const url = parseGoUrl(raw);
  if (typeof url === 'string') return [required(at, `url must be a valid URL: ${url}${FORM}`)];
  const causes: StatusCause[] = [];
  if (url.scheme !== 'https') {
    causes.push(invalidValue(at, url.scheme, `'https' is the only allowed URL scheme${FORM}`));
  }
  if (url.host === '') causes.push(invalidValue(at, url.host, `host must be specified${FORM}`));
  if (url.user !== undefined) {
    causes.push(invalidValue(at, url.user, 'user information is not permitted in the URL'));
  }
  if (url.fragment !== '') {
    causes.push(invalidValue(at, url.fragment, 'fragments are not permitted in the URL'));
  }
  if (url.rawQuery !== '') {
    causes.push(invalidValue(at, url.rawQuery, 'query parameters are not permitted in the URL'));
  }
  return causes;
}

/** The causes of a service path: `/`-separated DNS subdomains. */
function pathCauses(path: string, at: string): StatusCause[] {
  if (path === '/' || path === '') return [];
  if (path === '//') return [invalidValue(at, path, 'segment[0] may not be empty')];
  const causes: StatusCause[] = [];
  if (!path.startsWith('/')) causes.push(invalidValue(at, path, "must start with a '/'"));
  let inner = path.slice(1);
  if (inner.endsWith('/')) inner = inner.slice(0, -1);
  inner.split('/').forEach((step, i) => {
    if (step === '') {
      causes.push(invalidValue(at, path, `segment[${i}] may not be empty`));
      return;
    }
    for (const why of dns1123SubdomainErrors(step)) {
      causes.push(invalidValue(at, path, `segment[${i}]: ${why}`));
    }
  });
  return causes;
}

/**
 * The causes of a service reference at `at` (its port already defaulted to 443).
 * kube-apiserver passes the service's name where `ValidateWebhookService` expects the
 * namespace and the other way round, so a missing name is reported at `namespace` and a
 * missing namespace at `name`: we say the same.
 */
function serviceCauses(service: JsonObject, at: string): StatusCause[] {
  const causes: StatusCause[] = [];
  if (typeof service.namespace !== 'string' || service.namespace === '') {
    causes.push(required(`${at}.name`));
  }
  if (typeof service.name !== 'string' || service.name === '') {
    causes.push(required(`${at}.namespace`));
  }
  const port = num(service.port);
  const portErrors = portNumberErrors(port);
  if (portErrors.length > 0) {
    causes.push(invalidValue(`${at}.port`, port, `port is not valid: ${portErrors.join(', ')}`));
  }
  if (typeof service.path === 'string') causes.push(...pathCauses(service.path, `${at}.path`));
  return causes;
}

/** The causes of a webhook's `clientConfig` at `at`. */
export function clientConfigCauses(config: Json | undefined, at: string): StatusCause[] {
  const c = isObject(config) ? config : {};
  const url = typeof c.url === 'string' ? c.url : undefined;
  const service = isObject(c.service) ? c.service : undefined;
  if ((url === undefined) === (service === undefined)) {
    return [required(at, 'exactly one of url or service is required')];
  }
  return url !== undefined ? urlCauses(url, `${at}.url`) : serviceCauses(service!, `${at}.service`);
}

/** The AdmissionReview and ConversionReview versions kube-apiserver sends. */
const REVIEW_VERSIONS = ['v1', 'v1beta1'];

/** Whether a list of review versions is empty or names one kube-apiserver sends. */
export function knownReviewVersion(versions: string[]): boolean {
  return versions.length === 0 || versions.some((v) => REVIEW_VERSIONS.includes(v));
}

/**
 * The causes of a webhook's review versions at `at`: some (`missing`: the detail when
 * there are none), unique, DNS-1035 labels, and (when `recognized`) one this server sends.
 */
export function reviewVersionsCauses(
  versions: string[],
  at: string,
  recognized: boolean,
  missing: string,
): StatusCause[] {
  if (versions.length === 0) return [required(at, missing)];
  const causes: StatusCause[] = [];
  const seen = new Set<string>();
  versions.forEach((v, i) => {
    if (seen.has(v)) {
      causes.push(invalidValue(`${at}[${i}]`, v, 'duplicate version'));
      return;
    }
    seen.add(v);
    for (const why of dns1035LabelErrors(v)) causes.push(invalidValue(`${at}[${i}]`, v, why));
  });
  if (recognized && !versions.some((v) => REVIEW_VERSIONS.includes(v))) {
    causes.push(
      invalidValue(at, versions, `must include at least one of ${REVIEW_VERSIONS.join(', ')}`),
    );
  }
  return causes;
}
