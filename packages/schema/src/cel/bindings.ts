/**
 * cel-go's bindings extension (`cel.bind(v, init, body)`), which kube-apiserver's CEL
 * environments have only for device selectors (resource.k8s.io adds `ext.Bindings`; the
 * base environment of CRD rules and admission expressions has no such library). The
 * evaluator we use expands every `<receiver>.bind(a, b, c)` as the macro, in every
 * environment; cel-go expands only `cel.bind` and only with the extension. Elsewhere the
 * call is checked here as cel-go checks a call of an unknown function: its receiver and
 * arguments checked where the call is (the bound name is no variable), `undeclared
 * reference to 'bind'` at its `(`; and `cel` anywhere but as the receiver of a macro kept
 * is `undeclared reference to 'cel'` (cel-go declares no such name; the evaluator has it
 * as its macro's namespace). Our own code: the evaluator cannot leave a macro out.
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
  /** The errors the checker cannot give: `cel` undeclared, wherever it is read. */
  readonly errors: readonly Error[];
  /** The calls that now stand for the macros, each with the macro's node. */
  readonly calls: readonly { readonly macro: AstNode; readonly call: AstNode }[];
}

/** A parsed `dyn(0)`, which an undeclared `cel` is read as. */
let dynNode: unknown;

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
 * the receiver and arguments; each other `cel` is read as `dyn`, its error returned for the
 * caller to add.
 */
export function unexpandedBindings(env: Environment, root: unknown): UnexpandedBindings {
  const calls: { macro: AstNode; call: AstNode }[] = [];
  /** The receivers of the macros kept: the only `cel` that is no undeclared name. */
  const kept = new Set<unknown>();
  const nodes = nodesOf(root);
  for (const n of nodes) {
    if (n.op !== 'rcall' || n.meta.macro === undefined) continue;
    const [name, receiver, args] = n.args as [unknown, unknown, unknown];
    if (name !== 'bind' || !Array.isArray(args) || args.length !== 3) continue;
    const cel = isAstNode(receiver) && receiver.op === 'id' && receiver.args === 'cel';
    if (cel && WITH_BINDINGS.has(env)) {
      kept.add(receiver);
      continue;
    }
    const clone = (n as unknown as { clone(op: unknown, args: unknown): AstNode }).clone;
    const call = clone.call(n, callOpOf(env), ['bind', [receiver, ...args]]);
    n.setMeta('alternate', call);
    calls.push({ macro: n, call });
  }
  // Any other `cel` (the evaluator's namespace of its macro) is undeclared, as in cel-go:
  // read as `dyn` so that what is around it checks on, its error added.
  const errors: Error[] = [];
  for (const n of nodes) {
    if (n.op !== 'id' || n.args !== 'cel' || kept.has(n)) continue;
    dynNode ??= env.parse('dyn(0)').ast;
    n.setMeta('alternate', dynNode);
    errors.push(
      Object.assign(new Error('Unknown variable: cel'), { range: { start: n.start }, node: n }),
    );
  }
  return { errors, calls };
}
