/**
 * Type checking with kube-apiserver's homogeneous aggregate literal rule: every list and
 * map literal's elements (keys, values) have one type, except literals inside a call of
 * `format` (cel-go's strings extension exempts its arguments, `'%s %d'.format([name, 1])`).
 * The evaluator checks homogeneity for the whole expression or not at all, so a mixed
 * literal inside `format` is checked again without the rule (so that another mixed
 * literal, outside `format`, is then not reported). Presence tests are checked as cel-go
 * checks them (see {@link presenceTestsError}), methods called on `dyn` values (see
 * {@link dynMethodCallErrors}), then literal arguments and `format` calls as cel-go's
 * validators check them (see {@link literalArgumentsError}, {@link formatCallError}).
 */
import type { Environment } from '@marcbachmann/cel-js';
import { isAstNode as isNode } from './ast-node.js';
import { unexpandedBindings } from './bindings.js';
import { dynMethodCallErrors } from './dyn-method-calls.js';
import { formatCallError } from './format-calls.js';
import { allowIndexedPresenceTests } from './indexed-presence.js';
import { literalArgumentsError } from './literal-arguments.js';
import { presenceTestsError } from './presence-tests.js';

/** The functions whose arguments may hold mixed literals. */
const EXEMPT = new Set(['format']);

/** The evaluator's words for a mixed literal. */
const MIXED =
  /^(List elements must have the same type|Map key uses wrong type|Map value uses wrong type),/;

/** Whether `at` lies inside a call of an exempt function in the parsed expression `node`. */
function inExemptCall(node: unknown, at: number): boolean {
  if (Array.isArray(node)) return node.some((n) => inExemptCall(n, at));
  if (!isNode(node)) return false;
  if (at < node.start || at >= node.end) return false;
  const args = node.args;
  if ((node.op === 'rcall' || node.op === 'call') && Array.isArray(args)) {
    if (EXEMPT.has(String(args[0]))) return true;
  }
  return Array.isArray(args) ? args.some((a) => inExemptCall(a, at)) : inExemptCall(args, at);
}

const lenient = new WeakMap<Environment, Environment>();

type CheckResult = ReturnType<Environment['check']>;

/**
 * Checks `expression` in `checkEnv` (`env` or its lenient twin), and then its presence
 * tests against the object types `env` declares.
 */
function checked(env: Environment, checkEnv: Environment, expression: string): CheckResult {
  let parsed: ReturnType<Environment['parse']>;
  try {
    parsed = checkEnv.parse(expression);
  } catch (e) {
    return { valid: false, error: e as CheckResult['error'] };
  }
  allowIndexedPresenceTests(parsed.ast);
  const unbound = unexpandedBindings(env, parsed.ast);
  const r = parsed.check();
  const first = unbound.errors[0];
  if (r.valid && first) return { valid: false, error: first as CheckResult['error'] };
  if (!r.valid) return r;
  const error =
    presenceTestsError(env, parsed.ast) ??
    dynMethodCallErrors(checkEnv, parsed.ast)[0] ??
    literalArgumentsError(env, parsed.ast) ??
    formatCallError(parsed.ast);
  return error ? { valid: false, error: error as CheckResult['error'] } : r;
}

/**
 * Checks `expression` in `env` (an environment with homogeneous literals on) as
 * kube-apiserver's checker does: a mixed literal inside `format` is allowed.
 */
export function checkHomogeneous(env: Environment, expression: string): CheckResult {
  const r = checked(env, env, expression);
  const error = r.error as (Error & { range?: { start: number } }) | undefined;
  if (r.valid || !error || !MIXED.test(error.message) || error.range === undefined) return r;
  if (!inExemptCall(env.parse(expression).ast, error.range.start)) return r;
  let twin = lenient.get(env);
  if (!twin) {
    twin = env.clone({ homogeneousAggregateLiterals: false });
    lenient.set(env, twin);
  }
  return checked(env, twin, expression);
}
