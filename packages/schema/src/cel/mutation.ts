/**
 * MutatingAdmissionPolicy mutation expressions: an `applyConfiguration` (an object built
 * with `Object{…}`) or a `jsonPatch` (a list of `JSONPatch{…}`), run like the policy
 * expressions and returned as JSON.
 */
import { objectsAsMaps } from './object-literals.js';
import { evaluatePolicyExpression, type PolicyResult } from './policy.js';

/** A CEL result as JSON: integers as numbers, maps as objects. */
function asJson(v: unknown): unknown {
  if (typeof v === 'bigint') return Number(v);
  if (Array.isArray(v)) return v.map(asJson);
  if (v instanceof Map) {
    return Object.fromEntries([...v].map(([k, x]) => [String(k), asJson(x)]));
  }
  if (v !== null && typeof v === 'object') {
    return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, asJson(x)]));
  }
  return v;
}

/**
 * Runs a MutatingAdmissionPolicy mutation expression with the policy's variables (as
 * {@link evaluatePolicyExpression}); the value is JSON: the apply configuration's object,
 * or the JSON Patch operations.
 */
export function evaluateMutation(expression: string, vars: Record<string, unknown>): PolicyResult {
  const r = evaluatePolicyExpression(objectsAsMaps(expression), vars);
  return 'error' in r ? r : { value: asJson(r.value) };
}
