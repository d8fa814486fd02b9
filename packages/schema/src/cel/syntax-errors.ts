/**
 * Syntax errors of a CEL expression in cel-go's words, for the cases operators meet most:
 * cel-go parses with an ANTLR-generated lexer and parser whose default error strategy
 * words and places errors its own way (`Syntax error: token recognition error at: '#'`,
 * `mismatched input '<EOF>' expecting {…}`, `extraneous input 'b' expecting <EOF>`,
 * `missing ')' at '<EOF>'`), reports every lexer error and goes on lexing after it, and
 * lists the errors by position. The evaluator we use words them otherwise
 * (`Unexpected token: EOF`), and kube-apiserver quotes cel-go's text, so this small model
 * of ANTLR's behaviour on CEL's grammar (own code) finds those errors; a malformed
 * expression outside what it models gets `undefined` (the caller keeps the evaluator's
 * words).
 */
import { compileErrorText } from './error-text.js';

/** A token of CEL's lexer: where it starts and ends, and its class. */
interface Token {
  readonly start: number;
  readonly end: number;
  readonly kind: 'operand' | 'infix' | 'punct';
  readonly text: string;
}

/** What ANTLR's lexer could not match: the text from the token's start to the failure. */
interface LexerError {
  readonly start: number;
  readonly end: number;
}

/** The tokens that may start an expression, as cel-go's parser lists them. */
const EXPRESSION_START =
  "{'[', '{', '(', '.', '-', '!', 'true', 'false', 'null', NUM_FLOAT, NUM_INT, NUM_UINT, STRING, BYTES, IDENTIFIER}";

const INFIX = ['==', '!=', '<=', '>=', '&&', '||', '<', '>', '+', '-', '*', '/', '%'];
const PUNCT = ['[', ']', '{', '}', '(', ')', '.', ',', '!', '?', ':'];
const DIGITS = /^(?:0x[0-9a-fA-F]+|[0-9]*\.?[0-9]+(?:[eE][+-]?[0-9]+)?)[uU]?/;

/** Where an unterminated one-line quoted string fails (its newline or the end), if it does. */
function quotedEnd(text: string, at: number): number | 'bad' {
  const quote = text[at]!;
  if (text.startsWith(quote.repeat(3), at)) return 'bad';
  for (let i = at + 1; i < text.length; i++) {
    const c = text[i]!;
    // Escapes have rules of their own (a bad one is an error of its own): not modelled.
    if (c === '\\') return 'bad';
    if (c === quote) return i + 1;
    if (c === '\n' || c === '\r') return -(i + 1);
  }
  return -text.length;
}

/** CEL's tokens and lexer errors, or undefined for text outside what is modelled here. */
function lex(text: string): { tokens: Token[]; errors: LexerError[] } | undefined {
  const tokens: Token[] = [];
  const errors: LexerError[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i]!;
    if (c.charCodeAt(0) > 0x7e) return undefined;
    if (/[\t\n\f\r ]/.test(c)) {
      i++;
      continue;
    }
    if (text.startsWith('//', i)) {
      const nl = text.indexOf('\n', i);
      i = nl < 0 ? text.length : nl;
      continue;
    }
    const push = (end: number, kind: Token['kind']) => {
      tokens.push({ start: i, end, kind, text: text.slice(i, end) });
      i = end;
    };
    const word = /^[A-Za-z_][A-Za-z0-9_]*/.exec(text.slice(i));
    if (word) {
      const [w] = word;
      const prefixed =
        /^[rRbB]{1,2}$/.test(w) && (text[i + w.length] === '"' || text[i + w.length] === "'");
      if (prefixed) return undefined;
      push(i + w.length, w === 'in' ? 'infix' : 'operand');
      continue;
    }
    const number = DIGITS.exec(text.slice(i));
    if (number && number[0] !== '.') {
      push(i + number[0].length, 'operand');
      continue;
    }
    if (c === '"' || c === "'") {
      const end = quotedEnd(text, i);
      if (end === 'bad') return undefined;
      if (end > 0) push(end, 'operand');
      else {
        // ANTLR reports the text up to the failing character and skips that character.
        errors.push({ start: i, end: -end });
        i = -end;
      }
      continue;
    }
    if (c === '`') return undefined;
    const op = INFIX.find((o) => text.startsWith(o, i));
    if (op) {
      push(i + op.length, 'infix');
      continue;
    }
    if (PUNCT.includes(c)) {
      push(i + 1, 'punct');
      continue;
    }
    // `=`, `&` or `|` alone fail at the next character; any other character at itself.
    const end = '=&|'.includes(c) ? Math.min(i + 2, text.length) : i + 1;
    errors.push({ start: i, end });
    i = end;
  }
  return { tokens, errors };
}

