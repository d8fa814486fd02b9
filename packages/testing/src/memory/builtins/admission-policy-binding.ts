/**
 * admissionregistration.k8s.io/v1 ValidatingAdmissionPolicyBinding and
 * MutatingAdmissionPolicyBinding: the defaults of their `matchResources` (match policy
 * `Equivalent`, empty selectors, each rule's scope `*`) and kube-apiserver's validation of
 * their specs (own code, for its causes): the policy name, the `paramRef`, the match
 * resources with their rules, the validation actions, and the operations a mutating
 * binding may match.
 */
import { dns1123SubdomainErrors } from '@kube-ts/schema/validation';
import type { StatusCause } from '../errors.js';
import { isObject, type Json, type JsonObject, strings } from '../json.js';
import {
  duplicate,
  forbiddenValue,
  invalidValue,
  notSupported,
  pathSegmentNameErrors,
  required,
} from '../validation.js';
import type { KindRules } from './kind-rules.js';
import { labelSelectorCauses } from './label-selector.js';

const objects = (v: Json | undefined): JsonObject[] => (Array.isArray(v) ? v.filter(isObject) : []);

const OPERATIONS = ['*', 'CONNECT', 'CREATE', 'DELETE', 'UPDATE'];
/** The operations a mutating policy or binding may match: only creates and updates can be mutated. */
export const MUTATING_OPERATIONS = ['*', 'CONNECT', 'CREATE', 'UPDATE'];
const SCOPES = ['*', 'Cluster', 'Namespaced'];
const MATCH_POLICIES = ['Equivalent', 'Exact'];
const VALIDATION_ACTIONS = ['Audit', 'Deny', 'Warn'];

/** A rule's `resources` (subresources allowed), with its wildcard rules. */
function resourcesCauses(resources: string[], at: string): StatusCause[] {
  const causes: StatusCause[] = [];
  if (resources.length === 0) causes.push(required(at));
  const wildSubresource = new Set<string>();
  const wildResource = new Set<string>();
  let single = false;
  let plain = false;
  resources.forEach((r, i) => {
    if (r === '') {
      causes.push(required(`${at}[${i}]`));
      return;
    }
    if (r === '*') single = true;
    const slash = r.indexOf('/');
    if (slash < 0) {
      plain = r !== '*';
      return;
    }
    const res = r.slice(0, slash);
    const sub = r.slice(slash + 1);
    if (wildSubresource.has(res)) {
      causes.push(
        invalidValue(`${at}[${i}]`, r, `if '${res}/*' is present, must not specify ${r}`),
      );
    }
    if (wildResource.has(sub)) {
      causes.push(
        invalidValue(`${at}[${i}]`, r, `if '*/${sub}' is present, must not specify ${r}`),
      );
    }
    if (sub === '*') wildSubresource.add(res);
    if (res === '*') wildResource.add(sub);
  });
  if (resources.length > 1 && resources.includes('*/*')) {
    causes.push(
      invalidValue(at, resources, "if '*/*' is present, must not specify other resources"),
    );
  }
  if (single && plain) {
    causes.push(
      invalidValue(
        at,
        resources,
        "if '*' is present, must not specify other resources without subresources",
      ),
    );
  }
  return causes;
}

/** A list that may not mix `*` with other entries (`what`: its name in the message). */
function wildcardListCauses(values: string[], at: string, what: string): StatusCause[] {
  const causes: StatusCause[] = [];
  if (values.length === 0) causes.push(required(at));
  if (values.length > 1 && values.includes('*')) {
    causes.push(invalidValue(at, values, `if '*' is present, must not specify other ${what}`));
  }
  return causes;
}

/**
 * A RuleWithOperations at `at` (webhook rules, a policy's or binding's resource rules):
 * operations, API groups, versions, resources and scope, in kube-apiserver's order.
 */
export function ruleWithOperationsCauses(rule: JsonObject, at: string): StatusCause[] {
  const operations = strings(rule.operations);
  const causes = wildcardListCauses(operations, `${at}.operations`, 'operations');
  operations.forEach((op, i) => {
    if (!OPERATIONS.includes(op))
      causes.push(notSupported(`${at}.operations[${i}]`, op, OPERATIONS));
  });
  causes.push(...wildcardListCauses(strings(rule.apiGroups), `${at}.apiGroups`, 'API groups'));
  const versions = strings(rule.apiVersions);
  causes.push(...wildcardListCauses(versions, `${at}.apiVersions`, 'API versions'));
  versions.forEach((v, i) => {
    if (v === '') causes.push(required(`${at}.apiVersions[${i}]`));
  });
  causes.push(...resourcesCauses(strings(rule.resources), `${at}.resources`));
  if (typeof rule.scope === 'string' && !SCOPES.includes(rule.scope))
    causes.push(notSupported(`${at}.scope`, rule.scope, SCOPES));
  return causes;
}

/** A NamedRuleWithOperations: its resource names (path segments, no repeats), then the rule. */
function namedRuleCauses(rule: JsonObject, at: string): StatusCause[] {
  const causes: StatusCause[] = [];
  const seen = new Set<string>();
  strings(rule.resourceNames).forEach((name, i) => {
    const field = `${at}.resourceNames[${i}]`;
    for (const why of pathSegmentNameErrors(name)) causes.push(invalidValue(field, name, why));
    if (seen.has(name)) causes.push(duplicate(field, name));
    seen.add(name);
  });
  return [...causes, ...ruleWithOperationsCauses(rule, at)];
}

