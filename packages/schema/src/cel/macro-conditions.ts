/**
 * cel-go's words for a comprehension macro whose predicate is not a bool where cel-go's
 * expansion makes it the condition of a conditional (`exists_one(x, p)`, `filter(x, p)`,
 * `map(x, p, t)`): `found no matching overload for '_?_:_' applied to '(int, list(int),
 * list(int))'` at the macro's `(`, the branches typed as the expansion's accumulator (the
 * count of `exists_one`, the list `filter` and `map` build). The evaluator words it as its
 * own macro's label (`filter(var, predicate) predicate must return bool, got 'int'`) and
 * does not type the accumulator, so the expression is checked again with the predicate
 * read as `true` to learn the list's type. Our own code: the evaluator has no such wording.
 */
import type { Environment } from '@marcbachmann/cel-js';
import { type AstNode, isAstNode, nodesOf } from './ast-node.js';
import { celTypeName } from './error-text.js';

/** The evaluator's words for such a predicate: the macro's name, the predicate's type. */
const LABEL =
  /^(exists_one|filter)\(var, predicate\) predicate must return bool, got '(.+)'$|^(map)\(var, filter, transform\) filter predicate must return bool, got '(.+)'$/;

/**
 * cel-go's words and offset for the evaluator's `message` about the predicate `node` of
 * `expression` (checked in `env`), or undefined for other errors.
 */
export function macroConditionError(
  env: Environment,
  expression: string,
  message: string,
  node: AstNode,
): { why: string; at: number } | undefined {
  const label = LABEL.exec(message);
  if (!label) return undefined;
  const name = label[1] ?? label[3];
  const found = celTypeName(label[2] ?? label[4] ?? 'dyn');
  const parsed = env.parse(expression);
  const call = nodesOf(parsed.ast).find((n) => {
    if (n.op !== 'rcall' || !Array.isArray(n.args)) return false;
    const [fn, , args] = n.args as [unknown, unknown, unknown];
    const predicate = Array.isArray(args) ? args[1] : undefined;
    return (
      fn === name &&
      isAstNode(predicate) &&
      predicate.start === node.start &&
      predicate.end === node.end
    );
  });
  if (!call) return undefined;
  const [, receiver, args] = call.args as [string, AstNode, AstNode[]];
  args[1]?.setMeta('alternate', env.parse('true').ast);
  parsed.check();
  const accumulator = name === 'exists_one' ? 'int' : celTypeName(call.checkedType?.name ?? 'list');
  return {
    why: `found no matching overload for '_?_:_' applied to '(${found}, ${accumulator}, ${accumulator})'`,
    at: expression.indexOf('(', receiver.end),
  };
}
