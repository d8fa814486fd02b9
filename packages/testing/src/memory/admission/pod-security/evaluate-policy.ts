/**
 * The admission plugin's evaluation of one Pod (or Pod template) against a namespace's
 * policy, as pod-security-admission's EvaluatePod does it (own code: which modes are
 * evaluated, and when a warning is left out, are what clients see).
 */
import type { JsonObject } from '../../json.js';
import { evaluatePod } from './evaluate.js';
import type { Policy } from './namespace-policy.js';
import type { PolicyEvaluation } from './pod-security-metrics.js';
import { levelVersionText } from './policy-level.js';

/** What the evaluation decided: the refusal's reason (enforced only) and the warnings. */
export interface PolicyDecision {
  /** `violates PodSecurity "<level>:<version>": <details>` when enforce refuses. */
  readonly refusal?: string;
  readonly warnings: readonly string[];
  /** What the plugin's metrics count: enforce's decision, audit's and warn's denials. */
  readonly evaluations: readonly PolicyEvaluation[];
}

/**
 * Evaluates a Pod's metadata and spec against a policy: the enforce level when `enforce`
 * (Pods; a workload's template is only warned about), the audit level (whose violations go
 * only to the audit log, which MemoryApiServer does not keep: it is evaluated for the
 * metrics), then the warn level, whose warning is left out when the request is refused.
 */
export function decide(
  policy: Policy,
  meta: JsonObject,
  spec: JsonObject,
  enforce: boolean,
): PolicyDecision {
  // Each level and version is evaluated once, as the plugin caches its results.
  const results = new Map<string, ReturnType<typeof evaluatePod>>();
  const evaluate = (mode: PolicyEvaluation['mode']) => {
    const lv = policy[mode];
    const key = levelVersionText(lv);
    let result = results.get(key);
    if (!result) {
      result = evaluatePod(lv, meta, spec);
      results.set(key, result);
    }
    return result;
  };
  const evaluations: PolicyEvaluation[] = [];
  let refusal: string | undefined;
  if (enforce) {
    const result = evaluate('enforce');
    if (!result.allowed)
      refusal = `violates PodSecurity "${levelVersionText(policy.enforce)}": ${result.detail}`;
    evaluations.push({
      decision: result.allowed ? 'allow' : 'deny',
      policy: policy.enforce,
      mode: 'enforce',
    });
  }
  if (!evaluate('audit').allowed)
    evaluations.push({ decision: 'deny', policy: policy.audit, mode: 'audit' });
  if (refusal !== undefined) return { refusal, warnings: [], evaluations };
  const warn = evaluate('warn');
  if (warn.allowed) return { warnings: [], evaluations };
  evaluations.push({ decision: 'deny', policy: policy.warn, mode: 'warn' });
  return {
    warnings: [`would violate PodSecurity "${levelVersionText(policy.warn)}": ${warn.detail}`],
    evaluations,
  };
}
