/**
 * Presence tests of a field of any value, `has(self.m[k].v)`, `has(self.l[0].v)`: cel-go's
 * `has()` takes any field selection, the evaluator's only a chain of selections from a
 * variable (`has() invalid argument`). In a parsed expression, such a test's macro is
 * replaced by one that checks and runs the selected operand as an expression and then
 * tests its field as the evaluator's `has()` does (a map's key, an object's field).
 */

import { isAstNode, type AstNode as Node } from './ast-node.js';

/** The parts of the evaluator's checker and runner a macro uses. */
interface Checker {
  check(node: unknown, ctx: unknown): unknown;
  getType(name: string): unknown;
}
interface Runner {
  run(node: unknown, ctx: unknown): unknown;
  debugType(v: unknown): { fieldLazy(v: unknown, key: string, node: unknown, ev: Runner): unknown };
}

const isNode = (v: unknown): v is Node => isAstNode(v) && 'meta' in v;

/** Whether a selection chain reaches a variable (what the evaluator's `has()` accepts). */
function fromVariable(node: Node): boolean {
  let n: unknown = node;
  while (isNode(n) && (n.op === '.' || n.op === '.?')) n = (n.args as unknown[])[0];
  return isNode(n) && n.op === 'id';
}

/** A `has()` macro for the selection `select` of a field of any operand. */
function presenceOf(select: Node) {
  const [operand, field] = select.args as [unknown, string];
  return {
    args: [select],
    typeCheck(checker: Checker, _macro: unknown, ctx: unknown) {
      checker.check(operand, ctx);
      return checker.getType('bool');
    },
    evaluate(ev: Runner, _macro: unknown, ctx: unknown) {
      const v = ev.run(operand, ctx);
      return ev.debugType(v).fieldLazy(v, field, select, ev) !== undefined;
    },
  };
}

/**
 * Makes every presence test in the parsed expression `ast` whose selection does not
 * start at a variable (`has(self.m[k].v)`) check and run as cel-go's does.
 */
export function allowIndexedPresenceTests(ast: unknown): void {
  const pending: unknown[] = [ast];
  const seen = new Set<unknown>();
  while (pending.length) {
    const v = pending.pop();
    if (Array.isArray(v)) pending.push(...v);
    if (!isNode(v) || seen.has(v)) {
      if (!isNode(v) && typeof v === 'object' && v !== null && !Array.isArray(v)) {
        pending.push(...Object.values(v));
      }
      continue;
    }
    seen.add(v);
    pending.push(v.args, v.meta.alternate);
    const args = v.args;
    if (v.op !== 'call' || !Array.isArray(args) || args[0] !== 'has' || !v.meta.macro) continue;
    const select = (args[1] as unknown[])[0];
    if (isNode(select) && select.op === '.' && !fromVariable(select)) {
      v.setMeta('macro', presenceOf(select));
    }
  }
}
