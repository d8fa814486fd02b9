/**
 * CEL's `string.matches(string)` as cel-go runs it: the pattern read by Go's `regexp`
 * (RE2; see {@link re2RegExp}), a pattern Go refuses an evaluation error in Go's words
 * (`error parsing regexp: …`). Our own code: `@marcbachmann/cel-js` declares `matches`
 * with JavaScript's `RegExp` in its shared base registry, and an environment cannot
 * declare the same overload again (overlapping signatures are refused), so each parsed
 * `matches` call's evaluation step is replaced instead: it reads the receiver and the
 * pattern as before and matches them with the RE2 translation; any other operands go to
 * the call's own step (its overload resolution and errors).
 */
import { EvaluationError } from '@marcbachmann/cel-js';
import { type AstNode, nodesOf } from './ast-node.js';
import { re2RegExp } from './re2.js';

/** The evaluator's interface as the replaced step uses it. */
interface Evaluator {
  run(node: unknown, ctx: unknown): unknown;
}

/** A checked member call node: its operands, and the step resolving its overload. */
interface CallNode extends AstNode {
  readonly receiverWithArgs: readonly unknown[];
  handle(args: unknown[], ev: Evaluator, node: CallNode): unknown;
}

/** Whether `s` matches the RE2 pattern `pattern` (Go's `regexp.MatchString`). */
function re2Matches(s: string, pattern: string, node: CallNode): boolean {
  let re: RegExp;
  try {
    re = re2RegExp(pattern);
  } catch (e) {
    throw new EvaluationError(e instanceof Error ? e.message : String(e), node as never);
  }
  return re.test(s);
}

function matchesStep(ev: Evaluator, node: CallNode, ctx: unknown): unknown {
  const [receiver, pattern] = node.receiverWithArgs;
  // The pattern first, as the evaluator resolves a call's operands (last to first).
  const p = ev.run(pattern, ctx);
  const s = ev.run(receiver, ctx);
  if (typeof s === 'string' && typeof p === 'string') return re2Matches(s, p, node);
  return node.handle([s, p], ev, node);
}

/** Makes every `matches` call of the parsed expression `root` read its pattern as RE2 does. */
export function matchWithRe2(root: unknown): void {
  for (const n of nodesOf(root)) {
    const args = n.args as unknown[];
    if (n.op !== 'rcall' || args[0] !== 'matches' || (args[2] as unknown[]).length !== 1) {
      continue;
    }
    n.setMeta('evaluate', matchesStep);
  }
}
