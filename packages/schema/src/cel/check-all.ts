/**
 * Type checking that reports every error of an expression, as cel-go's checker does:
 * cel-go gives a node that fails the error type, which is assignable to anything, and goes
 * on, so one expression can carry several errors (kube-apiserver lists them all). The
 * evaluator we use stops at its first error, so each failing node is checked again as a
 * dynamic value (`dyn`, which cel-go's checker treats as it treats the error type) until
 * the expression checks. Our own code: the evaluator has no such mode.
 */
import type { Environment } from '@marcbachmann/cel-js';
import { unexpandedBindings } from './bindings.js';
import { dynMethodCallErrors } from './dyn-method-calls.js';

/** A checking error with the node it was reported at. */
export type CheckError = Error & {
  readonly node?: { readonly start: number; readonly end: number; readonly op: string };
  readonly range?: { readonly start: number };
};

/** The outcome of {@link checkAll}: the expression's type, or every error it has. */
export type CheckAllResult =
  | { readonly valid: true; readonly type: string; readonly ast: unknown }
  | { readonly valid: false; readonly errors: readonly CheckError[] };

/** cel-go stops reporting after this many errors. */
const MAX_ERRORS = 100;

/** A parsed node as far as this module reads and marks it. */
interface Node {
  readonly start: number;
  readonly end: number;
  readonly op: string;
  readonly args: unknown;
  readonly meta?: { readonly macro?: unknown };
  setMeta(key: 'alternate', value: unknown): Node;
}

/** Where an error was reported: the node's range and operator. */
interface Place {
  readonly start: number;
  readonly end: number;
  readonly op: string;
}

const samePlace = (a: Place, b: Place) => a.start === b.start && a.end === b.end && a.op === b.op;

/**
 * The nodes read as `dyn` after they failed: cel-go gives them its error type, which it
 * names `!error!` in the messages of the calls around them (see call-errors.ts).
 */
export const failedNodes = new WeakSet<object>();

/** Every node of a parsed expression, macro expansions included. */
function nodesOf(root: Node): Node[] {
  const isNode = (v: unknown): v is Node => v instanceof (root.constructor as new () => Node);
  const seen = new Set<unknown>();
  const out: Node[] = [];
  const walk = (v: unknown): void => {
    if (typeof v !== 'object' || v === null || seen.has(v)) return;
    seen.add(v);
    if (isNode(v)) {
      out.push(v);
      walk(v.args);
      walk(v.meta?.macro);
      return;
    }
    for (const item of Array.isArray(v) ? v : Object.values(v)) walk(item);
  };
  walk(root);
  return out;
}

/** Where an error is reported: its range's start, else its node's. */
const placeOf = (e: CheckError) => e.range?.start ?? e.node?.start;

/**
 * Checks `expression` in `env` as cel-go's checker does: its type (with the checked AST),
 * or every error (at most 100) in the order found; each failing node is then read as
 * `dyn`, so an error does not cascade into the expressions around it.
 */
export function checkAll(env: Environment, expression: string): CheckAllResult {
  const failed: Place[] = [];
  const errors: CheckError[] = [];
  for (;;) {
    let parsed: ReturnType<Environment['parse']>;
    try {
      parsed = env.parse(expression);
    } catch (e) {
      return { valid: false, errors: [e as CheckError] };
    }
    const ast = parsed.ast as unknown as Node;
    const unbound = unexpandedBindings(env, ast);
    if (failed.length > 0) {
      const dyn = env.parse('dyn(0)').ast;
      for (const node of nodesOf(ast)) {
        if (failed.some((p) => samePlace(p, node))) {
          node.setMeta('alternate', dyn);
          failedNodes.add(node);
        }
      }
      for (const { macro, call } of unbound.calls) {
        if (failed.some((p) => samePlace(p, call))) macro.setMeta('alternate', dyn);
      }
    }
    const result = parsed.check();
    if (result.valid) {
      errors.push(...dynMethodCallErrors(env, parsed.ast), ...unbound.errors);
      if (errors.length > 0) return { valid: false, errors };
      return { valid: true, type: result.type ?? 'dyn', ast: parsed.ast };
    }
    const error = (result.error ?? new Error('invalid expression')) as CheckError;
    // A node read as `dyn` can fail again where it failed (a mixed literal's item, now
    // `dyn`; a `has()`): cel-go's error type is assignable to anything, so the
    // evaluator's second error there is not cel-go's.
    // A method call starts where its receiver does, and its error (an undeclared method of
    // an undeclared receiver, `nosuch.foo(1)`) is cel-go's too (reported at its `(`).
    const call = error.node?.op === 'rcall';
    const again = errors.some(
      (e) =>
        placeOf(e) === placeOf(error) &&
        (!call || (e.node !== undefined && samePlace(e.node, error.node!))),
    );
    if (!again) errors.push(error);
    const node = error.node;
    if (!node || errors.length >= MAX_ERRORS || failed.some((p) => samePlace(p, node))) {
      return { valid: false, errors: [...errors, ...unbound.errors] };
    }
    failed.push({ start: node.start, end: node.end, op: node.op });
  }
}