/** A syntax error: where cel-go places it and what it says after `Syntax error: `. */
interface SyntaxError {
  readonly offset: number;
  readonly what: string;
}

const at = (offset: number, what: string): SyntaxError => ({ offset, what });

const OPENERS = ['(', '[', '{'];
const CLOSERS = [')', ']', '}'];

/** The bracket left open at the end and the token before it, when exactly one is. */
function unclosed(tokens: Token[]): { token: Token; before: Token | undefined } | undefined {
  const stack: number[] = [];
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!.text;
    if (OPENERS.includes(t)) stack.push(i);
    else if (CLOSERS.includes(t)) {
      const top = stack.pop();
      if (top === undefined || OPENERS.indexOf(tokens[top]!.text) !== CLOSERS.indexOf(t)) {
        return undefined;
      }
    }
  }
  if (stack.length !== 1) return undefined;
  const i = stack[0]!;
  return { token: tokens[i]!, before: tokens[i - 1] };
}

/** The parser's error on the tokens left once the lexer errors are skipped, if modelled. */
function parserError(
  text: string,
  tokens: Token[],
  parses: (text: string) => boolean,
): SyntaxError | undefined | 'none' {
  if (parses(text)) return 'none';
  const last = tokens.at(-1);
  // Nothing the lexer could match: an expression was expected.
  if (!last) return at(text.length, `mismatched input '<EOF>' expecting ${EXPRESSION_START}`);
  const before = (t: Token) => text.slice(0, t.start);
  const previous = tokens.at(-2);
  // An expression cut short after an infix operator, or after a `!`.
  if (last.kind === 'infix' && parses(before(last))) {
    return at(text.length, `mismatched input '<EOF>' expecting ${EXPRESSION_START}`);
  }
  if (last.text === '!' && (!previous || (previous.kind === 'infix' && parses(before(previous))))) {
    return at(text.length, `extraneous input '<EOF>' expecting ${EXPRESSION_START}`);
  }
  // A bracket left open at the end, after an operand (one bracket: closing it must do).
  const open = unclosed(tokens);
  if ((last.kind === 'operand' || CLOSERS.includes(last.text)) && open) {
    const closer = CLOSERS[OPENERS.indexOf(open.token.text)]!;
    const after = open.before;
    const indexes =
      after !== undefined && (after.kind === 'operand' || CLOSERS.includes(after.text));
    if (parses(`${text}${closer}`)) {
      if (closer === ')') return at(text.length, "missing ')' at '<EOF>'");
      // An index misses its `]`; a list or map literal (which may end in a comma) stops at
      // the end where `,` or its closer was expected.
      if (closer === ']' && indexes) return at(text.length, "missing ']' at '<EOF>'");
      if (!indexes) {
        return at(text.length, `mismatched input '<EOF>' expecting {'${closer}', ','}`);
      }
    }
  }
  // A whole expression followed by what cannot continue it: `extraneous` when the end
  // follows that token (ANTLR deletes it), `mismatched` otherwise.
  for (let p = tokens.length - 1; p > 0; p--) {
    const t = tokens[p]!;
    if (!parses(before(t))) continue;
    if (t.kind !== 'operand' && ![')', ']', '}', ','].includes(t.text)) return undefined;
    const word = p === tokens.length - 1 ? 'extraneous' : 'mismatched';
    return at(t.start, `${word} input '${t.text}' expecting <EOF>`);
  }
  return undefined;
}

/**
 * cel-go's syntax errors for `expression` (each in its layout, by position, joined with
 * newlines), undefined when it parses or when its errors are not modelled here; `parses`
 * tells whether a text parses as CEL.
 */
export function celGoSyntaxErrors(
  expression: string,
  parses: (text: string) => boolean,
): string | undefined {
  if (expression.trim() === '' || expression.length > 4096) return undefined;
  const lexed = lex(expression);
  if (!lexed || lexed.tokens.length > 200) return undefined;
  // The parser sees the text without what the lexer could not match.
  let blanked = expression;
  for (const e of lexed.errors) {
    blanked = blanked.slice(0, e.start) + ' '.repeat(e.end - e.start) + blanked.slice(e.end);
  }
  const parser = parserError(blanked, lexed.tokens, parses);
  if (parser === undefined) return undefined;
  const errors = lexed.errors.map((e) =>
    at(e.start, `token recognition error at: '${expression.slice(e.start, e.end)}'`),
  );
  if (parser !== 'none') errors.push(parser);
  if (errors.length === 0) return undefined;
  const layout = (e: SyntaxError) =>
    compileErrorText(
      expression,
      Object.assign(new Error(`Syntax error: ${e.what}`), { range: { start: e.offset } }),
    );
  return errors
    .sort((a, b) => a.offset - b.offset)
    .map(layout)
    .join('\n');
}
