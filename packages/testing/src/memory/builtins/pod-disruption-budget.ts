import type { StatusCause } from '../errors.js';
import { isObject, type Json } from '../json.js';
import { invalidValue, notSupported } from '../validation.js';
import type { KindRules } from './kind-rules.js';
import { labelSelectorCauses, selectorAsGoJson } from './label-selector.js';
import { notOver100Causes, positiveIntOrPercentCauses } from './workload-strategies.js';

const POLICIES = ['AlwaysAllow', 'IfHealthyBudget'];

/** `ValidatePositiveIntOrPercent` and `IsNotMoreThan100Percent` of one field. */
function intOrPercentCauses(field: string, v: Json | undefined): StatusCause[] {
  return [...positiveIntOrPercentCauses(v, field), ...notOver100Causes(v, field)];
}

/**
 * policy/v1 PodDisruptionBudget: kube-apiserver's spec checks (own code, for its causes and
 * their order): not both `minAvailable` and `maxUnavailable` (the cause quotes the internal
 * spec struct as Go's JSON), each a non-negative count or a percentage up to 100%, the
 * selector's syntax, and a known `unhealthyPodEvictionPolicy`.
 */
export const podDisruptionBudgetRules: KindRules = {
  validate(obj) {
    const spec = isObject(obj.spec) ? obj.spec : {};
    const causes: StatusCause[] = [];
    const { minAvailable: min, maxUnavailable: max } = spec;
    const policy = spec.unhealthyPodEvictionPolicy;
    if (min !== undefined && min !== null && max !== undefined && max !== null) {
      const internal = {
        MinAvailable: min,
        Selector: isObject(spec.selector) ? selectorAsGoJson(spec.selector) : null,
        MaxUnavailable: max,
        UnhealthyPodEvictionPolicy: policy ?? null,
      };
      causes.push(
        invalidValue('spec', internal, 'minAvailable and maxUnavailable cannot be both set'),
      );
    }
    causes.push(...intOrPercentCauses('spec.minAvailable', min));
    causes.push(...intOrPercentCauses('spec.maxUnavailable', max));
    if (isObject(spec.selector))
      causes.push(...labelSelectorCauses(spec.selector, 'spec.selector'));
    if (policy !== undefined && policy !== null && !POLICIES.includes(String(policy))) {
      causes.push(notSupported('spec.unhealthyPodEvictionPolicy', policy, POLICIES));
    }
    return causes;
  },
};
