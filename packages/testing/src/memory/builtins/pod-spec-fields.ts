/**
 * The scalar and small fields of a pod spec that kube-apiserver's `ValidatePodSpec` checks
 * (own code: the causes and their words are what a test sees): `nodeSelector` labels,
 * readiness and scheduling gates, the service account and node names,
 * `activeDeadlineSeconds`, `hostname`, `subdomain`, `hostnameOverride`, host aliases,
 * `runtimeClassName` and `overhead`.
 */
import {
  dns1123LabelErrors,
  dns1123SubdomainErrors,
  labelValueErrors,
} from '@kube-ts/schema/validation';
import type { StatusCause } from '../errors.js';
import { isObject, type Json, type JsonObject, str } from '../json.js';
import {
  duplicate,
  forbiddenValue,
  invalidValue,
  qualifiedNameErrors,
  tooLong,
} from '../validation.js';
import { legacyIPCauses } from './ip-addresses.js';
import { containerResourceCauses } from './pod-resources.js';

const causesOf = (field: string, value: Json, errors: string[]) =>
  errors.map((why) => invalidValue(field, value, why));

/**
 * `nodeSelector` keys and values, as labels (kube-apiserver ranges over the map, so the
 * causes of several entries come in no fixed order; here in key order).
 */
export function nodeSelectorCauses(spec: JsonObject, path: string): StatusCause[] {
  const field = `${path}.nodeSelector`;
  const selector = isObject(spec.nodeSelector) ? spec.nodeSelector : {};
  return Object.entries(selector).flatMap(([k, v]) => [
    ...causesOf(field, k, qualifiedNameErrors(k)),
    ...causesOf(field, v, labelValueErrors(str(v))),
  ]);
}

/** Readiness gates (qualified condition types) and scheduling gates (qualified, unique). */
export function gateCauses(spec: JsonObject, path: string): StatusCause[] {
  const causes: StatusCause[] = [];
  const readiness = Array.isArray(spec.readinessGates) ? spec.readinessGates : [];
  readiness.forEach((g, i) => {
    const type = isObject(g) ? str(g.conditionType) : '';
    causes.push(
      ...causesOf(`${path}.readinessGates[${i}].conditionType`, type, qualifiedNameErrors(type)),
    );
  });
  const seen = new Set<string>();
  const scheduling = Array.isArray(spec.schedulingGates) ? spec.schedulingGates : [];
  scheduling.forEach((g, i) => {
    const name = isObject(g) ? str(g.name) : '';
    const at = `${path}.schedulingGates[${i}]`;
    causes.push(...causesOf(at, name, qualifiedNameErrors(name)));
    if (seen.has(name)) causes.push(duplicate(at, name));
    seen.add(name);
  });
  return causes;
}

/**
 * The service account and node names (DNS subdomains), `activeDeadlineSeconds` (1 to
 * 2^31-1), `hostname` and `subdomain` (DNS labels), in kube-apiserver's order.
 */
export function identityCauses(spec: JsonObject, path: string): StatusCause[] {
  const causes: StatusCause[] = [];
  for (const f of ['serviceAccountName', 'nodeName']) {
    const v = str(spec[f]);
    if (v !== '') causes.push(...causesOf(`${path}.${f}`, v, dns1123SubdomainErrors(v)));
  }
  const deadline = spec.activeDeadlineSeconds;
  if (typeof deadline === 'number' && (deadline < 1 || deadline > 2147483647)) {
    causes.push(
      invalidValue(
        `${path}.activeDeadlineSeconds`,
        deadline,
        'must be between 1 and 2147483647, inclusive',
      ),
    );
  }
  for (const f of ['hostname', 'subdomain']) {
    const v = str(spec[f]);
    if (v !== '') causes.push(...causesOf(`${path}.${f}`, v, dns1123LabelErrors(v)));
  }
  return causes;
}

/**
 * `hostnameOverride` (`validatePodHostName`; set, even to `""`, it is checked): not with
 * `setHostnameAsFQDN` or the host's network, at most 64 bytes, a DNS subdomain.
 */
export function hostnameOverrideCauses(spec: JsonObject, path: string): StatusCause[] {
  const v = spec.hostnameOverride;
  if (typeof v !== 'string') return [];
  const at = `${path}.hostnameOverride`;
  const causes: StatusCause[] = [];
  if (spec.setHostnameAsFQDN === true)
    causes.push(forbiddenValue(at, 'may not be specified when setHostnameAsFQDN is true'));
  if (isObject(spec.securityContext) && spec.securityContext.hostNetwork === true)
    causes.push(forbiddenValue(at, 'may not be specified when hostNetwork is true'));
  if (Buffer.byteLength(v) > 64) causes.push(tooLong(at, 64));
  return [...causes, ...causesOf(at, v, dns1123SubdomainErrors(v))];
}

/** Host aliases: an IP and hostnames that are DNS subdomains. */
export function hostAliasCauses(spec: JsonObject, path: string): StatusCause[] {
  const aliases = Array.isArray(spec.hostAliases) ? spec.hostAliases : [];
  return aliases.flatMap((a, i) => {
    if (!isObject(a)) return [];
    const at = `${path}.hostAliases[${i}]`;
    const names = Array.isArray(a.hostnames) ? a.hostnames.map((h) => str(h)) : [];
    return [
      ...legacyIPCauses(`${at}.ip`, str(a.ip)),
      ...names.flatMap((h, j) => causesOf(`${at}.hostnames[${j}]`, h, dns1123SubdomainErrors(h))),
    ];
  });
}

/**
 * `runtimeClassName` (a DNS subdomain) and `overhead` (checked as container limits are,
 * which is how kube-apiserver checks it).
 */
export function runtimeClassCauses(spec: JsonObject, path: string): StatusCause[] {
  const causes: StatusCause[] = [];
  const name = spec.runtimeClassName;
  if (typeof name === 'string') {
    causes.push(...causesOf(`${path}.runtimeClassName`, name, dns1123SubdomainErrors(name)));
  }
  if (isObject(spec.overhead)) {
    causes.push(...containerResourceCauses({ limits: spec.overhead }, `${path}.overhead`));
  }
  return causes;
}
