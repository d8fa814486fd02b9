/**
 * cel-go's check of a presence test's fields: in `has(a.b.c)` every field selected on an
 * object type must be one it declares, else the expression does not compile (`undefined
 * field 'c'`). The evaluator checks only the root of a `has()`; kube-apiserver's checker
 * refuses `has(object.spec.nope)` of a typed object, so the chain is checked here too.
 * cel-go locates an inner selection at its `.`, and the tested (outermost) one at the
 * `(` of `has(`, where its parser places the macro's expansion.
 */
import { TypeError as CelTypeError, type Environment } from '@marcbachmann/cel-js';
import { isAstNode as isNode, type AstNode as Node } from './ast-node.js';
import { CelMapOf, CelOptionalOf, type CelType, declaredObjectType } from './object-types.js';
import { isCelObjectType } from './schema-types.js';

/** The presence tests (`has(…)` calls) in a parsed expression. */
function presenceTests(root: unknown): Node[] {
  const out: Node[] = [];
  const pending: unknown[] = [root];
  while (pending.length) {
    const v = pending.pop();
    if (Array.isArray(v)) pending.push(...v);
    if (!isNode(v)) continue;
    const args = v.args;
    if (v.op === 'call' && Array.isArray(args) && args[0] === 'has') out.push(v);
    if (v.op === 'comprehension' && typeof args === 'object' && args !== null) {
      pending.push(...Object.values(args));
    } else pending.push(args);
  }
  return out;
}

/** A field's type when selected on `type`, `undefined` where cel-go does not check it. */
function selectedOn(type: CelType | undefined): CelType | undefined {
  const t = type instanceof CelOptionalOf ? type.value : type;
  return t instanceof CelMapOf ? 'dyn' : t;
}

/** The error of a presence test that names a field its object type lacks. */
function presenceTestError(env: Environment, test: Node): Error | undefined {
  const list = (test.args as unknown[])[1];
  const chain: Node[] = [];
  let n = Array.isArray(list) ? list[0] : undefined;
  while (isNode(n) && n.op === '.') {
    chain.push(n);
    n = (n.args as unknown[])[0];
  }
  // The operand of the selections: a variable, or any value (`has(self.m[k].v)`).
  if (!isNode(n) || !n.checkedType) return undefined;
  let type: CelType | undefined = declaredObjectType(env, n.checkedType.name);
  for (let i = chain.length - 1; i >= 0; i--) {
    const select = chain[i] as Node;
    const fields = selectedOn(type);
    if (!isCelObjectType(fields)) return undefined;
    const field = String((select.args as unknown[])[1]);
    type = fields[field];
    if (type !== undefined) continue;
    // The evaluator's position of a missing field: its name, after the `.`.
    const pos = i === 0 ? test.input.indexOf('(', test.start) + 1 : select.pos;
    return new CelTypeError({
      code: 'no_such_key',
      message: `No such key: ${field}`,
      node: { input: test.input, pos, start: pos, end: pos },
    });
  }
  return undefined;
}

/**
 * The first presence test of a parsed and checked expression (`ast`, checked in `env` or
 * an environment cloned from it) that selects a field its object type does not declare,
 * as the evaluator words a missing field (`No such key: c`); undefined when there is none.
 */
export function presenceTestsError(env: Environment, ast: unknown): Error | undefined {
  const tests = presenceTests(ast).sort((a, b) => a.start - b.start);
  for (const test of tests) {
    const error = presenceTestError(env, test);
    if (error) return error;
  }
  return undefined;
}
