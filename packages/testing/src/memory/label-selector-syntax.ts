/**
 * The `labelSelector` query parameter read as kube-apiserver reads it (apimachinery's
 * `labels.Parse`): a lexer of identifiers, keywords (`in`, `notin`) and operators, then a
 * recursive-descent parser. Own code because the 400's words are what clients see: they
 * name the token found and what was expected (`found 'c', expected: ',' or ')'`), or the
 * key or value and its rule (`values[0][app]: Invalid value: "-x": a valid label must …`).
 */
import { labelValueErrors, qualifiedNameErrors } from '@kube-ts/schema/validation';
import { badRequest } from './errors.js';

/** One parsed label requirement. */
export interface LabelRequirement {
  key: string;
  op: 'eq' | 'neq' | 'in' | 'notin' | 'exists' | '!exists' | 'gt' | 'lt';
  values: string[];
}

/** A parsed label selector: every requirement must hold (empty = everything). */
export type LabelSelector = LabelRequirement[];

type Token = 'end' | 'id' | 'in' | 'notin' | '(' | ')' | ',' | '!' | '=' | '==' | '!=' | '>' | '<';

interface Item {
  tok: Token;
  lit: string;
}

const SYMBOLS = new Set(['=', '!', '(', ')', ',', '>', '<']);
const OPERATORS = new Set<string>(['(', ')', ',', '!', '=', '==', '!=', '>', '<']);
const BINARY = 'in, notin, =, ==, !=, gt, lt';
const OPERATOR_OF: Partial<Record<Token, LabelRequirement['op']>> = {
  in: 'in',
  notin: 'notin',
  '=': 'eq',
  '==': 'eq',
  '!=': 'neq',
  '>': 'gt',
  '<': 'lt',
};

const isSpace = (c: string) => c === ' ' || c === '\t' || c === '\r' || c === '\n';

/** The tokens of a selector, ending with `end`. */
function lex(s: string): Item[] {
  const items: Item[] = [];
  let i = 0;
  for (;;) {
    while (i < s.length && isSpace(s[i]!)) i++;
    if (i >= s.length) {
      items.push({ tok: 'end', lit: '' });
      return items;
    }
    if (SYMBOLS.has(s[i]!)) {
      // The longest run of symbols that is an operator (`!=`, `==`), one symbol at least.
      let lit = s[i]!;
      i++;
      while (i < s.length && OPERATORS.has(lit + s[i]!)) lit += s[i++]!;
      items.push({ tok: lit as Token, lit });
      continue;
    }
    const start = i;
    while (i < s.length && !SYMBOLS.has(s[i]!) && !isSpace(s[i]!)) i++;
    const lit = s.slice(start, i);
    items.push({ tok: lit === 'in' || lit === 'notin' ? lit : 'id', lit });
  }
}

/** A syntax error: kube-apiserver's 400 with the parser's words. */
class SyntaxFailure extends Error {}

/** Parses the tokens of one selector (see {@link parseLabelSelector}). */
class Parser {
  private position = 0;

  constructor(private readonly items: Item[]) {}

  /** The next token; where a value may stand, `in` and `notin` are identifiers. */
  private peek(values = true): Item {
    const item = this.items[this.position]!;
    return values && (item.tok === 'in' || item.tok === 'notin') ? { ...item, tok: 'id' } : item;
  }

  private next(values = true): Item {
    const item = this.peek(values);
    this.position = Math.min(this.position + 1, this.items.length - 1);
    return item;
  }

  parse(): LabelSelector {
    const out: LabelSelector = [];
    for (;;) {
      const { tok, lit } = this.peek();
      if (tok === 'end') return out;
      if (tok !== 'id' && tok !== '!') {
        throw new SyntaxFailure(`found '${lit}', expected: !, identifier, or 'end of string'`);
      }
      try {
        out.push(this.requirement());
      } catch (e) {
        if (e instanceof SyntaxFailure) {
          throw new SyntaxFailure(`unable to parse requirement: ${e.message}`);
        }
        throw e;
      }
      const after = this.next();
      if (after.tok === 'end') return out;
      if (after.tok !== ',') {
        throw new SyntaxFailure(`found '${after.lit}', expected: ',' or 'end of string'`);
      }
      const following = this.peek();
      if (following.tok !== 'id' && following.tok !== '!') {
        throw new SyntaxFailure(`found '${following.lit}', expected: identifier after ','`);
      }
    }
  }

