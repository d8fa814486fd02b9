/**
 * core/v1 ResourceQuota: kube-apiserver's strategy and checks (own code, for the causes and
 * their words). A new quota's status is cleared (the quota controller writes it); the spec's
 * `hard` names (standard quota resources or domain-qualified) and quantities (not negative,
 * whole for counted resources), its `scopes` (standard, each fit for every standard
 * resource limited, not two that contradict each other; immutable) and its `scopeSelector`
 * (standard scope names, the operator each allows, values by operator); a status write's
 * `hard` and `used` the same way as the spec's `hard`. A new quota whose request limit is
 * above its limit gets the strategy's warning. kube-apiserver ranges over the `hard` map,
 * so several keys' causes come in no fixed order there (in key order here).
 */
import { Quantity } from '@kube-ts/schema/validation';
import type { StatusCause } from '../errors.js';
import { isObject, type Json, type JsonObject, objAt, objects, str, strings } from '../json.js';
import { invalidValue, required } from '../validation.js';
import { internalJson } from './go-internal-json.js';
import { FIELD_IMMUTABLE, type KindRules } from './kind-rules.js';
import { quantityCauses, resourceListEntries, resourceNameCauses } from './pod-resources.js';

/** `standardQuotaResources`: the names a quota may limit without a domain. */
const STANDARD_QUOTA = new Set([
  'cpu',
  'memory',
  'ephemeral-storage',
  'requests.cpu',
  'requests.memory',
  'requests.storage',
  'requests.ephemeral-storage',
  'limits.cpu',
  'limits.memory',
  'limits.ephemeral-storage',
  'pods',
  'resourcequotas',
  'services',
  'replicationcontrollers',
  'secrets',
  'persistentvolumeclaims',
  'configmaps',
  'services.nodeports',
  'services.loadbalancers',
]);

/** `IsStandardQuotaResourceName`: a standard quota resource or a huge page one. */
const isStandardQuota = (name: string) =>
  STANDARD_QUOTA.has(name) ||
  name.startsWith('hugepages-') ||
  name.startsWith('requests.hugepages-');

/** `standardResourceQuotaScopes` and `CrossNamespacePodAffinity`. */
const SCOPES = new Set([
  'Terminating',
  'NotTerminating',
  'BestEffort',
  'NotBestEffort',
  'PriorityClass',
  'VolumeAttributesClass',
  'CrossNamespacePodAffinity',
]);

const POD_COUNT = new Set(['pods']);
const POD_COMPUTE = new Set([
  'cpu',
  'memory',
  'limits.cpu',
  'limits.memory',
  'requests.cpu',
  'requests.memory',
]);

/** `IsResourceQuotaScopeValidForResource`. */
function scopeFits(scope: string, resource: string): boolean {
  switch (scope) {
    case 'Terminating':
    case 'NotTerminating':
    case 'NotBestEffort':
    case 'PriorityClass':
    case 'CrossNamespacePodAffinity':
      return POD_COUNT.has(resource) || POD_COMPUTE.has(resource);
    case 'BestEffort':
      return POD_COUNT.has(resource);
    case 'VolumeAttributesClass':
      return resource === 'persistentvolumeclaims' || resource === 'requests.storage';
    default:
      return true;
  }
}

/** Scopes that contradict each other. */
const CONFLICTING = [
  ['BestEffort', 'NotBestEffort'],
  ['Terminating', 'NotTerminating'],
];

/** Scopes whose selector operator must be `Exists`. */
const EXISTS_ONLY = new Set([
  'BestEffort',
  'NotBestEffort',
  'Terminating',
  'NotTerminating',
  'CrossNamespacePodAffinity',
]);

/** `ValidateResourceQuotaResourceName` and `ValidateResourceQuantityValue` over one list. */
function resourceListCauses(list: Json | undefined, at: string): StatusCause[] {
  return resourceListEntries(list).flatMap(([name, text, q]) => {
    const key = `${at}[${name}]`;
    const causes = resourceNameCauses(name, key);
    if (!name.includes('/') && !isStandardQuota(name))
      causes.push(invalidValue(key, name, 'must be a standard resource for quota'));
    return [...causes, ...quantityCauses(name, text, q, key)];
  });
}

/** The standard quota resources the spec limits, sorted (Go's `sets.List`). */
const hardNames = (spec: JsonObject) =>
  (isObject(spec.hard) ? Object.keys(spec.hard) : []).filter(isStandardQuota).sort();

/** `validateResourceQuotaScopes`. */
function scopesCauses(spec: JsonObject): StatusCause[] {
  const scopes = strings(spec.scopes);
  if (scopes.length === 0) return [];
  const value = spec.scopes;
  const causes: StatusCause[] = [];
  for (const scope of scopes) {
    if (!SCOPES.has(scope)) causes.push(invalidValue('spec.scopes', value, 'unsupported scope'));
    for (const name of hardNames(spec)) {
      if (!scopeFits(scope, name)) {
        causes.push(invalidValue('spec.scopes', value, 'unsupported scope applied to resource'));
      }
    }
  }
  for (const pair of CONFLICTING) {
    if (pair.every((s) => scopes.includes(s)))
      causes.push(invalidValue('spec.scopes', value, 'conflicting scopes'));
  }
  return causes;
}

