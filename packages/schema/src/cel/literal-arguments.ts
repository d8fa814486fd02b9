/**
 * cel-go's literal validators, which kube-apiserver's CEL environment runs once an
 * expression type-checks (`ValidateDurationLiterals`, `ValidateTimestampLiterals`,
 * `ValidateRegexLiterals`): a `duration(…)` or `timestamp(…)` of a literal that does not
 * convert (`duration(1)`, `duration('abc')`) and a `matches` of a literal pattern that does
 * not compile (as JavaScript reads it, and what RE2 refuses: see {@link re2Refuses}) are refused, `invalid duration argument` at the literal. Our own code: the
 * evaluator has no such validators.
 */
import {
  TypeError as CelTypeError,
  type Environment,
  type ErrorLocation,
} from '@marcbachmann/cel-js';
import { isAstNode, nodesOf } from './ast-node.js';
import { re2Refuses } from './re2.js';

/** The calls checked, and the argument (after the receiver) that must be a valid literal. */
const VALIDATED: Readonly<Record<string, { readonly member: boolean }>> = {
  duration: { member: false },
  timestamp: { member: false },
  matches: { member: true },
};

/** Whether `text` evaluates in `env` without an error. */
function evaluates(env: Environment, text: string): boolean {
  try {
    env.evaluate(text);
    return true;
  } catch {
    return false;
  }
}

/**
 * The first literal argument of the parsed (and checked) expression `root` that cel-go's
 * validators refuse, as an error at the literal; undefined when there is none.
 */
export function literalArgumentsError(env: Environment, root: unknown): Error | undefined {
  const refused = nodesOf(root)
    .filter((n) => n.op === 'call' || n.op === 'rcall')
    .flatMap((n) => {
      const args = n.args as unknown[];
      const name = String(args[0]);
      const rule = VALIDATED[name];
      if (!rule || rule.member !== (n.op === 'rcall')) return [];
      const callArgs = (rule.member ? args[2] : args[1]) as unknown[];
      const literal = callArgs[0];
      if (callArgs.length !== 1 || !isAstNode(literal) || literal.op !== 'value') return [];
      const source = literal.input.slice(literal.start, literal.end);
      const call = rule.member ? `''.matches(${source})` : `${name}(${source})`;
      const pattern = name === 'matches' && typeof literal.args === 'string' ? literal.args : '';
      const refused = !evaluates(env, call) || re2Refuses(pattern);
      return refused ? [{ name, literal }] : [];
    })
    .sort((a, b) => a.literal.start - b.literal.start);
  const first = refused[0];
  if (!first) return undefined;
  return new CelTypeError({
    code: 'invalid_argument',
    message: `invalid ${first.name} argument`,
    node: first.literal as unknown as ErrorLocation,
  });
}
