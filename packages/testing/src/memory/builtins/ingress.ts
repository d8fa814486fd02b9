/**
 * networking.k8s.io/v1 Ingress: kube-apiserver's checks of the spec (own code, for its
 * causes and their order): a default backend or rules; each rule's host (a DNS name or a
 * `*.` wildcard, not an IP) and HTTP paths (a supported `pathType`, an absolute path free
 * of `//`, `/./`, `/../`, encoded slashes); each backend (a Service by name and port name
 * or number, or a resource reference, not both); TLS hosts and secret names; the class
 * name; on create, a `kubernetes.io/ingress.class` annotation that agrees with
 * `ingressClassName` (and a warning for the annotation alone); through `/status`, the
 * load balancer's IPs and hostnames, with warnings for IPs not in canonical form.
 */
import { dns1123LabelErrors, dns1123SubdomainErrors } from '@kube-ts/schema/validation';
import type { StatusCause } from '../errors.js';
import { isObject, type Json, type JsonObject, num, str } from '../json.js';
import { invalidValue, notSupported, pathSegmentNameErrors, required } from '../validation.js';
import { ipWarnings, isSloppyIP, legacyIPCauses } from './ip-addresses.js';
import type { KindRules } from './kind-rules.js';
import { portNameErrors, portNumberErrors } from './ports.js';

const PATH_TYPES = ['Exact', 'ImplementationSpecific', 'Prefix'];
const BAD_SEQUENCES = ['//', '/./', '/../', '%2f', '%2F'];
const BAD_SUFFIXES = ['/..', '/.'];
const CLASS_ANNOTATION = 'kubernetes.io/ingress.class';
const SUBDOMAIN = '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*';
const WILDCARD = new RegExp(`^\\*\\.${SUBDOMAIN}$`);
const WILDCARD_MESSAGE = `a wildcard DNS-1123 subdomain must start with '*.', followed by a valid DNS subdomain, which must consist of lower case alphanumeric characters, '-' or '.' and end with an alphanumeric character (e.g. '*.example.com', regex used for validation is '\\*\\.${SUBDOMAIN}')`;

const objects = (v: Json | undefined) => (Array.isArray(v) ? v.filter(isObject) : []);
const each = (field: string, value: Json, messages: string[]) =>
  messages.map((why) => invalidValue(field, value, why));

/** `IsWildcardDNS1123Subdomain`'s messages. */
function wildcardErrors(host: string): string[] {
  const errs = host.length > 253 ? ['must be no more than 253 characters'] : [];
  if (!WILDCARD.test(host)) errs.push(WILDCARD_MESSAGE);
  return errs;
}

/** A host of a rule or a TLS entry: a wildcard or a DNS subdomain. */
function hostErrors(host: string): string[] {
  return host.includes('*') ? wildcardErrors(host) : dns1123SubdomainErrors(host);
}

/** A `TypedLocalObjectReference` backend: a subdomain apiGroup, a kind and a name. */
function resourceRefCauses(ref: JsonObject, at: string): StatusCause[] {
  const causes: StatusCause[] = [];
  if (typeof ref.apiGroup === 'string')
    causes.push(...each(`${at}.apiGroup`, ref.apiGroup, dns1123SubdomainErrors(ref.apiGroup)));
  for (const key of ['kind', 'name']) {
    const v = str(ref[key]);
    if (v === '') causes.push(required(`${at}.${key}`));
    else causes.push(...each(`${at}.${key}`, v, pathSegmentNameErrors(v)));
  }
  return causes;
}

function backendCauses(backend: JsonObject, at: string): StatusCause[] {
  const { resource, service } = backend;
  if (isObject(resource) && isObject(service))
    return [invalidValue(at, '', 'cannot set both resource and service backends')];
  if (isObject(resource)) return resourceRefCauses(resource, `${at}.resource`);
  if (!isObject(service)) return [invalidValue(at, '', 'resource or service backend is required')];
  const causes: StatusCause[] = [];
  const name = str(service.name);
  // RelaxedServiceNameValidation (on in 1.36): a Service name is an RFC 1123 label.
  if (name === '') causes.push(required(`${at}.service.name`));
  else causes.push(...each(`${at}.service.name`, name, dns1123LabelErrors(name)));
  const port = isObject(service.port) ? service.port : {};
  const portName = str(port.name);
  const number = num(port.number);
  if (portName !== '' && number !== 0)
    causes.push(invalidValue(at, '', 'cannot set both port name & port number'));
  else if (portName !== '')
    causes.push(...each(`${at}.service.port.name`, portName, portNameErrors(portName)));
  else if (number !== 0)
    causes.push(...each(`${at}.service.port.number`, number, portNumberErrors(number)));
  else causes.push(required(at, 'port name or number is required'));
  return causes;
}

function pathCauses(p: JsonObject, at: string): StatusCause[] {
  const type = p.pathType;
  if (type === undefined || type === null)
    return [required(`${at}.pathType`, 'pathType must be specified')];
  const causes: StatusCause[] = [];
  const path = str(p.path);
  const absolute = () => invalidValue(`${at}.path`, path, 'must be an absolute path');
  if (type === 'Exact' || type === 'Prefix') {
    if (!path.startsWith('/')) causes.push(absolute());
    for (const seq of path ? BAD_SEQUENCES : []) {
      if (path.includes(seq))
        causes.push(invalidValue(`${at}.path`, path, `must not contain '${seq}'`));
    }
    for (const suffix of path ? BAD_SUFFIXES : []) {
      if (path.endsWith(suffix))
        causes.push(invalidValue(`${at}.path`, path, `cannot end with '${suffix}'`));
    }
  } else if (type === 'ImplementationSpecific') {
    if (path !== '' && !path.startsWith('/')) causes.push(absolute());
  } else causes.push(notSupported(`${at}.pathType`, type, PATH_TYPES));
  causes.push(...backendCauses(isObject(p.backend) ? p.backend : {}, `${at}.backend`));
  return causes;
}

