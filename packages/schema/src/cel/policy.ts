/**
 * Admission policy expressions (ValidatingAdmissionPolicy and its bindings) compiled and
 * run like kube-apiserver's CEL admission: JSON values given to them as CEL values
 * (integers as `int`), a failing evaluation reported as an error, not thrown.
 */
import { toCelValue } from './cel-value.js';
import { celErrorText } from './error-text.js';
import { policyEnvironment } from './library.js';
import { cachedCompiler } from './programs.js';

const env = policyEnvironment();
const compile = cachedCompiler(env);

/** The result of one expression: its value, or the error compiling or running it gave. */
export type PolicyResult = { value: unknown } | { error: string };

/**
 * Runs an admission policy expression with the given variables (`object`, `oldObject`,
 * `request`, `params`, `namespaceObject`: JSON values; `variables`: values computed by
 * earlier expressions, passed as they were returned). Compiled programs are cached.
 */
export function evaluatePolicyExpression(
  expression: string,
  vars: Record<string, unknown>,
): PolicyResult {
  const p = compile(expression);
  if (p instanceof Error) return { error: p.message.split('\n')[0] ?? '' };
  const context: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(vars)) {
    context[k] = k === 'variables' || v === undefined ? v : toCelValue(undefined, v);
  }
  try {
    return { value: p(context) };
  } catch (e) {
    return { error: celErrorText(e) };
  }
}
