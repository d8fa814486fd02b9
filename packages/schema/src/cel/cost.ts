/**
 * The estimated cost of a CRD's CEL rules, as kube-apiserver computes it when the CRD is
 * written (cel-go's `checker/cost.go` with Kubernetes' size estimates from the schema:
 * `maxLength`, `maxItems`, `maxProperties`, or what a 3 MiB request can hold). A rule
 * whose estimate, times the number of times it can run, exceeds 10,000,000 is refused,
 * and so is a schema whose rules together exceed 100,000,000. What an expression costs
 * when it runs is counted by `runtime-cost.ts`, which prices Kubernetes' library functions
 * with this module's formulas on the values' own sizes. Our own code: no CEL
 * package for JavaScript estimates costs, and the refusal depends on the exact figures.
 *
 * Covered: literals, variables, field selection, indexing, `has()`, the operators, list
 * and map literals, the comprehension macros (`all`, `exists`, `exists_one`, `map`,
 * `filter`; with two variables `all`, `exists`, `existsOne`, `transformList`,
 * `transformMap`, `transformMapEntry`) and the functions whose cost depends on sizes
 * (`startsWith`, `endsWith`, `contains`, `matches`, string concatenation, `in` a list,
 * string comparisons and equality) and of Kubernetes' library (`lowerAscii`, `split`,
 * `join`, `indexOf`, `isSorted`, `url`, `quantity`, `ip`, …). Every other function costs 1
 * plus its arguments, as cel-go's default. Not modelled: `replace`'s result size (unknown
 * here).
 */
import type { JSONSchemaProps } from '@kube-ts/k8s/apiextensions/v1';
import { isJsonObject, itemSchema } from '../json-schema.js';

/** The largest request kube-apiserver accepts, which bounds unbounded lists and strings. */
const MAX_REQUEST_BYTES = 3 * 1024 * 1024;
/** The largest cost a uint64 holds; cel-go saturates there. */
const MAX_COST = 2 ** 64 - 1;
/** kube-apiserver's per-expression estimated cost limit (`StaticEstimatedCostLimit`). */
export const ESTIMATED_COST_LIMIT = 10_000_000;
/** kube-apiserver's limit on one rule's cost when it runs (`PerCallLimit`). */
export const RUNTIME_CALL_COST_LIMIT = 1_000_000;
/**
 * kube-apiserver's limit on the cost of all rules run for one object, or of one admission
 * policy's expressions for one request (`RuntimeCELCostBudget`).
 */
export const RUNTIME_COST_BUDGET = 10_000_000;
/** kube-apiserver's words when the expressions of one object or policy pass {@link RUNTIME_COST_BUDGET}. */
export const OUT_OF_COST_BUDGET =
  'validation failed due to running out of cost budget, no further validation rules will be run';
/** kube-apiserver's limit on a schema's rules together (`StaticEstimatedCRDCostLimit`). */
export const ESTIMATED_SCHEMA_COST_LIMIT = 100_000_000;

/** A schema node as the cost estimator sees it (Kubernetes' `DeclType`). */
export interface CostType {
  readonly kind: 'object' | 'map' | 'list' | 'string' | 'scalar' | 'dyn';
  readonly fields?: Readonly<Record<string, CostType>>;
  readonly elem?: CostType;
  /** A map's keys (unsized when absent, as a CRD's string keys are). */
  readonly key?: CostType;
  /**
   * A map whose values a selection by name (`m.name`) does not size: kube-apiserver's size
   * estimator finds only declared fields by name, and a DRA device's attribute values.
   */
  readonly unsizedSelect?: true;
  /** Kubernetes' `MaxElements`: the longest string, the most items or properties (0 for scalars). */
  readonly maxElements: number;
  /** The fewest bytes a value of the node takes in JSON. */
  readonly minSize: number;
}

