/**
 * cel-go's check of a method called on a `dyn` value (`object.a.startsWith(1)`): the
 * receiver may be anything, but the arguments must still fit one of the method's
 * overloads, else the expression does not compile (`found no matching overload for
 * 'startsWith' applied to 'dyn.(int)'`). The evaluator we use accepts any arguments on a
 * dynamic receiver, so the calls are checked again here (own code, kube-apiserver
 * refuses such expressions when a policy or CRD is written).
 */
import type { Environment } from '@marcbachmann/cel-js';
import { type AstNode, isAstNode, nodesOf } from './ast-node.js';
import { typeParts } from './variable-types.js';

/** A type split into its name and parameters (`map<string, int>` → `map`, `[string, int]`). */
interface ParsedType {
  readonly name: string;
  readonly params: readonly ParsedType[];
}

/** Parses a type name as the evaluator spells it (`list<map<string, dyn>>`). */
function parseType(text: string): ParsedType {
  const { name, params } = typeParts(text.trim());
  return { name, params: params.map(parseType) };
}

/**
 * Whether a value of type `arg` may be passed where `param` is declared: `dyn` on either
 * side, a type parameter (`A`, `T`) or a macro's unchecked argument (`ast`) take anything;
 * otherwise the names and parameters must agree.
 */
function assignable(arg: ParsedType, param: ParsedType): boolean {
  if (arg.name === 'dyn' || param.name === 'dyn' || param.name === 'ast') return true;
  if (/^[A-Z]$/.test(param.name)) return true;
  if (arg.name !== param.name) return false;
  if (arg.params.length !== param.params.length) return arg.params.length === 0;
  return arg.params.every((a, i) => assignable(a, param.params[i] as ParsedType));
}

/** The parameter lists of the receiver-style overloads of each function of `env`. */
const overloads = new WeakMap<Environment, Map<string, ParsedType[][]>>();

function methodOverloads(env: Environment, name: string): ParsedType[][] {
  let byName = overloads.get(env);
  if (!byName) {
    byName = new Map();
    for (const f of env.getDefinitions().functions) {
      if (!f.receiverType) continue;
      const list = byName.get(f.name) ?? [];
      list.push(f.params.map((p) => parseType(p.type)));
      byName.set(f.name, list);
    }
    overloads.set(env, byName);
  }
  return byName.get(name) ?? [];
}

/** A method call on a `dyn` receiver whose arguments fit none of the method's overloads. */
function misfit(env: Environment, node: AstNode): Error | undefined {
  if (node.op !== 'rcall' || node.meta.macro !== undefined) return undefined;
  const [name, receiver, args] = node.args as [unknown, unknown, unknown];
  if (typeof name !== 'string' || !isAstNode(receiver) || !Array.isArray(args)) return undefined;
  if (receiver.checkedType?.name !== 'dyn') return undefined;
  const types = args.map((a) => (isAstNode(a) ? a.checkedType?.name : undefined));
  if (types.some((t) => t === undefined)) return undefined;
  const argTypes = (types as string[]).map(parseType);
  const candidates = methodOverloads(env, name);
  // A name no method has is reported by the evaluator itself.
  if (candidates.length === 0) return undefined;
  const fits = candidates.some(
    (params) =>
      params.length === argTypes.length && params.every((p, i) => assignable(argTypes[i]!, p)),
  );
  if (fits) return undefined;
  // The evaluator's words for a call without an overload, which the callers put in cel-go's.
  const error = new Error(`found no matching overload for 'dyn.${name}(${types.join(', ')})'`);
  return Object.assign(error, { node });
}

/**
 * The method calls on `dyn` values in a parsed and checked expression (`ast`, checked in
 * `env`) whose arguments fit none of the method's overloads, by position, each an error
 * in the evaluator's words carrying its call node (`node`).
 */
export function dynMethodCallErrors(env: Environment, ast: unknown): Error[] {
  const out: (Error & { node: AstNode })[] = [];
  for (const node of nodesOf(ast)) {
    const error = misfit(env, node);
    if (error) out.push(error as Error & { node: AstNode });
  }
  return out.sort((a, b) => a.node.start - b.node.start);
}
