/**
 * What a CEL expression costs when it runs, counted as cel-go's runtime cost tracker
 * counts it for kube-apiserver, while the expression runs: each step of the evaluation
 * the evaluator really takes (a short-circuit, a branch of `?:` not taken, a comprehension
 * that stops early cost nothing), with the values' own sizes. The tracker follows the
 * evaluation by hooking the evaluate step of each node of the parsed expression (the
 * evaluator has no cost tracking of its own); past the limit it cancels the evaluation
 * with cel-go's `operation cancelled: actual cost limit exceeded`.
 *
 * cel-go's rules, read from its `interpreter/runtimecost.go` and checked against
 * Kubernetes' runtime cost tables: an identifier, a field selection and an index cost 1
 * each (an identifier used as an index is part of the index), constants and constant
 * list or map literals 0, other list literals 10 and map literals 30, `&&`, `||` and `?:`
 * nothing of their own, a presence test (`has`) only its operand's path, a call 1 unless
 * its cost depends on its arguments' sizes (string equality and comparison, `in` a list,
 * concatenation, `contains`, `startsWith`, `matches`, Kubernetes' library functions, which
 * are priced with their estimate's formula on the actual sizes). A comprehension costs its
 * range, its initial value and result, and per element the loop condition and step that
 * cel-go's macro expands to.
 */
import { runtimeSizeOf } from './cost.js';
import { runtimeLibraryCost } from './runtime-library-cost.js';

/** The evaluate step of a cel-js AST node, as the evaluator calls it. */
type EvaluateStep = (ev: unknown, node: AstNode, ctx: unknown) => unknown;

/** The parts of a cel-js AST node the tracker reads. */
interface AstNode {
  readonly op: string;
  readonly evaluate: EvaluateStep;
  readonly args: unknown;
  readonly meta: {
    readonly evaluate: EvaluateStep;
    readonly alternate?: AstNode;
    readonly macro?: { readonly evaluate: EvaluateStep; readonly macroHasProps?: unknown[] };
  };
}

/** The error of an expression cancelled by the per-call cost limit (cel-go's words). */
export const COST_LIMIT_EXCEEDED = 'operation cancelled: actual cost limit exceeded';

/** The error an expression cancelled by its cost limit ends with. */
export class CostLimitExceeded extends Error {
  constructor() {
    super(COST_LIMIT_EXCEEDED);
    this.name = 'CostLimitExceeded';
  }
}

const STRING_FACTOR = 0.1;
const REGEX_FACTOR = 0.25;
const ceilFactor = (n: number, f: number) => Math.ceil(n * f);

const isNode = (v: unknown): v is AstNode =>
  typeof v === 'object' && v !== null && 'op' in v && 'meta' in v;

/** One evaluation being counted. */
class Tracker {
  cost = 0;
  cancelled = false;
  /** The last value each node gave in this evaluation (a call reads its arguments'). */
  readonly values = new Map<AstNode, unknown>();
  /** The comprehensions running now, by their step node: the steps taken, their costs. */
  readonly steps = new Map<AstNode, { taken: number; readonly fold: Fold }>();

  constructor(readonly limit: number) {}

  charge(n: number): void {
    this.cost += n;
    if (this.cost > this.limit) this.cancelled = true;
    if (this.cancelled) throw new CostLimitExceeded();
  }
}

let current: Tracker | undefined;
const instrumented = new WeakSet<object>();

/** The step a node takes as the evaluator resolves it (alternate, macro, or its own). */
function resolvedStep(node: AstNode): EvaluateStep {
  const { alternate, macro, evaluate } = node.meta;
  if (alternate) return (ev, _n, ctx) => alternate.evaluate(ev, alternate, ctx);
  if (macro) return (ev, _n, ctx) => macro.evaluate(ev, macro as never, ctx);
  return evaluate;
}

/** The nodes a node evaluates (its operands, and a macro's expansion). */
function childrenOf(node: AstNode): unknown[] {
  const out: unknown[] = [];
  const add = (v: unknown) => {
    if (Array.isArray(v)) for (const x of v) add(x);
    else if (isNode(v)) out.push(v);
  };
  add(node.args);
  if (node.op === 'comprehension') {
    const a = node.args as { iterable?: unknown; init?: unknown; step?: unknown };
    add([a.iterable, a.init, a.step]);
  }
  add(node.meta.alternate);
  return out;
}

/** Hooks the evaluate step of every node of a parsed expression (once). */
function instrument(root: unknown): void {
  if (!isNode(root) || instrumented.has(root)) return;
  const pending: unknown[] = [root];
  while (pending.length) {
    const node = pending.pop();
    if (!isNode(node) || instrumented.has(node)) continue;
    instrumented.add(node);
    const hooked: EvaluateStep = (ev, _n, ctx) => {
      const t = current;
      if (!t) return resolvedStep(node)(ev, node, ctx);
      return observe(t, node, () => resolvedStep(node)(ev, node, ctx));
    };
    // The evaluator replaces a node's step with the resolved one on its first call; the
    // hook stays in place and resolves on each call instead.
    Object.defineProperty(node, 'evaluate', {
      configurable: true,
      get: () => hooked,
      set: () => {},
    });
    pending.push(...childrenOf(node));
  }
}

