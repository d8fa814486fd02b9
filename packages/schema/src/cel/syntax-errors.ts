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
import type { Environment } from '@marcbachmann/cel-js';
import { celGoLayout } from './error-text.js';

/** A token of CEL's lexer: where it starts and ends, and its class. */
interface Token {
  readonly start: number;
  readonly end: number;
  /** `escaped`: a backquoted name (cel-go's ESC_IDENTIFIER), which it does not support. */
  readonly kind: 'operand' | 'infix' | 'punct' | 'escaped';
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

/** The characters an escape may need after its letter: `\x` two hex digits, `\u` four, `\U` eight. */
const HEX_DIGITS: Readonly<Record<string, number>> = { x: 2, X: 2, u: 4, U: 8 };

/**
 * Where the escape at `at` (its backslash) ends, or the negated index just past the
 * character where CEL's lexer stops matching it: a simple escape, hex digits, or three
 * octal digits (the first at most 3).
 */
function escapeEnd(text: string, at: number): number {
  const c = text[at + 1];
  if (c === undefined) return -text.length;
  if ('abfnrtv\\"\'`?'.includes(c)) return at + 2;
  const hex = HEX_DIGITS[c];
  const [digits, first, rest] = hex ? [hex, /[0-9a-fA-F]/, /[0-9a-fA-F]/] : [3, /[0-3]/, /[0-7]/];
  const start = hex ? at + 2 : at + 1;
  for (let i = 0; i < digits; i++) {
    const d = text[start + i];
    if (d === undefined) return -text.length;
    if (!(i === 0 && !hex ? first : rest).test(d)) return -(start + i + 1);
  }
  return start + digits;
}

/**
 * Where a one-line quoted string ends, or the negated index just past where it fails: its
 * newline, a bad escape, or the end ('bad' for a triple-quoted one, not modelled).
 */
function quotedEnd(text: string, at: number): number | 'bad' {
  const quote = text[at]!;
  if (text.startsWith(quote.repeat(3), at)) return 'bad';
  for (let i = at + 1; i < text.length; i++) {
    const c = text[i]!;
    if (c === '\\') {
      const end = escapeEnd(text, i);
      if (end < 0) return end;
      i = end - 1;
      continue;
    }
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
    if (c.charCodeAt(0) > 0x7e) {
      // A character CEL's lexer has no token for (one code point).
      const end = i + String.fromCodePoint(text.codePointAt(i) ?? 0).length;
      errors.push({ start: i, end });
      i = end;
      continue;
    }
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
      // Raw and bytes strings (`r'…'`, `b'…'`, `br'…'`) are not modelled; `rb` is a name.
      const prefixed =
        /^(?:[rRbB]|[bB][rR])$/.test(w) &&
        (text[i + w.length] === '"' || text[i + w.length] === "'");
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
    if (c === '`') {
      const escaped = /^`[A-Za-z0-9_.\- /]+`/.exec(text.slice(i));
      if (!escaped) return undefined;
      push(i + escaped[0].length, 'escaped');
      continue;
    }
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
  /** An error of cel-go's own parser, not ANTLR's: no `Syntax error: ` before it. */
  readonly own?: true;
}

const at = (offset: number, what: string): SyntaxError => ({ offset, what });
const EXPECTING_EXPRESSION = `mismatched input '<EOF>' expecting ${EXPRESSION_START}`;

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

/**
 * An operand right after a whole item inside brackets (`f(a b)`, `[a b]`, `{a: b c}`,
 * `x["a" "b"]`): ANTLR expects the bracket's closer (or a `,` in a list or map literal)
 * there, `extraneous` when the token after it is one of those (it deletes the token),
 * `mismatched` otherwise.
 */
function operandAfterOperand(
  text: string,
  tokens: Token[],
  parses: (text: string) => boolean,
): SyntaxError | undefined {
  const open: { closer: string; expected: string[] }[] = [];
  for (let p = 0; p < tokens.length; p++) {
    const t = tokens[p]!;
    const previous = tokens[p - 1];
    const ended =
      previous !== undefined && (previous.kind === 'operand' || CLOSERS.includes(previous.text));
    const inner = open.at(-1);
    if (t.kind === 'operand' && ended && inner) {
      const closing = [...open]
        .reverse()
        .map((o) => o.closer)
        .join('');
      if (!parses(`${text.slice(0, t.start)}${closing}`)) return undefined;
      const next = tokens[p + 1]?.text ?? '';
      const word = inner.expected.includes(next) ? 'extraneous' : 'mismatched';
      // Once ANTLR deletes the token the rest must read on without another error.
      if (word === 'extraneous' && !parses(`${text.slice(0, t.start)}${text.slice(t.end)}`)) {
        return undefined;
      }
      const set =
        inner.expected.length === 1
          ? `'${inner.expected[0]}'`
          : `{${inner.expected.map((e) => `'${e}'`).join(', ')}}`;
      return at(t.start, `${word} input '${t.text}' expecting ${set}`);
    }
    if (t.text === '(') open.push({ closer: ')', expected: [')'] });
    else if (t.text === '[') {
      open.push({ closer: ']', expected: ended ? [']'] : [']', ','] });
    } else if (t.text === '{') open.push({ closer: '}', expected: ['}', ','] });
    else if (CLOSERS.includes(t.text)) open.pop();
  }
  return undefined;
}

/** The closers of the brackets left open, innermost first ('' when none or unmatched). */
function closers(tokens: Token[]): string {
  const stack: string[] = [];
  for (const t of tokens) {
    const opener = OPENERS.indexOf(t.text);
    if (opener >= 0) stack.push(CLOSERS[opener]!);
    else if (CLOSERS.includes(t.text) && stack.pop() !== t.text) return '';
  }
  return stack.reverse().join('');
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
  // An expression cut short after an infix operator, or after a conditional's `?` or `:`.
  // (A `-` with no whole expression before it is a unary one: see trailingMinus.)
  const binary =
    parses(before(last)) || (last.text !== '-' && parses(`${text} x${closers(tokens)}`));
  if (last.kind === 'infix' && binary) {
    return at(text.length, EXPECTING_EXPRESSION);
  }
  const conditional = last.text === '?' || last.text === ':';
  if (conditional && (parses(`${text} x`) || parses(`${text} x : x`))) {
    return at(text.length, EXPECTING_EXPRESSION);
  }
  // A conditional without its `:` branch, or without the `:` before it.
  if (parses(`${text} : x`)) return at(text.length, "mismatched input '<EOF>' expecting ':'");
  for (const [p, t] of tokens.entries()) {
    const ended = tokens[p - 1]?.kind === 'operand' || CLOSERS.includes(tokens[p - 1]?.text ?? '');
    const deleted = `${before(t)}${text.slice(t.end)}`;
    if (t.kind === 'operand' && ended && parses(`${before(t)}: x`)) {
      if (parses(deleted)) return at(t.start, `extraneous input '${t.text}' expecting ':'`);
      if (parses(`${before(t)}: ${text.slice(t.start)}`)) {
        return at(t.start, `missing ':' at '${t.text}'`);
      }
    }
    // A binary operator where an expression starts, the rest whole: ANTLR deletes it.
    const starts = p === 0 || tokens[p - 1]?.kind === 'infix';
    if (t.kind === 'infix' && t.text !== '-' && starts && parses(deleted)) {
      return at(t.start, `extraneous input '${t.text}' expecting ${EXPRESSION_START}`);
    }
  }
  const negated =
    !previous || previous.text === '!' || (previous.kind === 'infix' && parses(before(previous)));
  if (last.text === '!' && negated) {
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
  const inBracket = operandAfterOperand(text, tokens, parses);
  if (inBracket) return inBracket;
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
 * A unary `-` at the end (`-`, `a == -`, `!-`): ANTLR finds no way to read the `-` and then
 * misses an expression, both at the end.
 */
function trailingMinus(
  text: string,
  tokens: Token[],
  parses: (text: string) => boolean,
): SyntaxError[] | undefined {
  if (tokens.at(-1)?.text !== '-' || !parses(`${text}1`)) return undefined;
  return [
    at(text.length, "no viable alternative at input '-'"),
    at(text.length, EXPECTING_EXPRESSION),
  ];
}

/**
 * Backquoted names (cel-go's escaped identifiers, off in kube-apiserver): a selected one
 * (`a.\`b\``) is cel-go's own `unsupported syntax: '\`'`, read on as a name; one where an
 * expression starts is ANTLR's `mismatched input`, the only parser error then. Undefined
 * for other places (not modelled).
 */
function escapedNames(
  text: string,
  tokens: Token[],
  parses: (text: string) => boolean,
): { text: string; errors: SyntaxError[]; parser?: SyntaxError } | undefined {
  let named = text;
  const errors: SyntaxError[] = [];
  for (const [p, t] of tokens.entries()) {
    if (t.kind !== 'escaped') continue;
    const previous = tokens[p - 1];
    if (previous?.text === '.') {
      if (tokens[p + 1]?.text === '(') return undefined;
      errors.push({ offset: t.start, what: "unsupported syntax: '`'", own: true });
      named = named.slice(0, t.start) + '_'.repeat(t.end - t.start) + named.slice(t.end);
      continue;
    }
    const starts = previous === undefined || (previous.kind === 'infix' && previous.text !== '-');
    if (!starts || errors.length > 0) return undefined;
    return {
      text,
      errors: [],
      parser: at(t.start, `mismatched input '${t.text}' expecting ${EXPRESSION_START}`),
    };
  }
  if (errors.length > 0 && !parses(named)) return undefined;
  return { text: named, errors };
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
  // An object construction (`Name{…}`), which cel-go parses and the evaluator does not.
  const constructs = lexed.tokens.some(
    (t, p) => t.text === '{' && /^[A-Za-z_]/.test(lexed.tokens[p - 1]?.text ?? ''),
  );
  if (constructs) return undefined;
  // The parser sees the text without what the lexer could not match.
  let blanked = expression;
  for (const e of lexed.errors) {
    blanked = blanked.slice(0, e.start) + ' '.repeat(e.end - e.start) + blanked.slice(e.end);
  }
  const errors = lexed.errors.map((e) =>
    at(e.start, `token recognition error at: '${expression.slice(e.start, e.end)}'`),
  );
  const escaped = escapedNames(blanked, lexed.tokens, parses);
  if (escaped === undefined) return undefined;
  const parser = escaped.parser ?? parserError(escaped.text, lexed.tokens, parses);
  const minus = parser === undefined ? trailingMinus(escaped.text, lexed.tokens, parses) : [];
  if (parser === undefined && !minus) return undefined;
  if (parser !== undefined && parser !== 'none') errors.push(parser);
  errors.push(...escaped.errors, ...(minus ?? []));
  if (errors.length === 0) return undefined;
  const layout = (e: SyntaxError) =>
    celGoLayout(expression, e.offset, e.own ? e.what : `Syntax error: ${e.what}`);
  return errors
    .sort((a, b) => a.offset - b.offset)
    .map(layout)
    .join('\n');
}

/** Whether `text` parses as CEL in `env` (its syntax only). */
function parsesIn(env: Environment, text: string): boolean {
  if (text.trim() === '') return false;
  try {
    env.parse(text);
    return true;
  } catch {
    return false;
  }
}

/**
 * cel-go's syntax errors for `expression` in `env`'s syntax, as {@link celGoSyntaxErrors}
 * gives them: undefined when it parses or when its errors are not modelled.
 */
export function syntaxErrorsIn(env: Environment, expression: string): string | undefined {
  return celGoSyntaxErrors(expression, (text) => parsesIn(env, text));
}
