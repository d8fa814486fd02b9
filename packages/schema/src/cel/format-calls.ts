/**
 * cel-go's check of `format` calls once an expression type-checks (the strings
 * extension's validator, which kube-apiserver's environments have with `ext.Strings`): a
 * call on a literal string with a list literal reads the string's clauses as `format`
 * would, the checked type of each element standing for its value, and refuses one that
 * does not fit (`'%d'.format(['a'])`: `error during formatting: decimal clause can only be
 * used on integers, was given string` at the element), a clause it does not know
 * (`could not parse formatting clause: unrecognized formatting clause "q"`), too few
 * (`index 1 out of range`) or too many elements (`too many arguments supplied to
 * string.format (expected 1, got 2)`), each of these at the call's `(`. A `dyn` element
 * fits any clause. Our own code: the evaluator has no such validator.
 */
import { TypeError as CelTypeError, type ErrorLocation } from '@marcbachmann/cel-js';
import { type AstNode, isAstNode, nodesOf } from './ast-node.js';
import { openParen } from './call-errors.js';

/** A type's kind as cel-go's `Kind()` tells them apart: the type name before its parameters. */
function kindOf(node: AstNode): string {
  const name = node.checkedType?.name ?? 'dyn';
  return name.replace(/<.*$/, '');
}

/** A type's name as cel-go's `TypeName()` gives it in these messages (`list`, `null_type`). */
function typeName(node: AstNode): string {
  const kind = kindOf(node);
  if (kind === 'null') return 'null_type';
  if (kind === 'optional') return 'optional_type';
  return kind;
}

/** What each clause takes (kinds), and its words when the element is of another. */
const CLAUSES: Readonly<
  Record<string, { readonly kinds: readonly string[]; readonly why: string }>
> = {
  d: { kinds: ['int', 'uint'], why: 'decimal clause can only be used on integers' },
  f: { kinds: ['double', 'string'], why: 'fixed-point clause can only be used on doubles' },
  e: { kinds: ['double', 'string'], why: 'scientific clause can only be used on doubles' },
  b: { kinds: ['int', 'uint', 'bool'], why: 'only integers and bools can be formatted as binary' },
  x: {
    kinds: ['int', 'uint', 'string', 'bytes'],
    why: 'only integers, byte buffers, and strings can be formatted as hex',
  },
  o: { kinds: ['int', 'uint'], why: 'octal clause can only be used on integers' },
};

/** The kinds `%s` takes: a list's or map's literal items are checked too. */
const STRING_KINDS = new Set([
  'list',
  'map',
  'int',
  'uint',
  'double',
  'bool',
  'string',
  'google.protobuf.Timestamp',
  'bytes',
  'google.protobuf.Duration',
  'type',
  'null',
]);

const STRING_WHY =
  'string clause can only be used on strings, bools, bytes, ints, doubles, maps, lists, types, durations, and timestamps';

/** The first element (or literal item within it) `%s` does not take, if any. */
function unprintable(node: AstNode): AstNode | undefined {
  const kind = kindOf(node);
  if (kind !== 'dyn' && !STRING_KINDS.has(kind)) return node;
  const items =
    node.op === 'list'
      ? (node.args as unknown[])
      : node.op === 'map'
        ? (node.args as unknown[][]).flat()
        : [];
  for (const item of items) {
    const bad = isAstNode(item) ? unprintable(item) : undefined;
    if (bad) return bad;
  }
  return undefined;
}

/** An error `why` found checking a call: at `node` (an element), else at the call's `(`. */
class FormatProblem {
  constructor(
    readonly why: string,
    readonly node?: AstNode,
  ) {}
}

/** The decimal digits of a precision, as Go's `strconv.Atoi` reads them. */
function precisionError(digits: string): string | undefined {
  const atoi = (why: string) =>
    `error while converting precision to integer: strconv.Atoi: parsing ${JSON.stringify(digits)}: ${why}`;
  if (digits === '') return atoi('invalid syntax');
  return BigInt(digits) > 2n ** 63n - 1n ? atoi('value out of range') : undefined;
}

