/**
 * Type checking of admission policy expressions against the type of the objects they
 * admit, as kube-apiserver's ValidatingAdmissionPolicy status controller reports it in
 * `status.typeChecking.expressionWarnings`: cel-go's error layout
 * (`ERROR: <input>:L:C: message`, the source line, a caret). The two errors kube-apiserver
 * reports most, an undefined field and an operator without an overload for its operand
 * types, are worded as cel-go words them; others keep the evaluator's words.
 */
import type { Environment } from '@marcbachmann/cel-js';
import { callErrorText } from './call-errors.js';
import { checkAll } from './check-all.js';
import { celGoLayout, compileErrorText } from './error-text.js';
import type { ValidatorError } from './format-calls.js';
import { checkHomogeneous } from './homogeneous.js';
import { type PolicyKinds, policyTypeCheckEnvironment } from './library.js';
import type { CelObjectType } from './object-types.js';
import { syntaxErrorsIn } from './syntax-errors.js';
import { variableType } from './variable-types.js';

/** Environments by the type of `object`, then of `params` (`NO_PARAMS`: dynamic), then of `variables`. */
const environments = new WeakMap<CelObjectType, WeakMap<CelObjectType, Map<string, Environment>>>();
const NO_PARAMS: CelObjectType = {};

/** A policy variable: its name and expression. */
export interface PolicyVariable {
  readonly name: string;
  readonly expression: string;
}

/**
 * The status controller's environment for `object`, `params` and `variables` of these
 * types, `object` and `params` of these kinds.
 */
function checkEnvironment(
  objectType: CelObjectType,
  paramsType: CelObjectType | undefined,
  variables: Readonly<Record<string, string>>,
  kinds: PolicyKinds,
): Environment {
  let byParams = environments.get(objectType);
  if (!byParams) {
    byParams = new WeakMap();
    environments.set(objectType, byParams);
  }
  let byVariables = byParams.get(paramsType ?? NO_PARAMS);
  if (!byVariables) {
    byVariables = new Map();
    byParams.set(paramsType ?? NO_PARAMS, byVariables);
  }
  const key = JSON.stringify([kinds.object, kinds.params, variables]);
  let env = byVariables.get(key);
  if (!env) {
    env = policyTypeCheckEnvironment({ object: objectType, params: paramsType, variables }, kinds);
    if (byVariables.size > 100) byVariables.clear();
    byVariables.set(key, env);
  }
  return env;
}

/** cel-js's type name as cel-go prints it (`list<int>` → `list(int)`, `timestamp`). */
function goTypeName(t: string): string {
  return t
    .replace(/google\.protobuf\.Timestamp/g, 'timestamp')
    .replace(/google\.protobuf\.Duration/g, 'duration')
    .replace(/</g, '(')
    .replace(/>/g, ')');
}

/** Where the caret of the evaluator's message points: 1-based line, 0-based column. */
function caretOf(message: string): { line: number; column: number } | undefined {
  const lines = message.split('\n');
  for (let i = 0; i < lines.length - 1; i++) {
    const m = /^>\s*(\d+) \| /.exec(lines[i] ?? '');
    if (!m) continue;
    const caret = (lines[i + 1] ?? '').indexOf('^');
    if (caret < 0) return undefined;
    return { line: Number(m[1]), column: caret - m[0].length };
  }
  return undefined;
}

/** One checking error in cel-go's words and layout. */
export function celGoError(expression: string, message: string): string {
  const at = caretOf(message) ?? { line: 1, column: 0 };
  return celGoErrorAt(expression, message.split('\n')[0] ?? '', at);
}

/**
 * A checking error's first line `message` (the evaluator's words) at `at` (1-based line,
 * 0-based column where the evaluator points) in cel-go's words and layout.
 */
export function celGoErrorAt(
  expression: string,
  message: string,
  at: { line: number; column: number },
): string {
  let text = message;
  // cel-go points at the `.` of a selection and at an operator; the evaluator at the
  // field and at the first operand.
  let column = at.column + 1;
  const field = /^No such key: (.+)$/.exec(message);
  const overload = /^no such overload: (\S+) (\S+) (\S+)$/.exec(message);
  const unary = /^no such overload: ([!-])(\S+)$/.exec(message);
  const source = expression.split('\n')[at.line - 1] ?? '';
  if (field) {
    text = `undefined field '${field[1]}'`;
    column = at.column;
  } else if (overload) {
    const [, left, op, right] = overload;
    // cel-go names the `in` operator `@in`.
    const name = op === 'in' ? '@in' : `_${op}_`;
    text = `found no matching overload for '${name}' applied to '(${goTypeName(left ?? '')}, ${goTypeName(right ?? '')})'`;
    const spaced = new RegExp(`\\s${(op ?? '').replace(/[|&*+?]/g, '\\$&')}\\s`, 'g');
    spaced.lastIndex = at.column;
    const opAt = spaced.exec(source)?.index ?? -1;
    if (opAt >= 0) column = opAt + 2;
  } else if (unary) {
    text = `found no matching overload for '${unary[1]}_' applied to '(${goTypeName(unary[2] ?? '')})'`;
  }
  const lineStart = expression
    .split('\n')
    .slice(0, at.line - 1)
    .join('\n').length;
  return celGoLayout(expression, lineStart + (at.line > 1 ? 1 : 0) + column - 1, text);
}