/** The comprehension a macro call expands to, when it is one. */
function comprehensionOf(node: AstNode): AstNode | undefined {
  const alt = node.meta.alternate;
  return alt?.op === 'comprehension' ? alt : undefined;
}

/**
 * Runs one node's step and charges what cel-go charges for it. A step that fails is
 * charged too (cel-go's errors are values that its ancestors still receive), then its
 * error goes on; a cancellation ends everything.
 */
function observe(t: Tracker, node: AstNode, run: () => unknown): unknown {
  if (t.cancelled) throw new CostLimitExceeded();
  const comprehension = comprehensionOf(node);
  const fold = comprehension ? FOLDS[String((node.args as unknown[])[0])] : undefined;
  const step = comprehension && fold ? (comprehension.args as { step?: unknown }).step : undefined;
  const outer = isNode(step) ? t.steps.get(step) : undefined;
  const mine = fold ? { taken: 0, fold } : undefined;
  if (isNode(step) && mine) t.steps.set(step, mine);
  let value: unknown;
  let failure: { error: unknown } | undefined;
  try {
    value = run();
  } catch (error) {
    if (error instanceof CostLimitExceeded) throw error;
    failure = { error };
  } finally {
    if (isNode(step)) {
      if (outer === undefined) t.steps.delete(step);
      else t.steps.set(step, outer);
    }
  }
  t.values.set(node, value);
  const running = t.steps.get(node);
  if (running) {
    // One more element: its loop condition, checked before the step, and the step's own cost.
    running.taken++;
    t.charge(running.fold.cond + running.fold.step);
  }
  if (comprehension && mine) {
    const iterable = (comprehension.args as { iterable?: unknown }).iterable;
    const items = isNode(iterable) ? runtimeSizeOf(t.values.get(iterable)) : mine.taken;
    // The condition once more when it ended the loop early, then the result.
    t.charge((mine.taken < items ? mine.fold.cond : 0) + mine.fold.result);
  }
  t.charge(nodeCost(t, node, value));
  if (failure) throw failure.error;
  return value;
}

/** What cel-go's expansion of a comprehension macro costs besides its range and predicate. */
export interface Fold {
  /** The loop condition, per element. */
  readonly cond: number;
  /** The step's own cost (the accumulator), per element. */
  readonly step: number;
  /** The result. */
  readonly result: number;
}

/** The loop condition's and the accumulator's costs per element and the result's, per macro. */
const FOLDS: Record<string, Fold> = {
  // @not_strictly_false(accu); accu && p; accu
  all: { cond: 2, step: 1, result: 1 },
  // @not_strictly_false(!accu); accu || p; accu
  exists: { cond: 3, step: 1, result: 1 },
  // true; p ? accu + 1 : accu (the branches are counted as they run); accu == 1
  exists_one: { cond: 0, step: 0, result: 2 },
  // true; accu + [t] (counted as it runs); accu
  map: { cond: 0, step: 0, result: 1 },
  filter: { cond: 0, step: 0, result: 1 },
};

/** Whether a node is an attribute path: an identifier, then selections and indexes. */
function isAttribute(node: unknown): boolean {
  if (!isNode(node)) return false;
  if (node.op === 'id') return true;
  if (node.op === '.' || node.op === '[]') return isAttribute((node.args as unknown[])[0]);
  return false;
}

/** Whether a list or map literal holds only constants (cel-go plans it as a constant). */
function isConstantLiteral(node: AstNode): boolean {
  const parts: unknown[] = [];
  const add = (v: unknown) => {
    if (Array.isArray(v)) for (const x of v) add(x);
    else parts.push(v);
  };
  add(node.args);
  return parts.every(
    (p) => isNode(p) && (p.op === 'value' || (p.op === 'list' && isConstantLiteral(p))),
  );
}

const sizeOf = runtimeSizeOf;
const isText = (v: unknown) => typeof v === 'string' || v instanceof Uint8Array;

