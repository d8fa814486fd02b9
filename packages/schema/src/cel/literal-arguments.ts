/**
 * cel-go's literal validators, which kube-apiserver's CEL environment runs once an
 * expression type-checks (`ValidateDurationLiterals`, `ValidateTimestampLiterals`,
 * `ValidateRegexLiterals`): a `duration(…)` or `timestamp(…)` of a literal that does not
 * convert (`duration(1)`, `duration('abc')`) and a `matches` of a literal pattern that Go's
 * `regexp` does not compile (see {@link re2Refuses}) are refused, `invalid duration argument`
 * at the literal. Our own code: the evaluator has no such validators.
 */
import {
  TypeError as CelTypeError,
  type Environment,
  type ErrorLocation,
} from '@marcbachmann/cel-js';
import { isAstNode, nodesOf } from './ast-node.js';
import { re2Error, re2Refuses } from './re2.js';

/**
 * The calls checked (global, member, or both) by their first argument after the receiver.
 * cel-go checks the first argument of `matches` in both forms: the pattern of
 * `s.matches(p)`, but the string of `matches(s, p)`.
 */
const VALIDATED: Readonly<Record<string, { readonly global: boolean; readonly member: boolean }>> =
  {
    duration: { global: true, member: false },
    timestamp: { global: true, member: false },
    matches: { global: true, member: true },
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
      const rule = Object.hasOwn(VALIDATED, name) ? VALIDATED[name] : undefined;
      const member = n.op === 'rcall';
      if (!rule || !(member ? rule.member : rule.global)) return [];
      const callArgs = (member ? args[2] : args[1]) as unknown[];
      const literal = callArgs[0];
      if (name !== 'matches' && callArgs.length !== 1) return [];
      if (!isAstNode(literal) || literal.op !== 'value') return [];
      const source = literal.input.slice(literal.start, literal.end);
      const refused =
        name === 'matches'
          ? typeof literal.args === 'string' && re2Refuses(literal.args)
          : !evaluates(env, `${name}(${source})`);
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

/**
 * Go's error for the first `find` or `findAll` of the parsed expression `root` whose
 * pattern is a literal Go's `regexp` refuses: kube-apiserver's regex library compiles such
 * a pattern when the program is made (`program instantiation failed: error parsing
 * regexp: …`); undefined when there is none.
 */
export function regexProgramError(root: unknown): string | undefined {
  for (const n of nodesOf(root).sort((a, b) => a.start - b.start)) {
    const args = n.args as unknown[];
    if (n.op !== 'rcall' || (args[0] !== 'find' && args[0] !== 'findAll')) continue;
    const pattern = (args[2] as unknown[])[0];
    if (!isAstNode(pattern) || pattern.op !== 'value' || typeof pattern.args !== 'string') continue;
    const error = re2Error(pattern.args);
    if (error) return error;
  }
  return undefined;
}
