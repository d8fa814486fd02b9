/**
 * Admission policy expressions (ValidatingAdmissionPolicy and its bindings) compiled and
 * run like kube-apiserver's CEL admission: JSON values given to them as CEL values
 * (integers as `int`), a failing evaluation reported as an error, not thrown.
 */
import { toCelValue } from './cel-value.js';
import { celErrorText, celTypeName, compileErrorText } from './error-text.js';
import { policyEnvironment, webhookConditionEnvironment } from './library.js';
import { cachedCompiler, type Program } from './programs.js';

const env = policyEnvironment();
const compile = cachedCompiler(env);

/** The result of one expression: its value, or the error compiling or running it gave. */
export type PolicyResult = { value: unknown } | { error: string };

/**
 * Runs an admission policy expression with the given variables (`object`, `oldObject`,
 * `request`, `params`, `namespaceObject`: JSON values; `variables`: values computed by
 * earlier expressions, passed as they were returned; `authorizer`: a `celAuthorizer`).
 * Compiled programs are cached.
 */
export function evaluatePolicyExpression(
  expression: string,
  vars: Record<string, unknown>,
): PolicyResult {
  return runPolicyExpression(compile, expression, vars);
}

/**
 * Runs an admission expression with `compile` (a cached compiler of its environment), as
 * {@link evaluatePolicyExpression} describes.
 */
export function runPolicyExpression(
  compile: (expression: string) => Program | Error,
  expression: string,
  vars: Record<string, unknown>,
): PolicyResult {
  const p = compile(expression);
  if (p instanceof Error) return { error: p.message.split('\n')[0] ?? '' };
  const context: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(vars)) {
    const passed = k === 'variables' || k === 'authorizer' || v === undefined;
    context[k] = passed ? v : toCelValue(undefined, v);
  }
  try {
    return { value: p(context) };
  } catch (e) {
    return { error: celErrorText(e) };
  }
}

/** Where an admission expression is written, which decides the variables it may use. */
export type ExpressionScope = 'policy' | 'webhook';

const environments = { policy: env, webhook: webhookConditionEnvironment() };

/**
 * Why kube-apiserver refuses an admission expression when its configuration is written
 * (a ValidatingAdmissionPolicy's, a webhook's matchConditions), as its validation words
 * it after `Invalid value: "<expression>": `; undefined when it compiles to `want`
 * (`any`: whatever type). The expression is checked trimmed, as the server does.
 */
export function checkPolicyExpression(
  expression: string,
  want: 'bool' | 'string' | 'any',
  scope: ExpressionScope,
): string | undefined {
  const expr = expression.trim();
  const r = environments[scope].check(expr);
  if (!r.valid) {
    const error = r.error ?? new Error('invalid expression');
    return `compilation failed: ${compileErrorText(expr, error)}`;
  }
  const type = r.type ?? 'dyn';
  if (want === 'any' || type === want || type === 'dyn') return undefined;
  return `must evaluate to ${want} but got ${celTypeName(type)}`;
}