const add = (a: number, b: number) => Math.min(a + b, MAX_COST);
const mul = (a: number, b: number) => Math.min(a * b, MAX_COST);
const byFactor = (x: number, f: number) => Math.min(Math.ceil(x * f), MAX_COST);

/** The cost type of a structural schema node, as Kubernetes' `SchemaDeclType`. */
export function costTypeOf(s: JSONSchemaProps, isResourceRoot = false): CostType {
  const intOrString = s['x-kubernetes-int-or-string'] === true;
  if (intOrString) {
    const max = s.maxLength !== undefined ? s.maxLength * 4 : MAX_REQUEST_BYTES - 2;
    return { kind: 'dyn', maxElements: max, minSize: 1 };
  }
  switch (s.type) {
    case 'array': {
      const items = itemSchema(s);
      const elem = items
        ? costTypeOf(items, items['x-kubernetes-embedded-resource'] === true)
        : dyn;
      const max = s.maxItems ?? Math.floor((MAX_REQUEST_BYTES - 2) / (elem.minSize + 1));
      return { kind: 'list', elem, maxElements: max, minSize: 2 };
    }
    case 'object': {
      const extra = s.additionalProperties;
      if (typeof extra === 'object') {
        const elem = costTypeOf(extra, extra['x-kubernetes-embedded-resource'] === true);
        const max = s.maxProperties ?? Math.floor((MAX_REQUEST_BYTES - 2) / (elem.minSize + 6));
        return { kind: 'map', elem, maxElements: max, minSize: 2 };
      }
      const fields: Record<string, CostType> = {};
      let minSize = 2;
      const required = new Set(s.required ?? []);
      for (const [name, prop] of Object.entries(s.properties ?? {})) {
        const t = costTypeOf(prop, prop['x-kubernetes-embedded-resource'] === true);
        fields[name] = t;
        if (required.has(name) && prop.default === undefined)
          minSize += name.length + t.minSize + 4;
      }
      if (isResourceRoot) {
        const str: CostType = { kind: 'string', maxElements: MAX_REQUEST_BYTES - 2, minSize: 2 };
        fields.kind ??= str;
        fields.apiVersion ??= str;
        fields.metadata ??= {
          kind: 'object',
          fields: { name: str, generateName: str },
          maxElements: 0,
          minSize: 2,
        };
      }
      return { kind: 'object', fields, maxElements: 0, minSize };
    }
    case 'string': {
      const timeLike = { duration: 64, date: 12, 'date-time': 36 } as Record<string, number>;
      const format = s.format ?? '';
      if (format in timeLike) {
        return { kind: 'scalar', maxElements: timeLike[format] ?? 0, minSize: 2 };
      }
      const max =
        s.maxLength !== undefined
          ? format === 'byte'
            ? s.maxLength
            : s.maxLength * 4
          : s.enum?.length
            ? Math.max(0, ...s.enum.map((v) => (typeof v === 'string' ? v.length : 0)))
            : MAX_REQUEST_BYTES - 2;
      return { kind: 'string', maxElements: max, minSize: 2 };
    }
    case 'boolean':
      return { kind: 'scalar', maxElements: 0, minSize: 4 };
    default:
      return { kind: 'scalar', maxElements: 0, minSize: 1 };
  }
}

const dyn: CostType = { kind: 'dyn', maxElements: 0, minSize: 1 };

/** How many times a rule on a node of `t` can run when an unbounded list or map holds it. */
export function unboundedCardinality(t: CostType): number {
  return Math.floor(MAX_REQUEST_BYTES / (t.minSize + 1));
}

/** What the estimator knows of an expression: its cost, its size, and its schema node. */
export interface Estimate {
  readonly cost: number;
  /** The largest size (string length, items); undefined when unknown (cel-go: max uint64). */
  readonly size?: number;
  /** The schema node the expression reads, when it is a path from `self`. */
  readonly type?: CostType;
  /** The value's kind where it is not from the schema. */
  readonly kind?: 'scalar' | 'string' | 'list' | 'map';
  /** The value of a literal. */
  readonly literal?: unknown;
  /** A parsed Kubernetes value (quantity, semver, IP, CIDR): two compare for 1. */
  readonly parsed?: true;
}

