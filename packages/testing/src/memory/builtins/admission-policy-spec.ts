/**
 * What Validating- and MutatingAdmissionPolicies share besides their expressions: the
 * defaults kube-apiserver writes (`failurePolicy: Fail`, the `matchConstraints` defaults of
 * a binding's `matchResources`) and its checks of `failurePolicy`, `paramKind` and
 * `matchConstraints` (own code, for kube-apiserver's causes and their order).
 */
import { dns1035LabelErrors, dns1123SubdomainErrors } from '@kube-ts/schema/validation';
import type { StatusCause } from '../errors.js';
import { isObject, type JsonObject, strings } from '../json.js';
import { invalidValue, notSupported, required } from '../validation.js';
import {
  defaultMatchResources,
  MUTATING_OPERATIONS,
  matchResourcesCauses,
} from './admission-policy-binding.js';

const FAILURE_POLICIES = ['Fail', 'Ignore'];

/** Writes a policy spec's defaults. */
export function defaultPolicySpec(spec: JsonObject): void {
  spec.failurePolicy ??= 'Fail';
  defaultMatchResources(spec.matchConstraints);
}

/**
 * A `paramKind`'s causes: an `apiVersion` of at most one `/` with a DNS subdomain group
 * and a DNS label version, and a kind that is a DNS label once lowercased.
 */
function paramKindCauses(kind: JsonObject, at: string): StatusCause[] {
  const causes: StatusCause[] = [];
  const apiVersion = typeof kind.apiVersion === 'string' ? kind.apiVersion : '';
  if (apiVersion === '') causes.push(required(`${at}.apiVersion`));
  else if (apiVersion.split('/').length > 2) {
    const why = `unexpected GroupVersion string: ${apiVersion}`;
    causes.push(invalidValue(`${at}.apiVersion`, apiVersion, why));
  } else if (apiVersion !== '/') {
    const [group, version] = apiVersion.includes('/') ? apiVersion.split('/') : ['', apiVersion];
    const groupErrors = group ? dns1123SubdomainErrors(group) : [];
    if (groupErrors.length > 0) {
      causes.push(invalidValue(`${at}.apiVersion`, group, groupErrors.join(',')));
    }
    if (!version) {
      causes.push(invalidValue(`${at}.apiVersion`, apiVersion, 'version must be specified'));
    } else {
      const versionErrors = dns1035LabelErrors(version);
      if (versionErrors.length > 0) {
        causes.push(invalidValue(`${at}.apiVersion`, version, versionErrors.join(',')));
      }
    }
  } else {
    causes.push(invalidValue(`${at}.apiVersion`, apiVersion, 'version must be specified'));
  }
  const name = typeof kind.kind === 'string' ? kind.kind : '';
  if (name === '') causes.push(required(`${at}.kind`));
  else {
    const errors = dns1035LabelErrors(name.toLowerCase());
    if (errors.length > 0) {
      const why = `may have mixed case, but should otherwise match: ${errors.join(',')}`;
      causes.push(invalidValue(`${at}.kind`, name, why));
    }
  }
  return causes;
}

/**
 * A policy spec's `failurePolicy`, `paramKind` and `matchConstraints` (at least one
 * resource rule, to type the expressions; a mutating policy's rules only creates,
 * updates and connects), as kube-apiserver checks them before the expressions.
 */
export function policySpecCauses(spec: JsonObject, mutating: boolean): StatusCause[] {
  const causes: StatusCause[] = [];
  const failurePolicy = spec.failurePolicy;
  if (typeof failurePolicy !== 'string') causes.push(required('spec.failurePolicy'));
  else if (!FAILURE_POLICIES.includes(failurePolicy)) {
    causes.push(notSupported('spec.failurePolicy', failurePolicy, FAILURE_POLICIES));
  }
  if (isObject(spec.paramKind)) causes.push(...paramKindCauses(spec.paramKind, 'spec.paramKind'));
  const match = spec.matchConstraints;
  if (!isObject(match)) {
    causes.push(required('spec.matchConstraints'));
    return causes;
  }
  causes.push(...matchResourcesCauses(match, 'spec.matchConstraints'));
  const rules = Array.isArray(match.resourceRules) ? match.resourceRules.filter(isObject) : [];
  if (rules.length === 0) causes.push(required('spec.matchConstraints.resourceRules'));
  if (mutating) {
    for (const op of rules.flatMap((r) => strings(r.operations))) {
      if (!MUTATING_OPERATIONS.includes(op)) {
        const field = 'spec.matchConstraints.resourceRules.operations';
        causes.push(notSupported(field, op, MUTATING_OPERATIONS));
      }
    }
  }
  return causes;
}