function nodeCost(t: Tracker, node: AstNode, value: unknown): number {
  const args = Array.isArray(node.args) ? (node.args as unknown[]) : [];
  const valueAt = (n: unknown) => (isNode(n) ? t.values.get(n) : undefined);
  switch (node.op) {
    case 'value':
    case '&&':
    case '||':
    case '?:':
    case 'comprehension':
      return 0;
    case 'id':
      return node.meta.alternate ? 0 : 1;
    case '.':
    case '.?':
      return 1;
    case '[]':
    case '[?]':
      // An identifier used as an attribute's index is evaluated as part of the index.
      return isAttribute(args[0]) && isNode(args[1]) && args[1].op === 'id' ? 0 : 1;
    case 'list':
      return isConstantLiteral(node) ? 0 : 10;
    case 'map':
      return isConstantLiteral(node) ? 0 : 30;
    case 'accuValue':
      // The `accu` branch of `p ? … : accu` is part of the conditional: nothing.
      return 0;
    case 'accuInc':
      return 2;
    case 'accuPush':
      return 12;
    case '!_':
    case '-_':
      return 1;
    case 'call':
    case 'rcall':
      return callCost(node, args, valueAt, value);
    default:
      return operatorCost(node.op, valueAt(args[0]), valueAt(args[1]));
  }
}

function operatorCost(op: string, l: unknown, r: unknown): number {
  switch (op) {
    case '==':
    case '!=':
      if (isOpaque(l)) return 1;
      return ceilFactor(Math.min(sizeOf(l), sizeOf(r)), STRING_FACTOR);
    case '<':
    case '<=':
    case '>':
    case '>=':
      return isText(l) && isText(r) ? ceilFactor(Math.min(sizeOf(l), sizeOf(r)), STRING_FACTOR) : 1;
    case 'in':
      return Array.isArray(r) ? r.length : 1;
    case '+':
      return isText(l) && isText(r) ? ceilFactor(sizeOf(l) + sizeOf(r), STRING_FACTOR) : 1;
    default:
      return 1;
  }
}

/** Kubernetes' library types whose equality costs 1 (quantities, IPs, URLs, …). */
function isOpaque(v: unknown): boolean {
  return (
    typeof v === 'object' &&
    v !== null &&
    !Array.isArray(v) &&
    !(v instanceof Map) &&
    !(v instanceof Uint8Array) &&
    Object.getPrototypeOf(v) !== Object.prototype
  );
}

function callCost(
  node: AstNode,
  args: unknown[],
  valueAt: (n: unknown) => unknown,
  value: unknown,
): number {
  const name = String(args[0]);
  if (comprehensionOf(node)) return 0;
  const macro = node.meta.macro;
  if (macro) {
    // has(a.b.c): the path up to the tested field (the root identifier is counted as it runs).
    if (name === 'has') return Math.max(0, (macro.macroHasProps?.length ?? 2) - 2);
    return 0;
  }
  const member = node.op === 'rcall';
  const target = member ? valueAt(args[1]) : undefined;
  const argValues = ((member ? args[2] : args[1]) as unknown[] | undefined)?.map(valueAt) ?? [];
  const a0 = argValues[0];
  if (member && (name === 'startsWith' || name === 'endsWith')) {
    return ceilFactor(sizeOf(target), STRING_FACTOR);
  }
  if (member && name === 'contains' && typeof target === 'string') {
    return ceilFactor(sizeOf(target), STRING_FACTOR) * ceilFactor(sizeOf(a0), STRING_FACTOR);
  }
  if (name === 'matches' && typeof (member ? target : a0) === 'string') {
    const [s, re] = member ? [target, a0] : [a0, argValues[1]];
    return ceilFactor(1 + sizeOf(s), STRING_FACTOR) * ceilFactor(sizeOf(re), REGEX_FACTOR);
  }
  if ((name === 'string' || name === 'bytes') && isText(a0) && isText(value) && !member) {
    return a0 === value ? 1 : ceilFactor(sizeOf(a0), STRING_FACTOR);
  }
  // kube-apiserver's CallCost sees a member call's target as its first argument.
  return runtimeLibraryCost(name, member ? [target, ...argValues] : argValues, value) ?? 1;
}

/**
 * Charges `cost` to the evaluation being counted, if any: for the parts of a macro's
 * expansion that are not nodes of the parsed expression (a comprehension's loop condition,
 * accumulator and result). Past the limit it cancels the evaluation.
 */
export function chargeRuntimeCost(cost: number): void {
  current?.charge(cost);
}

/**
 * Runs `evaluate` (the evaluation of the parsed expression `ast`) while counting its cost:
 * its value, or the error it ended with (a {@link CostLimitExceeded} once the cost passed
 * `limit`), with the cost it had reached.
 */
export function withRuntimeCost<T>(
  ast: unknown,
  limit: number,
  evaluate: () => T,
): { value: T; cost: number } | { error: unknown; cost: number } {
  instrument(ast);
  const outer = current;
  const t = new Tracker(limit);
  current = t;
  try {
    const value = evaluate();
    if (t.cancelled) return { error: new CostLimitExceeded(), cost: t.cost };
    return { value, cost: t.cost };
  } catch (error) {
    return { error: t.cancelled ? new CostLimitExceeded() : error, cost: t.cost };
  } finally {
    current = outer;
  }
}