/** A cel-js AST node. */
interface Node {
  readonly op: string;
  readonly args: unknown;
  /** The type the checker gave the node, when the expression was checked. */
  readonly checkedType?: { readonly name: string };
}

const isNode = (v: unknown): v is Node =>
  typeof v === 'object' && v !== null && 'op' in v && 'args' in v;

const sizeOf = (e: Estimate): number => e.size ?? MAX_COST;
/** Kubernetes' types whose values its cost estimator compares for 1. */
const COMPARED_FOR_ONE = new Set([
  'kubernetes.Quantity',
  'kubernetes.Semver',
  'net.IP',
  'net.CIDR',
]);
/** The name of the type the checker gave a node, when it was checked. */
const checkedName = (n: unknown) => (isNode(n) ? n.checkedType?.name : undefined);
const kindOf = (e: Estimate) => e.type?.kind ?? e.kind;
const scalar = (cost: number): Estimate => ({ cost, size: 1, kind: 'scalar' });

const STRING_FACTOR = 0.1;
const REGEX_FACTOR = 0.25;
/** Functions whose result has a fixed size (numbers, booleans, parsed IPs and CIDRs). */
const SCALAR_RESULTS = new Set(['size', 'int', 'uint', 'double', 'bool', 'has', 'masked', 'ip']);

/** A node from the schema: its size is its `maxElements`, as Kubernetes' size estimator gives it. */
const fromSchema = (type: CostType | undefined): Estimate | undefined =>
  type ? { cost: 0, size: type.maxElements, type } : undefined;

/** The estimated cost of one expression whose variables have the given cost types. */
class Estimator {
  private readonly locals: Map<string, Estimate>[] = [];

  constructor(private readonly vars: Readonly<Record<string, CostType>>) {}

  estimate(n: unknown): Estimate {
    if (!isNode(n)) return { cost: 0 };
    const a = n.args as unknown[];
    switch (n.op) {
      case 'value':
        return this.literal(n.args);
      case 'id':
        return this.ident(String(n.args));
      case '.':
      case '.?': {
        const operand = this.estimate(a[0]);
        const k = kindOf(operand);
        const map = k === 'map' || checkedName(a[0])?.startsWith('map<') === true;
        const selectCost = k === 'object' || map ? 1 : 0;
        const field = String(a[1]);
        // `.?` is a call in cel-go: 1 for the call, no select, no size from the schema.
        if (n.op === '.?') return { cost: add(operand.cost, 1) };
        const byName = operand.type?.unsizedSelect ? undefined : operand.type?.elem;
        const type = operand.type?.fields?.[field] ?? byName;
        return { ...(fromSchema(type) ?? {}), cost: add(operand.cost, selectCost) };
      }
      case '[]':
      case '[?]': {
        const target = this.estimate(a[0]);
        const index = this.estimate(a[1]);
        const type = target.type?.elem;
        return { ...(fromSchema(type) ?? {}), cost: add(1, add(target.cost, index.cost)) };
      }
      case 'list': {
        const cost = a.reduce<number>((c, e) => add(c, this.estimate(e).cost), 10);
        return { cost, size: a.length, kind: 'list' };
      }
      case 'map': {
        const cost = (a as unknown[][]).reduce<number>(
          (c, [k, v]) => add(c, add(this.estimate(k).cost, this.estimate(v).cost)),
          30,
        );
        return { cost, size: a.length, kind: 'map' };
      }
      case '&&':
      case '||':
        return scalar(add(this.estimate(a[0]).cost, this.estimate(a[1]).cost));
      case '?:': {
        const [c, t, f] = a.map((x) => this.estimate(x)) as [Estimate, Estimate, Estimate];
        const size = Math.max(sizeOf(t), sizeOf(f));
        return { cost: add(c.cost, Math.max(t.cost, f.cost)), size, kind: t.kind ?? f.kind };
      }
      case '!_':
        return scalar(add(1, this.estimate(n.args).cost));
      case '-_':
        // cel-go's parser reads a negative number as one literal.
        if (isNode(n.args) && n.args.op === 'value') return scalar(0);
        return scalar(add(1, this.estimate(n.args).cost));
      case 'call':
        return this.call(String(a[0]), undefined, a[1] as unknown[]);
      case 'rcall':
        if (a[0] === 'bind' && isNode(a[1]) && a[1].op === 'id' && a[1].args === 'cel') {
          return this.bind(a[2] as unknown[]);
        }
        return this.call(String(a[0]), a[1], a[2] as unknown[]);
      default:
        return this.operator(n);
    }
  }

