/**
 * cel-go's bindings extension (`cel.bind(v, init, body)`), which kube-apiserver's CEL
 * environments have only for device selectors (resource.k8s.io adds `ext.Bindings`; the
 * base environment of CRD rules and admission expressions has no such library). The
 * evaluator we use expands every `<receiver>.bind(a, b, c)` as the macro, in every
 * environment; cel-go expands only `cel.bind` and only with the extension. Elsewhere the
 * call is checked here as cel-go checks a call of an unknown function: its receiver and
 * arguments checked where the call is (the bound name is no variable), `undeclared
 * reference to 'bind'` at its `(`, and `undeclared reference to 'cel'` for the receiver
 * `cel`, which cel-go declares nowhere. Our own code: the evaluator cannot leave a macro out.
 */
import type { Environment } from '@marcbachmann/cel-js';
import { type AstNode, isAstNode, nodesOf } from './ast-node.js';

/** The environments that have the extension. */
const WITH_BINDINGS = new WeakSet<Environment>();

/** Marks `env` as having cel-go's bindings extension (`cel.bind`); returns it. */
export function withBindings(env: Environment): Environment {
  WITH_BINDINGS.add(env);
  return env;
}

/** What {@link unexpandedBindings} did to a parsed expression. */
export interface UnexpandedBindings {
  /** The errors the checker cannot give: `cel` undeclared, at each such receiver. */
  readonly errors: readonly Error[];
  /** The calls that now stand for the macros, each with the macro's node. */
  readonly calls: readonly { readonly macro: AstNode; readonly call: AstNode }[];
}

/** The parts of a global call node, taken from a parsed one (the parser's own are not exported). */
let callOp: { name: string; check: unknown; evaluate: unknown } | undefined;

function callOpOf(env: Environment): { name: string; check: unknown; evaluate: unknown } {
  if (!callOp) {
    const sample = env.parse('f(0)').ast as unknown as {
      meta: { check: unknown; evaluate: unknown };
    };
    callOp = { name: 'call', check: sample.meta.check, evaluate: sample.meta.evaluate };
  }
  return callOp;
}

/**
 * Undoes the `bind` macros of the parsed expression `root` (parsed in `env`) that cel-go
 * would not expand there: each becomes a global call `bind(receiver, a, b, c)` (its
 * alternate), which the checker refuses as a call of an unknown function after checking
 * the receiver and arguments; the errors about `cel` are returned for the caller to add.
 */
export function unexpandedBindings(env: Environment, root: unknown): UnexpandedBindings {
  const errors: Error[] = [];
  const calls: { macro: AstNode; call: AstNode }[] = [];
  for (const n of nodesOf(root)) {
    if (n.op !== 'rcall' || n.meta.macro === undefined) continue;
    const [name, receiver, args] = n.args as [unknown, unknown, unknown];
    if (name !== 'bind' || !Array.isArray(args) || args.length !== 3) continue;
    const cel = isAstNode(receiver) && receiver.op === 'id' && receiver.args === 'cel';
    if (cel && WITH_BINDINGS.has(env)) continue;
    const clone = (n as unknown as { clone(op: unknown, args: unknown): AstNode }).clone;
    const call = clone.call(n, callOpOf(env), ['bind', [receiver, ...args]]);
    n.setMeta('alternate', call);
    calls.push({ macro: n, call });
    if (cel) {
      const error = new Error('Unknown variable: cel');
      errors.push(Object.assign(error, { range: { start: receiver.start }, node: receiver }));
    }
  }
  return { errors, calls };
}