  private requirement(): LabelRequirement {
    let first = this.next();
    const negated = first.tok === '!';
    if (negated) first = this.next();
    if (first.tok !== 'id') throw new SyntaxFailure(`found '${first.lit}', expected: identifier`);
    const key = first.lit;
    const keyErrors = qualifiedNameErrors(key);
    if (keyErrors.length) {
      throw new SyntaxFailure(
        `<nil>: Invalid value: ${JSON.stringify(key)}: ${keyErrors.join('; ')}`,
      );
    }
    const ahead = this.peek().tok;
    // `!key` ends the requirement whatever follows; `key` alone when a `,` or the end does.
    if (negated) return { key, op: '!exists', values: [] };
    if (ahead === 'end' || ahead === ',') return { key, op: 'exists', values: [] };
    const operator = this.next(false);
    const op = OPERATOR_OF[operator.tok];
    if (op === undefined) {
      throw new SyntaxFailure(`found '${operator.lit}', expected: ${BINARY}`);
    }
    const values = op === 'in' || op === 'notin' ? this.valueSet() : this.exactValue();
    checkValues(key, op, values);
    return { key, op, values };
  }

  /** `(a, b, …)`: a sorted set, where empty members (`(,a)`, `()`) are the empty value. */
  private valueSet(): string[] {
    const open = this.next();
    if (open.tok !== '(') throw new SyntaxFailure(`found '${open.lit}' expected: '('`);
    const first = this.peek();
    if (first.tok === ')') {
      this.next();
      return [''];
    }
    if (first.tok !== 'id' && first.tok !== ',') {
      throw new SyntaxFailure(`found '${first.lit}', expected: ',', ')' or identifier`);
    }
    const set = new Set<string>();
    for (;;) {
      const item = this.next();
      if (item.tok === 'id') {
        set.add(item.lit);
        const after = this.peek();
        if (after.tok === ')') break;
        if (after.tok !== ',')
          throw new SyntaxFailure(`found '${after.lit}', expected: ',' or ')'`);
      } else if (item.tok === ',') {
        if (set.size === 0) set.add('');
        const after = this.peek().tok;
        if (after === ')') {
          set.add('');
          break;
        }
        if (after === ',') set.add('');
      } else {
        throw new SyntaxFailure(`found '${item.lit}', expected: ',', or identifier`);
      }
    }
    this.next();
    return [...set].sort();
  }

  /** The value after `=`, `==`, `!=`, `>` or `<` (empty when none follows). */
  private exactValue(): string[] {
    const ahead = this.peek().tok;
    if (ahead === 'end' || ahead === ',') return [''];
    const value = this.next();
    if (value.tok !== 'id') throw new SyntaxFailure(`found '${value.lit}', expected: identifier`);
    return [value.lit];
  }
}

/**
 * The value checks of apimachinery's `NewRequirement`, aggregated as Go aggregates them
 * (one error as is, several in brackets, repeats once).
 */
function checkValues(key: string, op: LabelRequirement['op'], values: string[]): void {
  const errors: string[] = [];
  if (op === 'gt' || op === 'lt') {
    values.forEach((v, i) => {
      if (!/^[-+]?\d+$/.test(v) || !fitsInt64(v)) {
        errors.push(
          `values[${i}]: Invalid value: ${JSON.stringify(v)}: for 'Gt', 'Lt' operators, the value must be an integer`,
        );
      }
    });
  }
  values.forEach((v, i) => {
    const problems = labelValueErrors(v);
    if (problems.length) {
      errors.push(
        `values[${i}][${key}]: Invalid value: ${JSON.stringify(v)}: ${problems.join('; ')}`,
      );
    }
  });
  const unique = [...new Set(errors)];
  if (unique.length === 1) throw new SyntaxFailure(unique[0]!);
  if (unique.length > 1) throw new SyntaxFailure(`[${unique.join(', ')}]`);
}

function fitsInt64(v: string): boolean {
  const n = BigInt(v);
  return n >= -(2n ** 63n) && n < 2n ** 63n;
}

/**
 * Parses a label selector string the way kube-apiserver does: equality (`=`, `==`, `!=`),
 * set-based (`in`, `notin`, `key`, `!key`) and numeric `>`/`<`. Throws kube-apiserver's
 * 400 on a malformed selector.
 */
export function parseLabelSelector(input: string | null | undefined): LabelSelector {
  try {
    return new Parser(lex(input ?? '')).parse();
  } catch (e) {
    if (e instanceof SyntaxFailure) throw badRequest(e.message);
    throw e;
  }
}