/** `validateScopedResourceSelectorRequirement`. */
function scopeSelectorCauses(spec: JsonObject): StatusCause[] {
  if (!isObject(spec.scopeSelector)) return [];
  const at = 'spec.scopeSelector.matchExpressions';
  const selector = internalJson(spec.scopeSelector, 'core.ScopeSelector');
  const causes: StatusCause[] = [];
  const names: string[] = [];
  for (const req of objects(spec.scopeSelector.matchExpressions)) {
    const scope = str(req.scopeName);
    const op = str(req.operator);
    const values = strings(req.values);
    if (!SCOPES.has(scope))
      causes.push(invalidValue(`${at}.scopeName`, scope, 'unsupported scope'));
    for (const name of hardNames(spec)) {
      if (!scopeFits(scope, name))
        causes.push(invalidValue(at, selector, 'unsupported scope applied to resource'));
    }
    if (EXISTS_ONLY.has(scope) && op !== 'Exists') {
      causes.push(
        invalidValue(
          `${at}.operator`,
          op,
          "must be 'Exists' when scope is any of ResourceQuotaScopeTerminating, ResourceQuotaScopeNotTerminating, ResourceQuotaScopeBestEffort, ResourceQuotaScopeNotBestEffort or ResourceQuotaScopeCrossNamespacePodAffinity",
        ),
      );
    }
    if (op === 'In' || op === 'NotIn') {
      if (values.length === 0) {
        causes.push(
          required(
            `${at}.values`,
            "must be at least one value when `operator` is 'In' or 'NotIn' for scope selector",
          ),
        );
      }
    } else if (op === 'Exists' || op === 'DoesNotExist') {
      if (values.length !== 0) {
        causes.push(
          invalidValue(
            `${at}.values`,
            values,
            "must be no value when `operator` is 'Exist' or 'DoesNotExist' for scope selector",
          ),
        );
      }
    } else {
      causes.push(invalidValue(`${at}.operator`, op, 'not a valid selector operator'));
    }
    names.push(scope);
  }
  for (const pair of CONFLICTING) {
    // kube-apiserver quotes `spec.scopes` here, not the selector.
    if (pair.every((s) => names.includes(s)))
      causes.push(invalidValue(at, spec.scopes ?? null, 'conflicting scopes'));
  }
  return causes;
}

/** `ValidateResourceQuotaSpec`. */
function specCauses(spec: JsonObject): StatusCause[] {
  return [
    ...resourceListCauses(spec.hard, 'spec.hard'),
    ...scopesCauses(spec),
    ...scopeSelectorCauses(spec),
  ];
}

/** A status's `hard` and `used`, as `ValidateResourceQuotaStatus` checks them. */
function statusCauses(obj: JsonObject): StatusCause[] {
  const status = isObject(obj.status) ? obj.status : {};
  return [
    ...resourceListCauses(status.hard, 'status.hard'),
    ...resourceListCauses(status.used, 'status.used'),
  ];
}

/** Whether two scope lists hold the same scopes (as sets). */
function sameScopes(a: Json | undefined, b: Json | undefined): boolean {
  const x = new Set(strings(a));
  const y = new Set(strings(b));
  return x.size === y.size && [...x].every((s) => y.has(s));
}

/** The resources whose request and limit the create warning compares. */
const WARNED = ['cpu', 'memory', 'storage', 'ephemeral-storage'];

/** core/v1 ResourceQuota's strategy. */
export const resourceQuotaRules: KindRules = {
  defaults(obj, create) {
    if (create) obj.status = {};
  },
  validate(obj, ctx) {
    if (ctx.subresource === 'status') return statusCauses(obj);
    const spec = objAt(obj, 'spec');
    // A new quota's status was cleared: only its spec can be wrong.
    if (ctx.create) return specCauses(spec);
    const causes = specCauses(spec);
    if (!sameScopes(spec.scopes, ctx.old && objAt(ctx.old, 'spec').scopes))
      causes.push(invalidValue('spec.scopes', spec.scopes ?? null, FIELD_IMMUTABLE));
    return causes;
  },
  warnings(obj, ctx) {
    if (!ctx.create) return [];
    const hard = objAt(objAt(obj, 'spec'), 'hard');
    const out: string[] = [];
    for (const resource of WARNED) {
      let requestName = `requests.${resource}`;
      let request = hard[requestName];
      if (request === undefined && (resource === 'cpu' || resource === 'memory')) {
        request = hard[resource];
        requestName = resource;
      }
      const limitName = `limits.${resource}`;
      const limit = hard[limitName];
      const r = Quantity.parse(str(request));
      const l = Quantity.parse(str(limit));
      if (r && l && r.compareTo(l) > 0) {
        out.push(
          `ResourceQuota ${requestName} (${str(request)}) should be less than ${limitName} (${str(limit)})`,
        );
      }
    }
    return out;
  },
};