function ruleCauses(rule: JsonObject, at: string): StatusCause[] {
  const causes: StatusCause[] = [];
  const host = str(rule.host);
  if (host !== '') {
    if (isSloppyIP(host))
      causes.push(invalidValue(`${at}.host`, host, 'must be a DNS name, not an IP address'));
    causes.push(...each(`${at}.host`, host, hostErrors(host)));
  }
  if (isObject(rule.http)) {
    const paths = objects(rule.http.paths);
    if (paths.length === 0) causes.push(required(`${at}.http.paths`));
    causes.push(...paths.flatMap((p, i) => pathCauses(p, `${at}.http.paths[${i}]`)));
  }
  return causes;
}

function specCauses(obj: JsonObject): StatusCause[] {
  const spec = isObject(obj.spec) ? obj.spec : {};
  const causes: StatusCause[] = [];
  const rules = Array.isArray(spec.rules) ? spec.rules : [];
  if (rules.length === 0 && !isObject(spec.defaultBackend)) {
    // The value is the rules list as Go encodes it: `null` when absent.
    causes.push(
      invalidValue(
        'spec',
        Array.isArray(spec.rules) ? [] : null,
        'either `defaultBackend` or `rules` must be specified',
      ),
    );
  }
  if (isObject(spec.defaultBackend))
    causes.push(...backendCauses(spec.defaultBackend, 'spec.defaultBackend'));
  causes.push(...objects(rules).flatMap((r, i) => ruleCauses(r, `spec.rules[${i}]`)));
  objects(spec.tls).forEach((tls, i) => {
    const at = `spec.tls[${i}]`;
    const hosts = Array.isArray(tls.hosts) ? tls.hosts : [];
    causes.push(...hosts.flatMap((h, j) => each(`${at}.hosts[${j}]`, h, hostErrors(str(h)))));
    const secret = str(tls.secretName);
    if (secret !== '')
      causes.push(...each(`${at}.secretName`, secret, dns1123SubdomainErrors(secret)));
  });
  if (typeof spec.ingressClassName === 'string') {
    const name = spec.ingressClassName;
    causes.push(...each('spec.ingressClassName', name, dns1123SubdomainErrors(name)));
  }
  return causes;
}

/** The load balancer entries of `status.loadBalancer.ingress`. */
function loadBalancerEntries(obj: JsonObject | undefined): JsonObject[] {
  const status = isObject(obj?.status) ? obj.status : {};
  return objects(isObject(status.loadBalancer) ? status.loadBalancer.ingress : undefined);
}

/**
 * `ValidateIngressLoadBalancerStatus`: each IP a legacy IP (one the stored status already
 * had is kept as it is), each hostname a DNS subdomain that is not an IP. The ports are
 * not checked there.
 */
function statusCauses(obj: JsonObject, old: JsonObject | undefined): StatusCause[] {
  const stored = loadBalancerEntries(old)
    .map((e) => str(e.ip))
    .filter((ip) => ip !== '');
  return loadBalancerEntries(obj).flatMap((entry, i) => {
    const at = `status.loadBalancer.ingress[${i}]`;
    const ip = str(entry.ip);
    const host = str(entry.hostname);
    const causes = ip === '' || stored.includes(ip) ? [] : legacyIPCauses(`${at}.ip`, ip);
    if (host !== '') {
      causes.push(...each(`${at}.hostname`, host, dns1123SubdomainErrors(host)));
      if (isSloppyIP(host))
        causes.push(invalidValue(`${at}.hostname`, host, 'must be a DNS name, not an IP address'));
    }
    return causes;
  });
}

/** networking.k8s.io/v1 Ingress's validation. */
export const ingressRules: KindRules = {
  validate(obj, ctx) {
    if (ctx.subresource === 'status') return statusCauses(obj, ctx.old);
    const causes = specCauses(obj);
    const meta = isObject(obj.metadata) ? obj.metadata : {};
    const annotation = isObject(meta.annotations) ? meta.annotations[CLASS_ANNOTATION] : undefined;
    const spec = isObject(obj.spec) ? obj.spec : {};
    const className = spec.ingressClassName;
    if (ctx.create && typeof annotation === 'string' && typeof className === 'string') {
      if (annotation !== className) {
        causes.push(
          invalidValue(
            `annotations.${CLASS_ANNOTATION}`,
            annotation,
            'must match `ingressClassName` when both are specified',
          ),
        );
      }
    }
    return causes;
  },
  warnings(obj, ctx) {
    if (ctx.subresource === 'status') {
      // kube-apiserver names the entry, not its `ip`, in these warnings.
      return loadBalancerEntries(obj).flatMap((e, i) =>
        str(e.ip) === '' ? [] : ipWarnings(`status.loadBalancer.ingress[${i}]`, str(e.ip)),
      );
    }
    const meta = isObject(obj.metadata) ? obj.metadata : {};
    const annotated = isObject(meta.annotations) && CLASS_ANNOTATION in meta.annotations;
    const spec = isObject(obj.spec) ? obj.spec : {};
    if (!ctx.create || !annotated || typeof spec.ingressClassName === 'string') return [];
    return [
      `annotation "${CLASS_ANNOTATION}" is deprecated, please use 'spec.ingressClassName' instead`,
    ];
  },
};
