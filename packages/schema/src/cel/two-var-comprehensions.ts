/**
 * cel-go's two-variable comprehensions (`ext.TwoVarComprehensions`), which kube-apiserver's
 * base CEL environment has since Kubernetes 1.32, so CRD rules, admission expressions and
 * DRA device selectors all accept them: `all(k, v, p)`, `exists(k, v, p)`,
 * `existsOne(k, v, p)` (also spelled `exists_one`), `transformList(k, v, [filter,] t)`,
 * `transformMap(k, v, [filter,] t)` and `transformMapEntry(k, v, [filter,] t)`. Over a
 * list the first variable is the index, the second the item; over a map, the key and the
 * value. Our own code: the evaluator's comprehensions have one variable. Each macro is
 * typed as cel-go's checker types its expansion, evaluated as cel-go folds it (`all` and
 * `exists` keep going past an error until a result decides them, the others stop at it),
 * and charged to the runtime cost tracker as cel-go's tracker charges its expansion.
 */
import { TypeError as CelTypeError, type ErrorLocation, ParseError } from '@marcbachmann/cel-js';
import { isAstNode } from './ast-node.js';
import { chargeRuntimeCost, type Fold } from './runtime-cost.js';

/** The macros, by name. */
type Kind = 'all' | 'exists' | 'existsOne' | 'transformList' | 'transformMap' | 'transformMapEntry';

/** A cel-js type as this module reads it. */
interface CelType {
  readonly kind: string;
  readonly keyType?: CelType;
  readonly valueType?: CelType;
  isDynOrBool(): boolean;
}

/** A checking or evaluation scope that declares one more variable. */
interface Scope {
  forkWithVariable(name: string, type: CelType): Scope;
  reuse(parent: unknown): Scope;
  setIterValue(value: unknown, ev: unknown): Scope;
}

/** The parts of cel-js's checker the macros use. */
interface Checker {
  check(node: unknown, ctx: Scope): CelType;
  getType(name: string): CelType;
  formatType(type: CelType): string;
  readonly registry: {
    getListType(t: CelType): CelType;
    getMapType(k: CelType, v: CelType): CelType;
  };
}

/** The parts of cel-js's evaluator the macros use. */
interface Evaluator {
  run(node: unknown, ctx: Scope): unknown;
  createError(code: string, message: string, node: unknown): Error;
}

/** cel-go's name of the accumulator, which an iteration variable may not take. */
const ACCUMULATORS = new Set(['__result__', '@result']);

/** A type as cel-go prints it in messages (`list(int)`, `map(string, int)`). */
function goTypeName(chk: Checker, t: CelType): string {
  return chk.formatType(t).replace(/</g, '(').replace(/>/g, ')');
}

/** The operators cel-go places an error at (the evaluator at their first operand). */
const BINARY = new Set([
  '==',
  '!=',
  '<',
  '<=',
  '>',
  '>=',
  '+',
  '-',
  '*',
  '/',
  '%',
  'in',
  '&&',
  '||',
]);

/**
 * Where cel-go reports an error about `node`: a field selection at its `.`, a binary
 * operator at the operator (the evaluator places them at the field's name and at the first
 * operand), any other node at its start.
 */
function celGoRange(node: unknown): { start: number; end: number } | undefined {
  if (!isAstNode(node)) return undefined;
  const { input, op } = node;
  const left = Array.isArray(node.args) ? node.args[0] : undefined;
  let start = node.pos;
  if (op === '.' || op === '.?') start = input.lastIndexOf('.', node.pos);
  else if (BINARY.has(op) && isAstNode(left)) start = input.indexOf(op, left.end);
  return { start: start >= 0 ? start : node.pos, end: node.end };
}

/** cel-go's parse error `message` at `node`. */
function parseError(message: string, node: unknown): ParseError {
  return new ParseError({ message, node: node as ErrorLocation, range: celGoRange(node) });
}

/**
 * A checking error `message` about `node`, placed where cel-go places it, or at `start`
 * (an error of the expansion's own calls, which cel-go places at the macro's `(`).
 */
function checkError(message: string, node: unknown, start?: number): CelTypeError {
  const range = celGoRange(node);
  return new CelTypeError({
    code: 'invalid_macro_argument',
    message,
    node: node as ErrorLocation,
    range: start === undefined || !range ? range : { start, end: range.end },
  });
}

/** An iteration variable's name, or cel-go's parse error. */
function iterationVariable(node: unknown): string {
  if (isAstNode(node) && node.op === 'id') {
    const name = String(node.args);
    if (ACCUMULATORS.has(name)) {
      throw parseError('iteration variable overwrites accumulator variable', node);
    }
    return name;
  }
  throw parseError('argument must be a simple name', node);
}

/**
 * What cel-go's runtime tracker charges for each part of a macro's expansion: the loop
 * condition before each element (and once more when it stops the loop), the step's own
 * cost when the element is taken (a filter passed, `existsOne`'s predicate true), the result.
 */
