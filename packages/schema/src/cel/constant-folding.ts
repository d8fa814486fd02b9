/**
 * What kube-apiserver's CEL programs refuse when they are made (`program instantiation
 * failed: …`): cel-go's planner, with the optimizations kube-apiserver turns on, folds a
 * type conversion of a constant (`int('x')`, `uint(-1)`, `int(dyn('1.5'))`) into its value
 * and fails on one that does not convert, in cel-go's words (`type conversion error from
 * 'string' to 'int'`, `integer overflow`, `unsigned integer overflow`, `invalid UTF-8 in
 * bytes, cannot convert to string`); and the regex library compiles a literal `find` or
 * `findAll` pattern (see {@link regexProgramError}). Our own code: the evaluator folds
 * nothing and converts with its own rules.
 */
import { type AstNode, isAstNode, nodesOf } from './ast-node.js';
import { type Constant, constantOf, convert, Refused } from './conversions.js';
import { regexProgramError } from './literal-arguments.js';

/** The constant a literal stands for (a `-` before a number is part of it, as cel-go parses it). */
function literal(node: AstNode): Constant | undefined {
  if (node.op === '-_' && isAstNode(node.args) && node.args.op === 'value') {
    const c = literal(node.args);
    if (c?.t === 'int') return { t: 'int', v: -c.v };
    if (c?.t === 'double') return { t: 'double', v: -c.v };
    return undefined;
  }
  return node.op === 'value' ? constantOf(node.args) : undefined;
}

const CONVERSIONS = new Set([
  'bool',
  'bytes',
  'double',
  'duration',
  'dyn',
  'int',
  'string',
  'timestamp',
  'type',
  'uint',
]);

/**
 * The constant `node` folds to as cel-go's planner folds it (a literal, or a conversion of
 * a constant), the conversion's refusal, or undefined when it is no constant.
 */
function fold(node: AstNode): Constant | Refused | undefined {
  if (node.op !== 'call') return literal(node);
  const [name, args] = node.args as [unknown, unknown];
  if (typeof name !== 'string' || !CONVERSIONS.has(name) || !Array.isArray(args)) return undefined;
  if (args.length !== 1 || !isAstNode(args[0])) return undefined;
  const inner = fold(args[0]);
  if (inner === undefined || inner instanceof Refused) return inner;
  return convert(name, inner);
}

/**
 * Why kube-apiserver cannot make the program of the parsed (and checked) expression
 * `root` (the words after `program instantiation failed: `), undefined when it can: the
 * first constant conversion that fails, else a literal regex Go refuses.
 */
export function programError(root: unknown): string | undefined {
  for (const n of nodesOf(root).sort((a, b) => a.start - b.start)) {
    const folded = fold(n);
    if (folded instanceof Refused) return folded.why;
  }
  return regexProgramError(root);
}