  private literal(v: unknown): Estimate {
    if (typeof v === 'string') return { cost: 0, size: [...v].length, kind: 'string', literal: v };
    if (v instanceof Uint8Array) return { cost: 0, size: v.length, kind: 'string' };
    return { cost: 0, size: 1, kind: 'scalar', literal: v };
  }

  private ident(name: string): Estimate {
    for (let i = this.locals.length - 1; i >= 0; i--) {
      const local = this.locals[i]?.get(name);
      if (local) return { ...local, cost: 1 };
    }
    const type = this.vars[name];
    return type ? { ...fromSchema(type), cost: 1 } : { cost: 1 };
  }

  /**
   * `cel.bind(v, init, body)`, which cel-go expands to a comprehension over an empty list
   * (10 for creating it) whose accumulator `v` is `init`: the list, `init` and `body`,
   * with `v` sized as `init`.
   */
  private bind(argNodes: unknown[]): Estimate {
    const [variable, init, body] = argNodes;
    const bound = this.estimate(init);
    this.locals.push(new Map([[isNode(variable) ? String(variable.args) : '', bound]]));
    const result = this.estimate(body);
    this.locals.pop();
    return { ...result, cost: add(10, add(bound.cost, result.cost)) };
  }

  private operator(n: Node): Estimate {
    const [ln, rn] = n.args as unknown[];
    const sameParsedType = () => {
      const type = checkedName(ln);
      return type !== undefined && COMPARED_FOR_ONE.has(type) && checkedName(rn) === type;
    };
    const { op } = n;
    const [l, r] = (n.args as unknown[]).map((x) => this.estimate(x)) as [Estimate, Estimate];
    const args = add(l.cost, r.cost);
    // An operand of unknown type (an attribute's value) takes the other's string overload.
    const stringy = (e: Estimate) => kindOf(e) === 'string' || kindOf(e) === 'dyn';
    const strings =
      (kindOf(l) === 'string' && kindOf(r) === 'string') ||
      (n.checkedType !== undefined && stringy(l) && stringy(r) && n.checkedType.name !== 'int');
    switch (op) {
      case '==':
        // Kubernetes compares two parsed values of one type for 1.
        if (l.parsed && r.parsed) return scalar(add(1, args));
        if (sameParsedType()) return scalar(add(1, args));
        return scalar(add(byFactor(Math.min(sizeOf(l), sizeOf(r)), STRING_FACTOR), args));
      case '!=':
        return scalar(add(byFactor(Math.min(sizeOf(l), sizeOf(r)), STRING_FACTOR), args));
      case '<':
      case '<=':
      case '>':
      case '>=':
        return scalar(
          strings
            ? add(byFactor(Math.min(sizeOf(l), sizeOf(r)), STRING_FACTOR), args)
            : add(1, args),
        );
      case 'in':
        return scalar(kindOf(r) === 'list' ? add(sizeOf(r), args) : add(1, args));
      case '+': {
        if (strings || kindOf(l) === 'list' || kindOf(r) === 'list') {
          const size = add(sizeOf(l), sizeOf(r));
          const list = kindOf(l) === 'list' || kindOf(r) === 'list';
          const cost = list ? add(1, args) : add(byFactor(size, STRING_FACTOR), args);
          return { cost, size, kind: list ? 'list' : 'string' };
        }
        return scalar(add(1, args));
      }
      default:
        return scalar(add(1, args));
    }
  }

