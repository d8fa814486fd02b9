import type { StatusCause } from '../errors.js';
import { isObject, type Json } from '../json.js';
import { invalidValue, required } from '../validation.js';
import type { KindRules } from './kind-rules.js';
import { labelSelectorCauses } from './label-selector.js';

/** The length of a list field (0 when absent or not a list). */
const count = (v: Json | undefined): number => (Array.isArray(v) ? v.length : 0);

/**
 * kube-apiserver's checks of one RBAC policy rule at `at` (own code, for its causes and
 * their order): verbs are required; a rule naming non-resource URLs may not be in a Role
 * (`namespaced`) nor name resources too, and is checked no further; any other rule needs
 * API groups and resources.
 */
function policyRuleCauses(rule: Json, at: string, namespaced: boolean): StatusCause[] {
  const r = isObject(rule) ? rule : {};
  const causes: StatusCause[] = [];
  if (count(r.verbs) === 0)
    causes.push(required(`${at}.verbs`, 'verbs must contain at least one value'));
  if (count(r.nonResourceURLs) > 0) {
    const urls = r.nonResourceURLs;
    if (namespaced) {
      causes.push(
        invalidValue(
          `${at}.nonResourceURLs`,
          urls,
          'namespaced rules cannot apply to non-resource URLs',
        ),
      );
    }
    if (count(r.apiGroups) + count(r.resources) + count(r.resourceNames) > 0) {
      causes.push(
        invalidValue(
          `${at}.nonResourceURLs`,
          urls,
          'rules cannot apply to both regular resources and non-resource URLs',
        ),
      );
    }
    return causes;
  }
  if (count(r.apiGroups) === 0)
    causes.push(required(`${at}.apiGroups`, 'resource rules must supply at least one api group'));
  if (count(r.resources) === 0)
    causes.push(required(`${at}.resources`, 'resource rules must supply at least one resource'));
  return causes;
}

function rulesCauses(rules: Json | undefined, namespaced: boolean): StatusCause[] {
  const list = Array.isArray(rules) ? rules : [];
  return list.flatMap((rule, i) => policyRuleCauses(rule, `rules[${i}]`, namespaced));
}

/** rbac/v1 Role: each rule names verbs and resources (never non-resource URLs). */
export const roleRules: KindRules = {
  validate: (obj) => rulesCauses(obj.rules, true),
};

/**
 * rbac/v1 ClusterRole: each rule names verbs and either resources or non-resource URLs;
 * an `aggregationRule` needs at least one selector, each of valid syntax (a selector that
 * is not is also reported whole, as `null`: kube-apiserver quotes the selector it failed
 * to build).
 */
export const clusterRoleRules: KindRules = {
  validate(obj) {
    const causes = rulesCauses(obj.rules, false);
    const agg = obj.aggregationRule;
    if (isObject(agg)) {
      const selectors = Array.isArray(agg.clusterRoleSelectors) ? agg.clusterRoleSelectors : [];
      if (selectors.length === 0) {
        causes.push(
          required(
            'aggregationRule.clusterRoleSelectors',
            'at least one clusterRoleSelector required if aggregationRule is non-nil',
          ),
        );
      }
      selectors.forEach((sel, i) => {
        const at = `aggregationRule.clusterRoleSelectors[${i}]`;
        const errors = isObject(sel) ? labelSelectorCauses(sel, at) : [];
        causes.push(...errors);
        if (errors.length) causes.push(invalidValue(at, null, 'invalid label selector.'));
      });
    }
    return causes;
  },
};
