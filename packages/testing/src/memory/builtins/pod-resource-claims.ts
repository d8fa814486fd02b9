/**
 * Dynamic resource allocation in a pod spec, checked as kube-apiserver's
 * `validatePodResourceClaims`, `validateResourceClaimNames` and
 * `validatePodResourceClaimStatuses` check it (own code: the causes and their words are
 * what a test sees): the pod's `resourceClaims` (names unique RFC 1123 labels, exactly one
 * of `resourceClaimName` and `resourceClaimTemplateName`, each a DNS subdomain), the
 * claims a container's `resources.claims` names (each a pod claim, once, a request an RFC
 * 1123 label), and a Pod status's `resourceClaimStatuses`.
 */
import { dns1123SubdomainErrors } from '@kube-ts/schema/validation';
import type { StatusCause } from '../errors.js';
import { isObject, type Json, type JsonObject, str } from '../json.js';
import {
  duplicate,
  forbiddenValue,
  invalidValue,
  notFoundValue,
  required,
  rfc1123LabelCauses,
} from '../validation.js';
import { isMirrorPod, ROOT_PATH } from './pod-mirror.js';

const list = (v: Json | undefined) => (Array.isArray(v) ? v.filter(isObject) : []);
const isSet = (v: Json | undefined) => v !== undefined && v !== null;

/**
 * A pod claim as kube-apiserver quotes it: Go's encoding of its internal struct (field
 * names without tags, the two `*string` names null when unset).
 */
function quotedClaim(claim: JsonObject): Json {
  const name = (v: Json | undefined) => (isSet(v) ? str(v) : null);
  return {
    Name: str(claim.name),
    ResourceClaimName: name(claim.resourceClaimName),
    ResourceClaimTemplateName: name(claim.resourceClaimTemplateName),
  };
}

function subdomainCauses(at: string, name: string): StatusCause[] {
  return dns1123SubdomainErrors(name).map((why) => invalidValue(at, name, why));
}

/** The names of a pod spec's `resourceClaims` (the non-empty ones), which containers may name. */
export function podClaimNames(claims: Json | undefined): Set<string> {
  return new Set(
    list(claims)
      .map((c) => str(c.name))
      .filter((n) => n !== ''),
  );
}

/**
 * The causes of a pod spec's `resourceClaims` at `at` (`podMeta` for a Pod's own spec: a
 * static Pod's mirror gets one refusal per claim instead).
 */
export function podResourceClaimCauses(
  claims: Json | undefined,
  at: string,
  podMeta?: JsonObject,
): StatusCause[] {
  if (isMirrorPod(podMeta)) {
    return list(claims).map(() =>
      forbiddenValue(ROOT_PATH, 'static pods do not support resource claims'),
    );
  }
  const causes: StatusCause[] = [];
  const seen = new Set<string>();
  list(claims).forEach((claim, i) => {
    const p = `${at}[${i}]`;
    const name = str(claim.name);
    if (name === '') causes.push(required(`${p}.name`));
    else if (seen.has(name)) causes.push(duplicate(`${p}.name`, name));
    else {
      causes.push(...rfc1123LabelCauses(`${p}.name`, name));
      seen.add(name);
    }
    const byName = isSet(claim.resourceClaimName);
    const byTemplate = isSet(claim.resourceClaimTemplateName);
    if (byName && byTemplate) {
      causes.push(
        invalidValue(
          p,
          quotedClaim(claim),
          'at most one of `resourceClaimName` or `resourceClaimTemplateName` may be specified',
        ),
      );
    }
    if (!byName && !byTemplate) {
      causes.push(
        invalidValue(
          p,
          quotedClaim(claim),
          'must specify one of: `resourceClaimName`, `resourceClaimTemplateName`',
        ),
      );
    }
    if (byName)
      causes.push(...subdomainCauses(`${p}.resourceClaimName`, str(claim.resourceClaimName)));
    if (byTemplate) {
      causes.push(
        ...subdomainCauses(`${p}.resourceClaimTemplateName`, str(claim.resourceClaimTemplateName)),
      );
    }
  });
  return causes;
}

/**
 * The causes of a container's `resources.claims` at `at`: each names a pod claim, and a
 * claim (or one of its requests) at most once; a whole claim after one of its requests is
 * a duplicate too.
 */
export function containerClaimCauses(
  claims: Json | undefined,
  podClaims: Set<string>,
  at: string,
): StatusCause[] {
  const causes: StatusCause[] = [];
  const keys = new Set<string>();
  list(claims).forEach((claim, i) => {
    const p = `${at}[${i}]`;
    const name = str(claim.name);
    if (name === '') {
      causes.push(required(p));
      return;
    }
    if (keys.has(name)) causes.push(duplicate(p, name));
    else {
      const request = str(claim.request);
      const key = request === '' ? name : `${name}/${request}`;
      if (request !== '') causes.push(...rfc1123LabelCauses(`${p}.request`, request));
      if (keys.has(key)) causes.push(duplicate(p, key));
      else if (request === '') {
        for (const k of keys) if (k.startsWith(`${name}/`)) causes.push(duplicate(p, name));
      }
      keys.add(key);
    }
    if (!podClaims.has(name)) {
      const names = [...podClaims].sort();
      const which = names.length === 0 ? ' which is empty' : `: ${names.join(', ')}`;
      const cause = notFoundValue(p, name);
      cause.message += `: must be one of the names in pod.spec.resourceClaims${which}`;
      causes.push(cause);
    }
  });
  return causes;
}

/**
 * The causes of a Pod status's `resourceClaimStatuses`: each names a claim of the spec,
 * once, and the claim it was given is a DNS subdomain.
 */
export function resourceClaimStatusCauses(
  statuses: Json | undefined,
  podClaims: Json | undefined,
  at: string,
): StatusCause[] {
  const causes: StatusCause[] = [];
  const known = new Set(list(podClaims).map((c) => str(c.name)));
  const seen = new Set<string>();
  list(statuses).forEach((s, i) => {
    const p = `${at}[${i}]`;
    const name = str(s.name);
    if (!known.has(name)) {
      causes.push(
        invalidValue(`${p}.name`, name, 'must match the name of an entry in `spec.resourceClaims`'),
      );
    }
    if (seen.has(name)) causes.push(duplicate(`${p}.name`, name));
    else seen.add(name);
    if (isSet(s.resourceClaimName)) {
      causes.push(...subdomainCauses(`${p}.resourceClaimName`, str(s.resourceClaimName)));
    }
  });
  return causes;
}