  private call(name: string, target: unknown, argNodes: unknown[]): Estimate {
    if (target !== undefined && COMPREHENSIONS.has(name)) {
      return this.comprehension(name, target, argNodes);
    }
    if (name === 'has') {
      // kube-apiserver counts nothing for the presence test (`PresenceTestHasCost(false)`).
      const sel = argNodes[0];
      const operand = isNode(sel) && Array.isArray(sel.args) ? sel.args[0] : undefined;
      return scalar(this.estimate(operand).cost);
    }
    if (name === 'dyn') {
      const arg = this.estimate(argNodes[0]);
      return { ...arg, cost: add(1, arg.cost) };
    }
    const t = target === undefined ? undefined : this.estimate(target);
    const args = argNodes.map((x) => this.estimate(x));
    const argCost = args.reduce((c, e) => add(c, e.cost), t?.cost ?? 0);
    const arg0 = args[0] ?? { cost: 0 };
    if (t && (name === 'startsWith' || name === 'endsWith') && args.length === 1) {
      return scalar(add(byFactor(sizeOf(arg0), STRING_FACTOR), argCost));
    }
    if (t && name === 'contains' && args.length === 1) {
      const c = mul(byFactor(sizeOf(t), STRING_FACTOR), byFactor(sizeOf(arg0), STRING_FACTOR));
      return scalar(add(c, argCost));
    }
    if (name === 'matches' && (t ? args.length === 1 : args.length === 2)) {
      const [str, re] = t ? [t, arg0] : [arg0, args[1] ?? { cost: 0 }];
      const c = mul(
        byFactor(add(sizeOf(str), 1), STRING_FACTOR),
        byFactor(sizeOf(re), REGEX_FACTOR),
      );
      return scalar(add(c, argCost));
    }
    const library = libraryCost(name, t, args);
    if (library) return { ...library, cost: add(library.cost, argCost) };
    // cel-go's own: `format` traverses its format string; `string(bytes)` and `bytes(string)`
    // their argument (with a dynamic argument, the costliest overload is one of them).
    if (t && name === 'format') return { cost: add(byFactor(sizeOf(t), STRING_FACTOR), argCost) };
    const argType = checkedName(argNodes[0]);
    const converts =
      (name === 'string' && (argType === 'bytes' || argType === 'dyn')) ||
      (name === 'bytes' && (argType === 'string' || argType === 'dyn'));
    if (!t && converts && args.length === 1) {
      const size = name === 'bytes' ? mul(sizeOf(arg0), 4) : sizeOf(arg0);
      return { cost: add(byFactor(sizeOf(arg0), STRING_FACTOR), argCost), size, kind: 'string' };
    }
    if (SCALAR_RESULTS.has(name)) return scalar(add(1, argCost));
    return { cost: add(1, argCost) };
  }

