/**
 * The admission plugin's evaluation of one Pod (or Pod template) against a namespace's
 * policy, as pod-security-admission's EvaluatePod does it (own code: which modes are
 * evaluated, and when a warning is left out, are what clients see).
 */
import type { JsonObject } from '../../json.js';
import { evaluatePod } from './evaluate.js';
import type { Policy } from './namespace-policy.js';
import { sameLevelVersion } from './namespace-policy.js';
import { levelVersionText } from './policy-level.js';

/** What the evaluation decided: the refusal's reason (enforced only) and the warnings. */
export interface PolicyDecision {
  /** `violates PodSecurity "<level>:<version>": <details>` when enforce refuses. */
  readonly refusal?: string;
  readonly warnings: readonly string[];
}

/**
 * Evaluates a Pod's metadata and spec against a policy: the enforce level when `enforce`
 * (Pods; a workload's template is only warned about), then the warn level, whose warning
 * is left out when the request is refused and not repeated when warn names the level and
 * version enforce allowed. The audit level's result goes only to the audit log (an audit
 * annotation), which MemoryApiServer does not keep: it is not evaluated.
 */
export function decide(
  policy: Policy,
  meta: JsonObject,
  spec: JsonObject,
  enforce: boolean,
): PolicyDecision {
  if (enforce) {
    const result = evaluatePod(policy.enforce, meta, spec);
    if (!result.allowed)
      return {
        refusal: `violates PodSecurity "${levelVersionText(policy.enforce)}": ${result.detail}`,
        warnings: [],
      };
    if (sameLevelVersion(policy.warn, policy.enforce)) return { warnings: [] };
  }
  const warn = evaluatePod(policy.warn, meta, spec);
  return {
    warnings: warn.allowed
      ? []
      : [`would violate PodSecurity "${levelVersionText(policy.warn)}": ${warn.detail}`],
  };
}