/** A field selected on a scalar (`'a'.b`) in cel-go's words, at the `.` as cel-go places it. */
function scalarSelectionText(
  expression: string,
  error: Error & { range?: { start: number } },
): string | undefined {
  const scalar = /^Cannot index type '(.+)'/.exec(error.message);
  const start = error.range?.start ?? 0;
  if (!scalar || expression[start - 1] !== '.') return undefined;
  const lineStart = expression.lastIndexOf('\n', start - 1) + 1;
  const line = expression.slice(0, lineStart).split('\n').length;
  const why = `type '${scalar[1]}' does not support field selection`;
  return celGoErrorAt(expression, why, { line, column: start - 1 - lineStart });
}

/** One checking error (checking in `env`) in cel-go's words where known, in its layout. */
function errorText(expression: string, error: Error, env: Environment): string {
  const call = callErrorText(env, expression, error);
  if (call !== undefined) return call;
  if (/^(No such key|no such overload): /.test(error.message)) {
    return celGoError(expression, error.message);
  }
  return scalarSelectionText(expression, error) ?? compileErrorText(expression, error);
}

/**
 * Checking errors (of checking `expression` in `env`) as kube-apiserver lists them: each
 * in cel-go's words and layout, by place (line, then column), one per line.
 */
export function checkErrorsText(
  expression: string,
  errors: readonly Error[],
  env: Environment,
): string {
  const place = (text: string) =>
    /^ERROR: <input>:(\d+):(\d+):/.exec(text)?.slice(1).map(Number) ?? [0, 0];
  return errors
    .map((e) => errorText(expression, e, env))
    .map((text) => ({ text, at: place(text) }))
    .sort((a, b) => (a.at[0] ?? 0) - (b.at[0] ?? 0) || (a.at[1] ?? 0) - (b.at[1] ?? 0))
    .map((e) => e.text)
    .join('\n');
}

/**
 * A compile error (`error`, the first that checking `expression` in `env` gave) as
 * kube-apiserver words it: its syntax errors (see {@link syntaxErrorsIn}), or every
 * checking error of the expression (cel-go's checker goes on after the first: see
 * {@link checkAll}) as {@link checkErrorsText} lists them.
 */
export function checkErrorText(expression: string, error: Error, env: Environment): string {
  const syntax = syntaxErrorsIn(env, expression);
  if (syntax !== undefined) return syntax;
  const all = checkAll(env, expression);
  const several = !all.valid && all.errors.length > 1 && all.errors[0]?.message === error.message;
  // A validator's error (the expression checks) comes with the others it found.
  const validated = [error, ...((error as ValidatorError).more ?? [])];
  return checkErrorsText(expression, several ? all.errors : validated, env);
}

/** An expression's type in `env`, or the error checking it gave. */
function check(env: Environment, expression: string): ReturnType<Environment['check']> {
  try {
    return checkHomogeneous(env, expression);
  } catch (e) {
    return { valid: false, error: e instanceof Error ? e : new Error(String(e)) } as ReturnType<
      Environment['check']
    >;
  }
}

/**
 * Checks an admission policy expression with `object` and `oldObject` of type
 * `objectType`, `params` of type `paramsType` when given (a `paramKind`'s type; else
 * dynamic, as kube-apiserver's status controller declares it when it cannot resolve the
 * kind), `request` and `namespaceObject` typed as kube-apiserver types them, and
 * `variables` holding the policy's `variables`, each typed by checking its expression the
 * same way with the ones before it (a primitive, list or map type kept, any other `dyn`,
 * as kube-apiserver declares them); undefined when it checks, else the error as
 * kube-apiserver words it. With `kinds`, the types of `object` and `params` are named in
 * messages after their kinds as there (`'(ConfigMap123456789, int)'`, the number the
 * clock's nanoseconds), else `kubets.object` and `kubets.params`.
 */
export function typeCheckPolicyExpression(
  expression: string,
  objectType: CelObjectType,
  paramsType?: CelObjectType,
  variables: readonly PolicyVariable[] = [],
  kinds: PolicyKinds = {},
): string | undefined {
  const types: Record<string, string> = {};
  for (const v of variables) {
    const r = check(checkEnvironment(objectType, paramsType, { ...types }, kinds), v.expression);
    types[v.name] = r.valid ? variableType(r.type ?? 'dyn') : 'dyn';
  }
  const env = checkEnvironment(objectType, paramsType, types, kinds);
  const result = check(env, expression);
  if (result.valid) return undefined;
  return checkErrorText(expression, result.error ?? new Error('invalid expression'), env);
}