  /**
   * A comprehension macro as cel-go expands it: the range, the accumulator's initial value
   * and result, and per element the loop condition and step.
   */
  private comprehension(name: string, target: unknown, argNodes: unknown[]): Estimate {
    const range = this.estimate(target);
    const twoVars = TWO_VAR_ONLY.has(name) || (name !== 'map' && argNodes.length === 3);
    const vars = argNodes.slice(0, twoVars ? 2 : 1).map((v) => (isNode(v) ? String(v.args) : ''));
    const rangeType = range.type;
    const locals = new Map<string, Estimate>();
    const elem = fromSchema(rangeType?.elem) ?? { cost: 0 };
    const key: Estimate =
      rangeType?.kind === 'map'
        ? { cost: 0, size: rangeType.key?.maxElements ?? 0, kind: 'string' }
        : scalar(0);
    if (twoVars) {
      locals.set(vars[0] ?? '', rangeType?.kind === 'map' ? key : scalar(0));
      locals.set(vars[1] ?? '', elem);
    } else {
      locals.set(vars[0] ?? '', rangeType?.kind === 'map' ? key : elem);
    }
    this.locals.push(locals);
    const body = argNodes.slice(vars.length).map((x) => this.estimate(x));
    this.locals.pop();
    // A transform's filter, then the predicate or transform.
    const [filter, last] = body.length === 2 ? [body[0], body[1]] : [undefined, body[0]];
    const pred = last?.cost ?? 0;
    // The step when a filter decides it: the filter, then the step or the accumulator (1).
    const filtered = (step: number) => (filter ? add(filter.cost, Math.max(step, 1)) : step);
    // Per element: the loop condition and the step; then the init and result costs.
    let perElement: number;
    let fixed: number;
    let kind: Estimate['kind'] = 'scalar';
    switch (name) {
      case 'all':
        [perElement, fixed] = [add(3, pred), 1];
        break;
      case 'exists':
        [perElement, fixed] = [add(4, pred), 1];
        break;
      case 'exists_one':
      case 'existsOne':
        [perElement, fixed] = [add(2, pred), 2];
        break;
      case 'filter':
        [perElement, fixed, kind] = [add(13, pred), 11, 'list'];
        break;
      case 'transformMap':
        // cel.@mapInsert(accu, k, t) into `{}` (30).
        [perElement, fixed, kind] = [filtered(add(3, pred)), 31, 'map'];
        break;
      case 'transformMapEntry':
        // cel.@mapInsert(accu, t) into `{}` (30).
        [perElement, fixed, kind] = [filtered(add(2, pred)), 31, 'map'];
        break;
      default:
        // map(x, [p,] t) and transformList(k, v, [p,] t) append [t] to `[]` (10).
        [perElement, fixed, kind] = [filtered(add(12, pred)), 11, 'list'];
    }
    const cost = add(add(range.cost, fixed), mul(sizeOf(range), perElement));
    return kind === 'scalar' ? scalar(cost) : { cost, size: sizeOf(range), kind };
  }
}

/**
 * The cost of a Kubernetes library function whose cost depends on sizes (Kubernetes'
 * `CostEstimator.EstimateCallCost`), without its target's and arguments' costs.
 */