const FOLDS: Record<Kind, Fold> = {
  // @not_strictly_false(accu); accu && p; accu
  all: { cond: 2, step: 1, result: 1 },
  // @not_strictly_false(!accu); accu || p; accu
  exists: { cond: 3, step: 1, result: 1 },
  // true; p ? accu + 1 : accu; accu == 1
  existsOne: { cond: 0, step: 2, result: 2 },
  // true; accu + [t] (the list literal's 10 charged apart); accu
  transformList: { cond: 0, step: 2, result: 1 },
  // true; cel.@mapInsert(accu, k, t); accu
  transformMap: { cond: 0, step: 3, result: 1 },
  // true; cel.@mapInsert(accu, t); accu
  transformMapEntry: { cond: 0, step: 2, result: 1 },
};

/** A map's entries (a JavaScript object's own, or a `Map`'s), or undefined for other values. */
function entriesOf(value: unknown): [unknown, unknown][] | undefined {
  if (value instanceof Map) return [...value.entries()];
  if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
    return Object.entries(value);
  }
  return undefined;
}

/** A map built by a transform: a plain object when every key is a string, else a `Map`. */
function mapValue(entries: Map<unknown, unknown>): unknown {
  if (![...entries.keys()].every((k) => typeof k === 'string')) return entries;
  const out: Record<string, unknown> = Object.create(null);
  for (const [k, v] of entries) out[k as string] = v;
  return out;
}

/** One two-variable comprehension in a parsed expression. */
class TwoVarComprehension {
  readonly async = false;
  readonly receiver: unknown;
  readonly args: readonly unknown[];
  readonly #kind: Kind;
  readonly #call: unknown;
  readonly #names: readonly [string, string];
  #scopes: { key: Scope; value: Scope } | undefined;

  constructor(kind: Kind, call: unknown, receiver: unknown, args: readonly unknown[]) {
    this.#kind = kind;
    this.#call = call;
    this.receiver = receiver;
    this.args = args;
    const first = iterationVariable(args[0]);
    const second = iterationVariable(args[1]);
    if (first === second) throw parseError(`duplicate variable name: ${first}`, args[1]);
    this.#names = [first, second];
  }

