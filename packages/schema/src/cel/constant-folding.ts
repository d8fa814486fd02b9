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
import { regexProgramError } from './literal-arguments.js';

/** A constant as cel-go's planner holds it: a scalar it may convert, or something else. */
type Constant =
  | { readonly t: 'int' | 'uint'; readonly v: bigint }
  | { readonly t: 'double'; readonly v: number }
  | { readonly t: 'string'; readonly v: string }
  | { readonly t: 'bytes'; readonly v: Uint8Array }
  | { readonly t: 'bool'; readonly v: boolean }
  | { readonly t: 'other' };

/** A conversion that fails, in cel-go's words. */
class Refused {
  constructor(readonly why: string) {}
}

const INT_MIN = -(2n ** 63n);
const INT_MAX = 2n ** 63n - 1n;
const UINT_MAX = 2n ** 64n - 1n;

/** The constant a literal stands for (a `-` before a number is part of it, as cel-go parses it). */
function literal(node: AstNode): Constant | undefined {
  if (node.op === '-_' && isAstNode(node.args) && node.args.op === 'value') {
    const c = literal(node.args);
    if (c?.t === 'int') return { t: 'int', v: -c.v };
    if (c?.t === 'double') return { t: 'double', v: -c.v };
    return undefined;
  }
  if (node.op !== 'value') return undefined;
  const v = node.args;
  if (typeof v === 'bigint') return { t: 'int', v };
  if (typeof v === 'number') return { t: 'double', v };
  if (typeof v === 'string') return { t: 'string', v };
  if (typeof v === 'boolean') return { t: 'bool', v };
  if (v instanceof Uint8Array) return { t: 'bytes', v };
  if (v !== null && typeof v === 'object' && typeof v.valueOf() === 'bigint') {
    return { t: 'uint', v: v.valueOf() as bigint };
  }
  return { t: 'other' };
}

/** Go's `strconv.ParseFloat` of `s`, undefined when it refuses it (bad syntax, out of range). */
function parseFloat64(s: string): number | undefined {
  if (/^[+-]?(inf|infinity|nan)$/i.test(s)) return Number(s.replace(/inf(inity)?/i, 'Infinity'));
  if (!/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(s)) return undefined;
  const n = Number(s);
  return Number.isFinite(n) ? n : undefined;
}

const typeError = (from: string, to: string) =>
  new Refused(`type conversion error from '${from}' to '${to}'`);

/** `int(c)` as cel-go converts it. */
function toInt(c: Constant): Constant | Refused {
  switch (c.t) {
    case 'int':
      return c;
    case 'uint':
      return c.v > INT_MAX ? new Refused('integer overflow') : { t: 'int', v: c.v };
    case 'double':
      if (!Number.isFinite(c.v) || c.v <= -(2 ** 63) || c.v >= 2 ** 63) {
        return new Refused('integer overflow');
      }
      return { t: 'int', v: BigInt(Math.trunc(c.v)) };
    case 'string': {
      const v = /^[+-]?\d+$/.test(c.v) ? BigInt(c.v) : undefined;
      return v === undefined || v < INT_MIN || v > INT_MAX
        ? typeError('string', 'int')
        : { t: 'int', v };
    }
    default:
      return { t: 'other' };
  }
}

/** `uint(c)` as cel-go converts it. */
function toUint(c: Constant): Constant | Refused {
  switch (c.t) {
    case 'uint':
      return c;
    case 'int':
      return c.v < 0n ? new Refused('unsigned integer overflow') : { t: 'uint', v: c.v };
    case 'double':
      if (!Number.isFinite(c.v) || c.v < 0 || c.v >= 2 ** 64) {
        return new Refused('unsigned integer overflow');
      }
      return { t: 'uint', v: BigInt(Math.trunc(c.v)) };
    case 'string': {
      const v = /^\d+$/.test(c.v) ? BigInt(c.v) : undefined;
      return v === undefined || v > UINT_MAX ? typeError('string', 'uint') : { t: 'uint', v };
    }
    default:
      return { t: 'other' };
  }
}

const GO_BOOLS: Readonly<Record<string, boolean>> = {
  '1': true,
  t: true,
  T: true,
  TRUE: true,
  true: true,
  True: true,
  '0': false,
  f: false,
  F: false,
  FALSE: false,
  false: false,
  False: false,
};

/** `name(c)` for a conversion function `name`, as cel-go converts a constant. */
function convert(name: string, c: Constant): Constant | Refused {
  switch (name) {
    case 'int':
      return toInt(c);
    case 'uint':
      return toUint(c);
    case 'double': {
      if (c.t === 'int' || c.t === 'uint') return { t: 'double', v: Number(c.v) };
      if (c.t !== 'string') return c.t === 'double' ? c : { t: 'other' };
      const v = parseFloat64(c.v);
      return v === undefined ? typeError('string', 'double') : { t: 'double', v };
    }
    case 'bool':
      if (c.t !== 'string') return c.t === 'bool' ? c : { t: 'other' };
      return Object.hasOwn(GO_BOOLS, c.v)
        ? { t: 'bool', v: GO_BOOLS[c.v] as boolean }
        : typeError('string', 'bool');
    case 'string':
      if (c.t === 'bytes') {
        try {
          return { t: 'string', v: new TextDecoder('utf-8', { fatal: true }).decode(c.v) };
        } catch {
          return new Refused('invalid UTF-8 in bytes, cannot convert to string');
        }
      }
      if (c.t === 'int' || c.t === 'uint') return { t: 'string', v: String(c.v) };
      return c.t === 'string' || c.t === 'bool' ? { t: 'string', v: String(c.v) } : { t: 'other' };
    case 'bytes':
      return c.t === 'string' ? { t: 'bytes', v: new TextEncoder().encode(c.v) } : { t: 'other' };
    case 'dyn':
      return c;
    default:
      // duration, timestamp (their literals are checked when compiled), type.
      return { t: 'other' };
  }
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