/** A `matchResources` (a binding's, a policy's `matchConstraints`), already defaulted. */
export function matchResourcesCauses(match: Json | undefined, at: string): StatusCause[] {
  if (!isObject(match)) return [];
  const causes: StatusCause[] = [];
  const policy = match.matchPolicy;
  if (typeof policy !== 'string') causes.push(required(`${at}.matchPolicy`));
  else if (!MATCH_POLICIES.includes(policy))
    causes.push(notSupported(`${at}.matchPolicy`, policy, MATCH_POLICIES));
  for (const k of ['namespaceSelector', 'objectSelector']) {
    const selector = match[k];
    if (isObject(selector)) causes.push(...labelSelectorCauses(selector, `${at}.${k}`));
    else causes.push(required(`${at}.${k}`));
  }
  for (const k of ['resourceRules', 'excludeResourceRules']) {
    objects(match[k]).forEach((r, i) => {
      causes.push(...namedRuleCauses(r, `${at}.${k}[${i}]`));
    });
  }
  return causes;
}

/** Writes the defaults of a `matchResources` and of its rules' scopes. */
export function defaultMatchResources(match: Json | undefined): void {
  if (!isObject(match)) return;
  match.matchPolicy ??= 'Equivalent';
  match.namespaceSelector ??= {};
  match.objectSelector ??= {};
  for (const k of ['resourceRules', 'excludeResourceRules'])
    for (const r of objects(match[k])) r.scope ??= '*';
}

/** A binding's `paramRef`: a name or a selector (not both) and what to do without params. */
function paramRefCauses(ref: Json | undefined, at: string): StatusCause[] {
  if (!isObject(ref)) return [];
  const causes: StatusCause[] = [];
  const name = typeof ref.name === 'string' ? ref.name : '';
  const hasSelector = isObject(ref.selector);
  const exclusive = 'name and selector are mutually exclusive';
  if (name) {
    for (const why of pathSegmentNameErrors(name))
      causes.push(invalidValue(`${at}.name`, name, why));
    if (hasSelector) causes.push(forbiddenValue(`${at}.name`, exclusive));
  }
  if (isObject(ref.selector)) {
    causes.push(...labelSelectorCauses(ref.selector, `${at}.selector`));
    if (name) causes.push(forbiddenValue(`${at}.selector`, exclusive));
  }
  if (!name && !hasSelector) causes.push(required(at, 'one of name or selector must be specified'));
  const action = typeof ref.parameterNotFoundAction === 'string' ? ref.parameterNotFoundAction : '';
  if (!action) causes.push(required(`${at}.parameterNotFoundAction`));
  else if (action !== 'Deny' && action !== 'Allow')
    causes.push(notSupported(`${at}.parameterNotFoundAction`, action, ['Deny', 'Allow']));
  return causes;
}

/** A validating binding's actions: known, not repeated, not Deny with Warn, at least one. */
function validationActionsCauses(actions: string[]): StatusCause[] {
  const at = 'spec.validationActions';
  const causes: StatusCause[] = [];
  const seen = new Set<string>();
  actions.forEach((a, i) => {
    if (!VALIDATION_ACTIONS.includes(a))
      causes.push(notSupported(`${at}[${i}]`, a, VALIDATION_ACTIONS));
    if (seen.has(a)) causes.push(duplicate(`${at}[${i}]`, a));
    seen.add(a);
  });
  if (seen.has('Deny') && seen.has('Warn')) {
    causes.push(
      invalidValue(
        at,
        actions,
        'must not contain both Deny and Warn (repeating the same validation failure information in the API response and headers serves no purpose)',
      ),
    );
  }
  if (seen.size === 0) causes.push(required(at, 'at least one validation action is required'));
  return causes;
}

/** What both kinds of binding check: the policy name, the `paramRef`, the match resources. */
function bindingCauses(spec: JsonObject): StatusCause[] {
  const causes: StatusCause[] = [];
  const policy = typeof spec.policyName === 'string' ? spec.policyName : '';
  if (!policy) causes.push(required('spec.policyName'));
  else
    for (const why of dns1123SubdomainErrors(policy))
      causes.push(invalidValue('spec.policyName', policy, why));
  causes.push(...paramRefCauses(spec.paramRef, 'spec.paramRef'));
  causes.push(...matchResourcesCauses(spec.matchResources, 'spec.matchResources'));
  return causes;
}

const specOf = (obj: JsonObject): JsonObject => (isObject(obj.spec) ? obj.spec : {});

/** ValidatingAdmissionPolicyBinding: defaults and validation. */
export const validatingAdmissionPolicyBindingRules: KindRules = {
  defaults(obj) {
    defaultMatchResources(specOf(obj).matchResources);
  },
  validate(obj) {
    const spec = specOf(obj);
    return [...bindingCauses(spec), ...validationActionsCauses(strings(spec.validationActions))];
  },
};

/** MutatingAdmissionPolicyBinding: defaults, validation, and only mutable operations matched. */
export const mutatingAdmissionPolicyBindingRules: KindRules = {
  defaults(obj) {
    defaultMatchResources(specOf(obj).matchResources);
  },
  validate(obj) {
    const spec = specOf(obj);
    const causes = bindingCauses(spec);
    const match = isObject(spec.matchResources) ? spec.matchResources : {};
    for (const rule of objects(match.resourceRules)) {
      for (const op of strings(rule.operations)) {
        if (!MUTATING_OPERATIONS.includes(op)) {
          causes.push(
            notSupported('spec.matchResources.resourceRules.operations', op, MUTATING_OPERATIONS),
          );
        }
      }
    }
    return causes;
  },
};