/** One clause after its `%` at byte `i` of `bytes`: bytes read, or the problem. */
function clause(bytes: Uint8Array, i: number, element: AstNode): number | FormatProblem {
  const parse = (why: string) => new FormatProblem(`could not parse formatting clause: ${why}`);
  let at = i;
  if (bytes[at] === 0x2e) {
    at++;
    const start = at;
    while (at < bytes.length && bytes[at]! >= 0x30 && bytes[at]! <= 0x39) at++;
    if (at >= bytes.length) {
      return parse('error while parsing precision: could not find end of precision specifier');
    }
    const why = precisionError(new TextDecoder().decode(bytes.slice(start, at)));
    if (why) return parse(`error while parsing precision: ${why}`);
  }
  const verb = String.fromCodePoint(bytes[at]!);
  at++;
  const during = (why: string, node: AstNode) =>
    new FormatProblem(`error during formatting: ${why}, was given ${typeName(node)}`, node);
  if (verb === 's') {
    const bad = unprintable(element);
    return bad ? during(STRING_WHY, bad) : at - i;
  }
  const rule = CLAUSES[verb === 'X' ? 'x' : verb];
  if (!rule) return parse(`unrecognized formatting clause "${verb}"`);
  const kind = kindOf(element);
  return kind === 'dyn' || rule.kinds.includes(kind) ? at - i : during(rule.why, element);
}

/** The problem of one format string with these elements, as cel-go's validator reads them. */
function formatProblem(template: string, elements: readonly AstNode[]): FormatProblem | undefined {
  const bytes = new TextEncoder().encode(template);
  let requested = 0;
  for (let i = 0, arg = 0; i < bytes.length; ) {
    if (bytes[i] !== 0x25) {
      i++;
      continue;
    }
    if (bytes[i + 1] === 0x25) {
      i += 2;
      continue;
    }
    requested++;
    if (i + 1 >= bytes.length) return new FormatProblem('unexpected end of string');
    const element = elements[arg];
    if (!element) return new FormatProblem(`index ${arg} out of range`);
    const read = clause(bytes, i + 1, element);
    if (read instanceof FormatProblem) return read;
    i += 1 + read;
    arg++;
  }
  if (elements.length <= requested) return undefined;
  return new FormatProblem(
    `too many arguments supplied to string.format (expected ${requested}, got ${elements.length})`,
  );
}

/** Where cel-go places an element's error: a selection at its `.`, a call at its `(`. */
function elementOffset(node: AstNode): number {
  if (node.op === '.' || node.op === '.?') return node.input.lastIndexOf('.', node.pos);
  if (node.op === 'call' || node.op === 'rcall') {
    return openParen(node.input, node, String((node.args as unknown[])[0]));
  }
  return node.start;
}

/**
 * A validator's error, with the ones it found after it (cel-go's validators report each
 * refused call; the checker's words list them all).
 */
export type ValidatorError = Error & { readonly more?: readonly Error[] };

/**
 * The `format` calls of the parsed and checked expression `root` that cel-go's validator
 * refuses, the first as an error at its place (see the module's comment) carrying the
 * others in `more`; undefined when there is none.
 */
export function formatCallError(root: unknown): ValidatorError | undefined {
  const problems = nodesOf(root).flatMap((n) => {
    if (n.op !== 'rcall') return [];
    const [name, receiver, args] = n.args as [unknown, unknown, unknown];
    if (name !== 'format' || !isAstNode(receiver) || !Array.isArray(args)) return [];
    if (receiver.op !== 'value' || typeof receiver.args !== 'string' || args.length !== 1)
      return [];
    const list = args[0];
    if (!isAstNode(list) || list.op !== 'list') return [];
    const problem = formatProblem(receiver.args, (list.args as unknown[]).filter(isAstNode));
    if (!problem) return [];
    const at = problem.node ? elementOffset(problem.node) : openParen(n.input, n, 'format');
    return [{ problem, at, call: n }];
  });
  const errors = problems
    .sort((a, b) => a.at - b.at)
    .map(
      ({ problem, at, call }) =>
        new CelTypeError({
          code: 'invalid_argument',
          message: problem.why,
          node: call as unknown as ErrorLocation,
          range: { start: at, end: at + 1 },
        }),
    );
  const [first, ...more] = errors;
  return first && Object.assign(first, { more });
}