export function libraryCost(
  name: string,
  t: Estimate | undefined,
  args: Estimate[],
): Estimate | undefined {
  const arg0 = args[0];
  const traverse = (e: Estimate, factor = STRING_FACTOR) => byFactor(sizeOf(e), factor);
  if (t) {
    switch (name) {
      case 'lowerAscii':
      case 'upperAscii':
      case 'substring':
      case 'trim':
        return { cost: traverse(t), size: sizeOf(t), kind: 'string' };
      case 'split': {
        const limit = args[1]?.literal;
        const size = typeof limit === 'bigint' ? Number(limit) : sizeOf(t);
        return { cost: traverse(t, 2 * STRING_FACTOR), size, kind: 'list' };
      }
      case 'check':
        // An authorization check: fixed, so that an expression affords two of them.
        return scalar(350_000);
      case 'containsIP':
      case 'containsCIDR': {
        // Comparing two addresses of up to 16 bytes (a CIDR's bits once more, and 1); a
        // string argument is parsed first.
        if (!arg0) break;
        const compare = name === 'containsIP' ? 4 : add(add(4, 2), 1);
        return scalar(kindOf(arg0) === 'string' ? add(compare, traverse(arg0)) : compare);
      }
      case 'replace':
        if (args.length >= 2) return { cost: traverse(t, 2 * STRING_FACTOR), kind: 'string' };
        break;
      case 'join': {
        // Items not from the schema (a list literal's) have no known size.
        const elem = fromSchema(t.type?.elem);
        let size = elem ? mul(sizeOf(t), sizeOf(elem)) : MAX_COST;
        if (arg0) size = add(size, mul(sizeOf(arg0), Math.max(0, sizeOf(t) - 1)));
        return { cost: byFactor(size, STRING_FACTOR), size, kind: 'string' };
      }
      case 'find':
      case 'findAll':
        if (arg0) {
          const c = mul(byFactor(add(sizeOf(t), 1), STRING_FACTOR), traverse(arg0, REGEX_FACTOR));
          return { cost: c, size: sizeOf(t) };
        }
        break;
      case 'isSorted':
      case 'sum':
      case 'max':
      case 'min':
      case 'indexOf':
      case 'lastIndexOf': {
        if (kindOf(t) === 'string') return scalar(traverse(t));
        const elem = fromSchema(t.type?.elem);
        const perElement = elem?.type?.kind === 'string' ? add(1, traverse(elem)) : 1;
        return { cost: mul(sizeOf(t), perElement) };
      }
    }
    return undefined;
  }
  switch (name) {
    case 'url':
      return arg0 ? { cost: traverse(arg0), size: sizeOf(arg0) } : undefined;
    case 'isIP':
    case 'isCIDR':
    case 'isQuantity':
    case 'isSemver':
      return arg0 ? scalar(traverse(arg0)) : undefined;
    case 'cidr':
    case 'ip':
    case 'quantity':
    case 'semver':
      // A parsed value of no known size: Kubernetes compares two of them for 1 (its `_==_`
      // estimator), cel-go compares it with another value by that value's size.
      return arg0 ? { cost: traverse(arg0), parsed: true } : undefined;
  }
  return undefined;
}

const COMPREHENSIONS = new Set([
  'all',
  'exists',
  'exists_one',
  'existsOne',
  'map',
  'filter',
  'transformList',
  'transformMap',
  'transformMapEntry',
]);
/** The comprehension macros that take two variables only (the others also take one). */
const TWO_VAR_ONLY = new Set(['existsOne', 'transformList', 'transformMap', 'transformMapEntry']);

/** The estimated cost (cel-go's maximum) of a parsed rule on a node of type `self`. */
export function estimatedCost(ast: unknown, self: CostType): number {
  return new Estimator({ self, oldSelf: self }).estimate(ast).cost;
}

/** The estimated cost (cel-go's maximum) of a parsed expression with variables of the given types. */
export function estimatedCostWith(ast: unknown, vars: Readonly<Record<string, CostType>>): number {
  return new Estimator(vars).estimate(ast).cost;
}

/** A JSON object or a CEL map literal's object (not a value of a library type). */
export const isPlainObject = (v: unknown): v is Record<string, unknown> =>
  isJsonObject(v) && [Object.prototype, null].includes(Object.getPrototypeOf(v));

/**
 * cel-go's runtime size of a value: a string's characters, the bytes of `bytes`, a list's
 * items, a map's entries; 1 for any other value.
 */
export function runtimeSizeOf(value: unknown): number {
  if (typeof value === 'string') return [...value].length;
  if (value instanceof Uint8Array || Array.isArray(value)) return value.length;
  if (value instanceof Map || value instanceof Set) return value.size;
  if (isPlainObject(value)) return Object.keys(value).length;
  return 1;
}

/** kube-apiserver's refusal of a cost over its limit, as `getCostErrorMessage` words it. */
export function costExceededMessage(what: string, cost: number, limit: number): string {
  const factor = cost / limit;
  const shown =
    factor > 100
      ? 'more than 100x'
      : factor < 1.5
        ? `${factor.toFixed(6)}x`
        : `${factor.toFixed(1)}x`;
  return `${what} exceeds budget by factor of ${shown} (try simplifying the rule, or adding maxItems, maxProperties, and maxLength where arrays, maps, and strings are declared)`;
}
