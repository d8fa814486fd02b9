/**
 * Admission policy expressions (ValidatingAdmissionPolicy and its bindings) compiled and
 * run like kube-apiserver's CEL admission: JSON values given to them as CEL values
 * (integers as `int`), a failing evaluation reported as an error, not thrown.
 */

import type { Environment } from '@marcbachmann/cel-js';
import { toCelValue } from './cel-value.js';
import { programError } from './constant-folding.js';
import { RUNTIME_CALL_COST_LIMIT } from './cost.js';
import { celErrorText, celTypeName } from './error-text.js';
import { checkHomogeneous } from './homogeneous.js';
import {
  declaredVariablesEnvironment,
  policyEnvironment,
  webhookConditionEnvironment,
} from './library.js';
import { cachedCompiler, environmentCache, type Program } from './programs.js';
import { withRuntimeCost } from './runtime-cost.js';
import { checkErrorText } from './type-check.js';
import { variableType } from './variable-types.js';

const env = policyEnvironment();
const compile = cachedCompiler(env);

/**
 * The result of one expression: its value, or the error compiling or running it gave,
 * with what it cost to run (0 when it did not compile). An expression over
 * kube-apiserver's per-call limit does not run: its error is `operation cancelled: actual
 * cost limit exceeded`, as cel-go's cost tracker cancels it.
 */
export type PolicyResult = ({ value: unknown } | { error: string }) & { readonly cost: number };

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
  if (p instanceof Error) return { error: p.message.split('\n')[0] ?? '', cost: 0 };
  const context: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(vars)) {
    const passed = k === 'variables' || k === 'authorizer' || v === undefined;
    context[k] = passed ? v : toCelValue(undefined, v);
  }
  const r = withRuntimeCost(p.ast, RUNTIME_CALL_COST_LIMIT, () => p(context));
  return 'error' in r ? { error: celErrorText(r.error), cost: r.cost } : r;
}

/**
 * What a policy expression written in a ValidatingAdmissionPolicy or
 * MutatingAdmissionPolicy may name besides `object`, `oldObject`, `request`,
 * `namespaceObject` and `authorizer` (unless it says otherwise), as kube-apiserver declares it when the policy is
 * written.
 */
export interface PolicyDeclarations {
  /** Whether `params` is declared: the policy has a `paramKind`. */
  readonly params: boolean;
  /**
   * The policy's variables declared before the expression, name → CEL type (`string`,
   * `dyn`, …); absent where `variables` is not declared at all (a policy's
   * matchConditions).
   */
  readonly variables?: PolicyVariableTypes;
  /**
   * Whether `authorizer` is declared (when not given, it is): kube-apiserver compiles a
   * validation's messageExpression without it.
   */
  readonly authorizer?: boolean;
}

/**
 * Where an admission expression is written, which decides the variables it may use: a
 * webhook's matchConditions (`object`, `oldObject`, `request`, `authorizer`), or a policy
 * with its {@link PolicyDeclarations}.
 */
export type ExpressionScope = 'webhook' | PolicyDeclarations;

/**
 * The CEL type an admission expression must have: `bool`, `string`, `string-or-null` (an
 * auditAnnotation's valueExpression) or `any`. kube-apiserver refuses `dyn` where a type
 * is wanted (`must evaluate to bool but got dyn`).
 */
export type ExpressionResult = 'bool' | 'string' | 'string-or-null' | 'any';

/** A policy's variables as its later expressions see them: name → CEL type (`string`, `dyn`, …). */
export type PolicyVariableTypes = Readonly<Record<string, string>>;

const webhookEnvironment = webhookConditionEnvironment();

const policyEnvironmentOf = environmentCache(declaredVariablesEnvironment);

function environmentOf(scope: ExpressionScope): Environment {
  return scope === 'webhook' ? webhookEnvironment : policyEnvironmentOf(scope);
}

/** An expression's CEL type, or its compile error as kube-apiserver words it. */
function typeOf(expr: string, scope: ExpressionScope): { type: string } | { error: string } {
  const env = environmentOf(scope);
  let r: ReturnType<Environment['check']>;
  try {
    r = checkHomogeneous(env, expr);
  } catch (e) {
    r = { valid: false, error: e as Error } as ReturnType<Environment['check']>;
  }
  if (r.valid) return { type: r.type ?? 'dyn' };
  const error = r.error ?? new Error('invalid expression');
  return { error: `compilation failed: ${checkErrorText(expr, error, env)}` };
}

/**
 * The CEL type of a policy variable's expression as later expressions see it (`dyn` when
 * it does not compile, or is not a primitive, list or map), checked with the declarations
 * before it.
 */
export function policyVariableType(expression: string, declared: PolicyDeclarations): string {
  const t = typeOf(expression.trim(), declared);
  return 'type' in t ? variableType(t.type) : 'dyn';
}

/**
 * Why kube-apiserver refuses an admission expression when its configuration is written
 * (a ValidatingAdmissionPolicy's, a webhook's matchConditions), as its validation words
 * it after `Invalid value: "<expression>": `; undefined when it compiles to `want`.
 * The expression is compiled as given (kube-apiserver trims some kinds of expression and
 * not others, and a compile error's column and snippet show which: the caller trims), in
 * `scope`: a webhook's, or a policy's declarations (`variables.<name>` must name a
 * variable declared before).
 */
export function checkPolicyExpression(
  expression: string,
  want: ExpressionResult,
  scope: ExpressionScope,
): string | undefined {
  const t = typeOf(expression, scope);
  if ('error' in t) return t.error;
  const { type } = t;
  if (want === 'string-or-null') {
    if (type === 'string' || type === 'null') return undefined;
    return `must evaluate to one of [string null_type] but got ${celTypeName(type)}`;
  }
  if (want === 'any' || type === want) return undefined;
  return `must evaluate to ${want} but got ${celTypeName(type)}`;
}

/**
 * Why kube-apiserver cannot make the program of an admission expression that compiles,
 * as its validation words it after `Internal error: program instantiation failed: ` (a
 * constant conversion that fails, `int('x')`: `type conversion error from 'string' to
 * 'int'`, or a literal regular expression Go refuses); undefined when it can.
 */
export function policyProgramError(expression: string): string | undefined {
  const p = compile(expression);
  return p instanceof Error ? undefined : programError(p.ast);
}
