/**
 * Admission policy expressions (ValidatingAdmissionPolicy and its bindings) compiled and
 * run like kube-apiserver's CEL admission: JSON values given to them as CEL values
 * (integers as `int`), a failing evaluation reported as an error, not thrown.
 */

import type { Environment } from '@marcbachmann/cel-js';
import { toCelValue } from './cel-value.js';
import { celErrorText, celTypeName, compileErrorText } from './error-text.js';
import {
  declaredVariablesEnvironment,
  policyEnvironment,
  webhookConditionEnvironment,
} from './library.js';
import { cachedCompiler, type Program } from './programs.js';
import { celGoError } from './type-check.js';

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

/**
 * The CEL type an admission expression must have: `bool`, `string`, `string-or-null` (an
 * auditAnnotation's valueExpression, which may not be `dyn`) or `any`.
 */
export type ExpressionResult = 'bool' | 'string' | 'string-or-null' | 'any';

/** A policy's variables as its later expressions see them: name → CEL type (`string`, `dyn`, …). */
export type PolicyVariableTypes = Readonly<Record<string, string>>;

const environments = { policy: env, webhook: webhookConditionEnvironment() };
const withVariables = new Map<string, Environment>();

function environmentOf(scope: ExpressionScope, variables?: PolicyVariableTypes): Environment {
  if (scope === 'webhook' || variables === undefined) return environments[scope];
  const key = JSON.stringify(variables);
  let e = withVariables.get(key);
  if (!e) {
    e = declaredVariablesEnvironment(variables);
    if (withVariables.size > 100) withVariables.clear();
    withVariables.set(key, e);
  }
  return e;
}

/** An expression's CEL type, or its compile error as kube-apiserver words it. */
function typeOf(
  expr: string,
  scope: ExpressionScope,
  variables?: PolicyVariableTypes,
): { type: string } | { error: string } {
  let r: ReturnType<Environment['check']>;
  try {
    r = environmentOf(scope, variables).check(expr);
  } catch (e) {
    r = { valid: false, error: e as Error } as ReturnType<Environment['check']>;
  }
  if (r.valid) return { type: r.type ?? 'dyn' };
  const error = r.error ?? new Error('invalid expression');
  // An undeclared variable or a missing operator overload in cel-go's words and layout.
  const text = /^(No such key|no such overload): /.test(error.message)
    ? celGoError(expr, error.message)
    : compileErrorText(expr, error);
  return { error: `compilation failed: ${text}` };
}

/**
 * The CEL type of a policy variable's expression as later expressions see it (`dyn` when
 * it does not compile), checked with the variables declared before it.
 */
export function policyVariableType(expression: string, variables: PolicyVariableTypes): string {
  const t = typeOf(expression.trim(), 'policy', variables);
  return 'type' in t ? t.type : 'dyn';
}

/**
 * Why kube-apiserver refuses an admission expression when its configuration is written
 * (a ValidatingAdmissionPolicy's, a webhook's matchConditions), as its validation words
 * it after `Invalid value: "<expression>": `; undefined when it compiles to `want`.
 * The expression is checked trimmed, as the server does. With `variables` (a policy's
 * declared variables and their types), `variables.<name>` must name one of them.
 */
export function checkPolicyExpression(
  expression: string,
  want: ExpressionResult,
  scope: ExpressionScope,
  variables?: PolicyVariableTypes,
): string | undefined {
  const t = typeOf(expression.trim(), scope, variables);
  if ('error' in t) return t.error;
  const { type } = t;
  if (want === 'string-or-null') {
    if (type === 'string' || type === 'null') return undefined;
    return `must evaluate to one of [string null_type] but got ${celTypeName(type)}`;
  }
  if (want === 'any' || type === want || type === 'dyn') return undefined;
  return `must evaluate to ${want} but got ${celTypeName(type)}`;
}