  /** The filter, when the macro has one, and the predicate or transform. */
  get #body(): { filter?: unknown; last: unknown } {
    return this.args.length === 4
      ? { filter: this.args[2], last: this.args[3] }
      : { last: this.args[2] };
  }

  typeCheck(chk: Checker, _self: unknown, ctx: Scope): CelType {
    const range = chk.check(this.receiver, ctx);
    const dyn = chk.getType('dyn');
    let types: [CelType, CelType];
    if (range.kind === 'list') types = [chk.getType('int'), range.valueType ?? dyn];
    else if (range.kind === 'map') types = [range.keyType ?? dyn, range.valueType ?? dyn];
    else if (range.kind === 'dyn') types = [dyn, dyn];
    else {
      throw checkError(
        `expression of type '${goTypeName(chk, range)}' cannot be range of a comprehension (must be list, map, or dynamic)`,
        this.receiver,
      );
    }
    const key = ctx.forkWithVariable(this.#names[0], types[0]);
    const value = key.forkWithVariable(this.#names[1], types[1]);
    this.#scopes = { key, value };
    const { filter, last } = this.#body;
    const filterType = filter === undefined ? undefined : chk.check(filter, value);
    switch (this.#kind) {
      case 'all':
      case 'exists': {
        // The step is `accu && p` (`||`): cel-go wants a bool at the predicate.
        const t = chk.check(last, value);
        if (!t.isDynOrBool()) {
          throw checkError(`expected type 'bool' but found '${goTypeName(chk, t)}'`, last);
        }
        return chk.getType('bool');
      }
      case 'existsOne': {
        // The step is `p ? accu + 1 : accu`.
        const int = chk.getType('int');
        this.#expectCondition(chk, last, chk.check(last, value), int);
        return chk.getType('bool');
      }
      case 'transformList':
        return this.#filtered(
          chk,
          filter,
          filterType,
          chk.registry.getListType(chk.check(last, value)),
        );
      case 'transformMap':
        return this.#filtered(
          chk,
          filter,
          filterType,
          chk.registry.getMapType(types[0], chk.check(last, value)),
        );
      case 'transformMapEntry': {
        const entry = chk.check(last, value);
        if (entry.kind !== 'map' && entry.kind !== 'dyn') {
          throw checkError(
            `found no matching overload for 'cel.@mapInsert' applied to '(map(dyn, dyn), ${goTypeName(chk, entry)})'`,
            last,
            this.#openParen(),
          );
        }
        const result = entry.kind === 'map' ? entry : chk.registry.getMapType(dyn, dyn);
        return this.#filtered(chk, filter, filterType, result);
      }
    }
  }

  /** Where the macro's `(` is: cel-go places the errors of its expansion's calls there. */
  #openParen(): number | undefined {
    if (!isAstNode(this.receiver)) return undefined;
    const at = this.receiver.input.indexOf('(', this.receiver.end);
    return at >= 0 ? at : undefined;
  }

  /**
   * A transform's result type `accu`, after checking its filter: cel-go's step is then
   * `filter ? step : accu`, which wants a bool filter.
   */
  #filtered(
    chk: Checker,
    filter: unknown,
    filterType: CelType | undefined,
    accu: CelType,
  ): CelType {
    if (filter !== undefined && filterType) this.#expectCondition(chk, filter, filterType, accu);
    return accu;
  }

  /**
   * Checks the condition of the expansion's `cond ? step : accu` (whose branches have type
   * `branch`), refused as cel-go refuses the conditional: at the macro's `(`.
   */
  #expectCondition(chk: Checker, node: unknown, t: CelType, branch: CelType): void {
    if (t.isDynOrBool()) return;
    const types = [t, branch, branch].map((x) => goTypeName(chk, x)).join(', ');
    throw checkError(
      `found no matching overload for '_?_:_' applied to '(${types})'`,
      node,
      this.#openParen(),
    );
  }

  evaluate(ev: Evaluator, _self: unknown, ctx: Scope): unknown {
    const scopes = this.#scopes;
    if (!scopes) throw ev.createError('invalid_macro_argument', 'macro not checked', this.#call);
    const range = ev.run(this.receiver, ctx);
    const entries = Array.isArray(range)
      ? range.map((item, i): [unknown, unknown] => [BigInt(i), item])
      : entriesOf(range);
    if (!entries) {
      throw ev.createError(
        'invalid_comprehension_range',
        'expression cannot be range of a comprehension (must be list, map, or dynamic)',
        this.receiver,
      );
    }
    const key = scopes.key.reuse(ctx);
    const value = scopes.value.reuse(key);
    const fold = FOLDS[this.#kind];
    const { filter, last } = this.#body;
    const listItemCost = isAstNode(last) && last.op === 'value' ? 0 : 10;
    let error: unknown;
    let count = 0;
    const list: unknown[] = [];
    const map = new Map<unknown, unknown>();
    let decided: boolean | undefined;
    for (const [k, v] of entries) {
      chargeRuntimeCost(fold.cond);
      if (decided !== undefined) break;
      key.setIterValue(k, ev);
      value.setIterValue(v, ev);
      if (filter !== undefined && ev.run(filter, value) !== true) continue;
      if (this.#kind === 'all' || this.#kind === 'exists') {
        chargeRuntimeCost(fold.step);
        const wanted = this.#kind === 'exists';
        try {
          if (ev.run(last, value) === wanted) decided = wanted;
        } catch (e) {
          error ??= e;
        }
        continue;
      }
      const result = ev.run(last, value);
      switch (this.#kind) {
        case 'existsOne':
          if (result === true) {
            chargeRuntimeCost(fold.step);
            count++;
          }
          break;
        case 'transformList':
          chargeRuntimeCost(fold.step + listItemCost);
          list.push(result);
          break;
        case 'transformMap':
          chargeRuntimeCost(fold.step);
          map.set(k, result);
          break;
        case 'transformMapEntry':
          chargeRuntimeCost(fold.step);
          for (const [ek, evalue] of entriesOf(result) ?? []) {
            if (map.has(ek)) {
              throw ev.createError(
                'invalid_macro_argument',
                `insert failed: key ${String(ek)} already exists`,
                last,
              );
            }
            map.set(ek, evalue);
          }
          break;
      }
    }
    chargeRuntimeCost(fold.result);
    switch (this.#kind) {
      case 'all':
      case 'exists':
        if (decided !== undefined) return decided;
        if (error !== undefined) throw error;
        return this.#kind === 'all';
      case 'existsOne':
        return count === 1;
      case 'transformList':
        return list;
      default:
        return mapValue(map);
    }
  }
}

/** The macros' signatures, each with its number of arguments after the receiver. */
const MACROS: readonly (readonly [string, Kind, number])[] = [
  ['all', 'all', 3],
  ['exists', 'exists', 3],
  ['existsOne', 'existsOne', 3],
  ['exists_one', 'existsOne', 3],
  ['transformList', 'transformList', 3],
  ['transformList', 'transformList', 4],
  ['transformMap', 'transformMap', 3],
  ['transformMap', 'transformMap', 4],
  ['transformMapEntry', 'transformMapEntry', 3],
  ['transformMapEntry', 'transformMapEntry', 4],
];

/** What cel-js gives a macro's expander. */
interface Expansion {
  readonly ast: unknown;
  readonly args: readonly unknown[];
  readonly receiver: unknown;
}

/** The environment's registration of functions and macros. */
interface Registrar {
  registerFunction(signature: string, handler: (x: Expansion) => unknown): Registrar;
}

/** Adds the two-variable comprehension macros to an environment. */
export function addTwoVarComprehensions<E extends Registrar>(env: E): E {
  for (const [name, kind, arity] of MACROS) {
    const params = Array.from({ length: arity }, () => 'ast').join(', ');
    const result = kind.startsWith('transform') ? 'dyn' : 'bool';
    env.registerFunction(
      `dyn.${name}(${params}): ${result}`,
      ({ ast, args, receiver }) => new TwoVarComprehension(kind, ast, receiver, args),
    );
  }
  return env;
}
