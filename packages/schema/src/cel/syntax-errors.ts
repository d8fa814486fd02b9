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
import { literalEnd } from './raw-bytes.js';

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

/** The punctuation that may start an expression. */
const STARTERS = ['[', '{', '(', '.', '-', '!'];

/**
 * The tokens ANTLR lists where an expression may start, with `extra` ones the place also
 * allows (`]`, `}`, `)`, `,`, `?`), in the order of CEL's token types, as cel-go lists them.
 */
function expressionStart(extra: readonly string[] = []): string {
  const punct = ['[', ']', '{', '}', '(', ')', '.', ',', '-', '!', '?'].filter(
    (t) => STARTERS.includes(t) || extra.includes(t),
  );
  const words = "'true', 'false', 'null', NUM_FLOAT, NUM_INT, NUM_UINT, STRING, BYTES, IDENTIFIER";
  return `{${punct.map((t) => `'${t}'`).join(', ')}, ${words}}`;
}

/** The tokens that may start an expression, as cel-go's parser lists them. */
const EXPRESSION_START = expressionStart();

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
      // Raw and bytes strings (`r'…'`, `b'…'`, `br'…'`; `rb` is a name). One that does not
      // end leaves its prefix a name, as ANTLR's lexer falls back to the longest token it
      // matched, and the string is lexed from its quote; a triple-quoted one is not modelled.
      const at = i + w.length;
      if (/^(?:[rRbB]|[bB][rR])$/.test(w) && (text[at] === '"' || text[at] === "'")) {
        if (text.startsWith(text[at]!.repeat(3), at)) return undefined;
        const end = /[rR]/.test(w) ? literalEnd(text, at, true) : quotedEnd(text, at);
        if (typeof end === 'number' && end > 0) {
          push(end, 'operand');
          continue;
        }
      }
      push(at, w === 'in' ? 'infix' : 'operand');
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

/** What a bracket opens: an index, a list or map literal, a call's arguments or a group. */
type Bracket = 'index' | 'list' | 'map' | 'call' | 'group';
const CLOSER_OF: Readonly<Record<Bracket, string>> = {
  index: ']',
  list: ']',
  map: '}',
  call: ')',
  group: ')',
};

/** Whether a token ends an operand (so a `[` after it indexes and a `.` selects). */
const endsOperand = (t: Token | undefined) =>
  t !== undefined && (t.kind === 'operand' || CLOSERS.includes(t.text));

/** The brackets open before token `upTo`, outermost first (undefined when unbalanced). */
function openBrackets(tokens: Token[], upTo: number): Bracket[] | undefined {
  const stack: Bracket[] = [];
  for (let i = 0; i < upTo; i++) {
    const t = tokens[i]!;
    const previous = tokens[i - 1];
    if (t.text === '[') stack.push(endsOperand(previous) ? 'index' : 'list');
    else if (t.text === '{') stack.push('map');
    else if (t.text === '(') {
      const named = previous?.kind === 'operand' && /^[A-Za-z_]/.test(previous.text);
      stack.push(named ? 'call' : 'group');
    } else if (CLOSERS.includes(t.text)) {
      const top = stack.pop();
      if (top === undefined || CLOSER_OF[top] !== t.text) return undefined;
    }
  }
  return stack;
}

/** The first closer that closes no open bracket, if any. */
function strayCloser(tokens: Token[]): Token | undefined {
  const stack: string[] = [];
  for (const t of tokens) {
    const opener = OPENERS.indexOf(t.text);
    if (opener >= 0) stack.push(CLOSERS[opener]!);
    else if (CLOSERS.includes(t.text) && stack.pop() !== t.text) return t;
  }
  return undefined;
}

/** The closers of `open`, innermost first. */
const closing = (open: readonly Bracket[]) =>
  open
    .map((b) => CLOSER_OF[b])
    .reverse()
    .join('');

/** `text` with the characters from `start` to `end` blanked (offsets kept). */
const blank = (text: string, start: number, end: number) =>
  `${text.slice(0, start)}${' '.repeat(end - start)}${text.slice(end)}`;

/** Tokens that cannot start an expression where one must start. */
const NOT_STARTING = [']', ')', '}', ',', ':', '?'];

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
 * A list or map literal's item that ANTLR reads on after deleting a stray token, when a
 * comma and another item follow (`[a b, c]`): it has left the items and takes that comma
 * for the trailing one, so it wants the closer at the next item's first token:
 * `extraneous` when the closer follows it (ANTLR deletes it), `mismatched` when a `,`
 * does in an outermost literal (ANTLR skips to the end); undefined otherwise (not
 * modelled).
 */
function literalTail(
  text: string,
  tokens: Token[],
  comma: number,
  closer: string,
  depth: number,
  parses: (text: string) => boolean,
): SyntaxError[] | undefined {
  const item = tokens[comma + 1]!;
  const after = tokens[comma + 2]?.text;
  const stray = tokens[comma - 1]!;
  const without = blank(blank(text, stray.start, stray.end), item.start, item.end);
  if (after === closer && parses(without)) {
    return [at(item.start, `extraneous input '${item.text}' expecting '${closer}'`)];
  }
  if (depth !== 1) return undefined;
  // ANTLR skips to what may follow the literal: an operator or `?` reads on (a selection
  // or an index is not modelled).
  const stop = tokens
    .slice(comma + 1)
    .find((s) => s.kind === 'infix' || ['?', '.', '['].includes(s.text));
  const mismatched = at(item.start, `mismatched input '${item.text}' expecting '${closer}'`);
  if (!stop || parses(`x ${text.slice(stop.start)}`)) return [mismatched];
  // What follows reads on after the literal (a selection or index of it included).
  const rest = placeholder(text, openerOf(tokens, comma).start, stop.start);
  const more = parserErrors(rest, lex(rest)?.tokens ?? [], parses);
  if (!more || (more[0]?.offset ?? Infinity) <= stop.start) return undefined;
  return [mismatched, ...more];
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
): SyntaxError[] | 'unmodelled' | undefined {
  const open: { closer: string; expected: string[] }[] = [];
  for (let p = 0; p < tokens.length; p++) {
    const t = tokens[p]!;
    const previous = tokens[p - 1];
    const ended =
      previous !== undefined && (previous.kind === 'operand' || CLOSERS.includes(previous.text));
    const inner = open.at(-1);
    // A comma after an outermost index (`a[b, c]`): ANTLR wants its `]` there (inside other
    // brackets it would insert one: not modelled).
    const indexComma =
      t.text === ',' && ended && inner?.expected.length === 1 && inner.closer === ']';
    if (indexComma && open.length > 1) return indexCommaInside(text, tokens, p, parses);
    if ((t.kind === 'operand' || indexComma) && ended && inner) {
      const closing = [...open]
        .reverse()
        .map((o) => o.closer)
        .join('');
      if (!parses(`${text.slice(0, t.start)}${closing}`)) return undefined;
      const next = tokens[p + 1]?.text ?? '';
      const word = inner.expected.includes(next) ? 'extraneous' : 'mismatched';
      // A literal's item after the comma (see literalTail).
      const item = tokens[p + 2];
      const literal =
        word === 'extraneous' && next === ',' && inner.expected.length > 1 && item !== undefined;
      const tailed = literal && item.text !== inner.closer;
      // Once ANTLR deletes the token the rest must read on without another error.
      const deleted = `${text.slice(0, t.start)}${text.slice(t.end)}`;
      if (word === 'extraneous' && !tailed && !parses(deleted)) return undefined;
      const set =
        inner.expected.length === 1
          ? `'${inner.expected[0]}'`
          : `{${inner.expected.map((e) => `'${e}'`).join(', ')}}`;
      const error = at(t.start, `${word} input '${t.text}' expecting ${set}`);
      if (!tailed) return [error];
      const tail = literalTail(text, tokens, p + 1, inner.closer, open.length, parses);
      return tail ? [error, ...tail] : 'unmodelled';
    }
    if (t.text === '(') open.push({ closer: ')', expected: [')'] });
    else if (t.text === '[') {
      open.push({ closer: ']', expected: ended ? [']'] : [']', ','] });
    } else if (t.text === '{') open.push({ closer: '}', expected: ['}', ','] });
    else if (CLOSERS.includes(t.text)) open.pop();
  }
  return undefined;
}

/**
 * A comma after an index inside other brackets (`f(a[1, 2])`): where the enclosing
 * bracket takes a `,` (a call's arguments, a list or map literal) ANTLR inserts the missing
 * `]` and reads on; inside a group it finds a mismatch and skips the rest; inside another
 * index (`a[b[1, 2]]`) it finds a mismatch, skips to what may follow the inner index (see
 * recoveryStop) and reads on from there as if the inner index had ended.
 */
function indexCommaInside(
  text: string,
  tokens: Token[],
  p: number,
  parses: (text: string) => boolean,
): SyntaxError[] | 'unmodelled' {
  const comma = tokens[p]!;
  const enclosing = openBrackets(tokens, p)?.at(-2);
  const mismatched = at(comma.start, "mismatched input ',' expecting ']'");
  if (enclosing === 'group') return [mismatched];
  if (enclosing === undefined) return 'unmodelled';
  if (enclosing === 'index') {
    const open = openBrackets(tokens, p) ?? [];
    if (open.some((b) => b !== 'index')) return 'unmodelled';
    // No bracket open takes a `,`: the recovery stops at an operator, `?`, `:` or `]`.
    const stop =
      tokens.slice(p + 1).find((s) => s.kind === 'infix' || ['?', ':', ']'].includes(s.text))
        ?.start ?? text.length;
    const read = `${text.slice(0, comma.start)}]${blank(text, comma.start, stop).slice(comma.start)}`;
    const rest = parserErrors(read, lex(read)?.tokens ?? [], parses);
    if (rest === undefined || rest.some((e) => e.offset <= stop + 1)) return 'unmodelled';
    return [mismatched, ...rest.map((e) => ({ ...e, offset: e.offset - 1 }))];
  }
  const inserted = `${text.slice(0, comma.start)}]${text.slice(comma.start)}`;
  const rest = parserErrors(inserted, lex(inserted)?.tokens ?? [], parses);
  if (rest === undefined || rest.some((e) => e.offset === comma.start)) return 'unmodelled';
  const moved = rest.map((e) => (e.offset > comma.start ? { ...e, offset: e.offset - 1 } : e));
  return [at(comma.start, "missing ']' at ','"), ...moved];
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

/**
 * The first token from `from` that may follow an operand inside the brackets `open`,
 * where ANTLR's recovery stops skipping: an operator, `?`, `:`, or a closer or `,` of an
 * open bracket (undefined: none, the end).
 */
function recoveryStop(tokens: Token[], from: number, open: readonly Bracket[]): Token | undefined {
  const follows = [...open.map((b) => CLOSER_OF[b]), ...(open.length > 0 ? [','] : [])];
  return tokens
    .slice(from)
    .find((s) => s.kind === 'infix' || ['?', ':'].includes(s.text) || follows.includes(s.text));
}

/**
 * The text ANTLR reads on with after an expression it missed at token `p` (`mismatched`):
 * it leaves the rule that found the error and skips tokens up to one that may follow a
 * rule it is in (an operator, `?`, `:`, or a closer or `,` of a bracket still open). Where
 * a bracket's first item was expected (`a[`, `[`, `{`, `f(`), the rule that found it is the
 * one of that bracket, which it leaves as a whole: the text keeps a placeholder operand
 * for it. Otherwise the text gets a placeholder operand (`x `) before the token.
 */
function recovered(
  text: string,
  tokens: Token[],
  p: number,
  open: readonly Bracket[],
  first: boolean,
): { text: string; stop: number } {
  const stop = recoveryStop(tokens, p, first ? open.slice(0, -1) : open);
  const end = stop?.start ?? text.length;
  if (first) {
    const opener = tokens[p - 1]!;
    const literal = opener.text === '[' && open.at(-1) === 'list';
    const start = literal || opener.text === '{' ? opener.start + 1 : opener.start;
    const kept = blank(text, start, end);
    const placed = `${kept.slice(0, opener.start)}x${kept.slice(start)}`;
    return { text: literal || opener.text === '{' ? placed : kept, stop: end };
  }
  const at = tokens[p]!.start;
  return { text: `${text.slice(0, at)}x ${blank(text, at, end).slice(at)}`, stop: end };
}

/** The opening bracket of the innermost bracket open at token `c`. */
function openerOf(tokens: Token[], c: number): Token {
  let depth = 0;
  for (let i = c; i >= 0; i--) {
    const x = tokens[i]!.text;
    if (CLOSERS.includes(x)) depth++;
    else if (OPENERS.includes(x) && depth-- === 0) return tokens[i]!;
  }
  return tokens[0]!;
}

/**
 * A list or map literal's comma that ANTLR takes for its trailing one (the first comma of
 * an empty literal, `[,1]`, or one followed by another, `[1,,2]`), at token `c`; `open`:
 * the brackets open there, the literal innermost. Where the closer must come: the token
 * there is deleted when the closer follows it (`extraneous`); a `,` or closer the
 * enclosing bracket takes gets the closer inserted before it (`missing ']' at ','`); else
 * (`mismatched`) ANTLR skips to what may follow the literal and reads on.
 */
function trailingComma(
  text: string,
  tokens: Token[],
  c: number,
  open: readonly Bracket[],
  parses: (text: string) => boolean,
): SyntaxError[] | undefined {
  const literal = open.at(-1)!;
  const closer = CLOSER_OF[literal];
  const t = tokens[c + 1];
  if (t === undefined) return undefined;
  // The literal ends there (`[,]`: cel-go takes it).
  if (t.text === closer) return [];
  const readOn = (rest: string, shift: (offset: number) => number) => {
    const more = parserErrors(rest, lex(rest)?.tokens ?? [], parses);
    return more?.map((e) => ({ ...e, offset: shift(e.offset) }));
  };
  if (tokens[c + 2]?.text === closer) {
    const more = readOn(blank(text, t.start, t.end), (o) => o);
    return more && [at(t.start, `extraneous input '${t.text}' expecting '${closer}'`), ...more];
  }
  const enclosing = open.at(-2);
  const follows =
    enclosing !== undefined &&
    (t.text === CLOSER_OF[enclosing] ||
      (t.text === ',' && enclosing !== 'group' && enclosing !== 'index'));
  if (follows) {
    const more = readOn(`${text.slice(0, t.start)}${closer}${text.slice(t.start)}`, (o) =>
      o > t.start ? o - 1 : o,
    );
    if (!more || more.some((e) => e.offset === t.start)) return undefined;
    return [at(t.start, `missing '${closer}' at '${t.text}'`), ...more];
  }
  const mismatched = at(t.start, `mismatched input '${t.text}' expecting '${closer}'`);
  // What may follow the literal: an operator, `?`, `:`, a selection or index, an outer
  // closer, or a `,` where an outer bracket takes one.
  const outer = open.slice(0, -1);
  const comma = outer.some((b) => b !== 'group' && b !== 'index');
  const stop = tokens
    .slice(c + 1)
    .find(
      (x) =>
        x.kind === 'infix' ||
        ['?', ':', '.', '['].includes(x.text) ||
        outer.some((b) => CLOSER_OF[b] === x.text) ||
        (comma && x.text === ','),
    );
  if (stop === undefined) return [mismatched];
  // The literal read as an operand, the skipped tokens gone.
  const more = readOn(placeholder(text, openerOf(tokens, c).start, stop.start), (o) => o);
  if (more === undefined) return undefined;
  // After skipping, ANTLR reports nothing until it has matched a token.
  return (more[0]?.offset ?? Infinity) <= stop.start ? [mismatched] : [mismatched, ...more];
}

/**
 * Where an expression must start (at the start, after an opening bracket, a `,` between
 * arguments, a `?`, a `:` or a binary operator) a token that cannot start one, or the
 * end: ANTLR expects an expression (with the closer, `,` or `?` the place also allows).
 * When the token after it fits there ANTLR deletes the token (`extraneous`) and reads on;
 * otherwise (`mismatched`) it reads on as if the expression were there. Null when there
 * is no such place, undefined when what follows is not modelled.
 */
function expressionExpected(
  text: string,
  tokens: Token[],
  parses: (text: string) => boolean,
): SyntaxError[] | undefined | null {
  for (let p = 1; p <= tokens.length; p++) {
    const t = tokens[p];
    const previous = tokens[p - 1]!;
    const afterInfix = previous.kind === 'infix' && previous.text !== '-';
    if (!afterInfix && !['(', '[', '{', ',', '?', ':'].includes(previous.text)) continue;
    // `a.?b`: a name must follow (see dotSelections).
    if (previous.text === '?' && tokens[p - 2]?.text === '.') continue;
    if (t && !NOT_STARTING.includes(t.text) && (t.kind !== 'infix' || t.text === '-')) continue;
    const open = openBrackets(tokens, p);
    // Unbalanced before here (a stray closer): a whole expression is no prefix of it.
    if (!open) {
      if (parses(text.slice(0, strayCloser(tokens)?.start ?? 0))) continue;
      return undefined;
    }
    const prefix = text.slice(0, t?.start ?? text.length);
    if (!['', ': x'].some((rest) => parses(`${prefix} x ${rest}${closing(open)}`))) continue;
    const inner = open.at(-1);
    // A call without arguments (`a.size()`).
    if (previous.text === '(' && inner === 'call' && t?.text === ')') continue;
    // An optional item (`[?a]`, `a[?b]`) may start with `?`.
    if (
      t?.text === '?' &&
      (['[', '{'].includes(previous.text) || previous.text === ',') &&
      inner !== 'call' &&
      inner !== 'group'
    )
      continue;
    let extra: string[] = [];
    if (previous.text === '[') extra = inner === 'index' ? ['?'] : [']', ',', '?'];
    else if (previous.text === '{') extra = ['}', ',', '?'];
    else if (previous.text === '(' && inner === 'call') extra = [')'];
    else if (previous.text === ',' && (inner === 'list' || inner === 'map')) {
      // After an item's comma the literal may end: its closer is missing at the end.
      if (t === undefined) return [at(text.length, `missing '${CLOSER_OF[inner]}' at '<EOF>'`)];
      if (t.text === CLOSER_OF[inner]) continue;
      return t.text === ',' ? trailingComma(text, tokens, p - 1, open, parses) : undefined;
    }
    // A comma where a literal starts is the literal's trailing comma; where an index starts
    // (`a[,]`), a token where its expression was expected.
    if (t?.text === ',' && (previous.text === '[' || previous.text === '{') && inner !== 'index') {
      return inner === 'list' || inner === 'map'
        ? trailingComma(text, tokens, p, open, parses)
        : undefined;
    }
    const expecting = expressionStart(extra);
    if (t === undefined)
      return [at(text.length, `mismatched input '<EOF>' expecting ${expecting}`)];
    const next = tokens[p + 1];
    const fits =
      next !== undefined &&
      (next.kind === 'operand' || STARTERS.includes(next.text) || extra.includes(next.text));
    const word = fits ? 'extraneous' : 'mismatched';
    const first = at(t.start, `${word} input '${t.text}' expecting ${expecting}`);
    // Read on without the token, or after ANTLR's recovery (see recovered).
    const skipped = fits
      ? { text: blank(text, t.start, t.end), stop: t.start }
      : recovered(text, tokens, p, open, extra.length > 0);
    const rest = skipped.text;
    const shift = rest.length - text.length;
    if (rest.trim() === '') return [first];
    const restTokens = lex(rest)?.tokens;
    const more = restTokens && parserErrors(rest, restTokens, parses);
    if (more === undefined) return undefined;
    const moved = more.map((e) => ({ ...e, offset: e.offset - shift }));
    if (moved.some((e) => e.offset < t.start)) return undefined;
    // After skipping, ANTLR reports nothing until it has matched a token.
    if (!fits && (moved[0]?.offset ?? Infinity) <= skipped.stop) return [first];
    return [first, ...moved];
  }
  return null;
}

/**
 * A `.` after an operand not followed by a name (or `?`): ANTLR finds no viable
 * alternative at the token after it (quoting the text from the `.`), then skips to what
 * may follow a member (an operator, `?`, `:`, or a closer or `,` of an open bracket).
 * Null when there is none, undefined when the rest does not then parse (not modelled).
 */
function dotSelections(
  text: string,
  tokens: Token[],
  parses: (text: string) => boolean,
): SyntaxError[] | undefined | null {
  for (const [p, t] of tokens.entries()) {
    if (t.text !== '.' || !endsOperand(tokens[p - 1])) continue;
    const next = tokens[p + 1];
    const named = next?.kind === 'escaped' || /^(?:\?|[A-Za-z_]\w*)$/.test(next?.text ?? '');
    if (next?.kind !== 'infix' && named) continue;
    const open = openBrackets(tokens, p);
    if (!open || !parses(`${text.slice(0, t.start)}${closing(open)}`)) continue;
    const end = next?.end ?? text.length;
    const error = at(
      next?.start ?? text.length,
      `no viable alternative at input '${text.slice(t.start, end)}'`,
    );
    const stop = recoveryStop(tokens, p + 1, open);
    return parses(blank(text, t.start, stop?.start ?? text.length)) ? [error] : undefined;
  }
  return null;
}

/** What ANTLR expects after an item inside bracket `b` (its closer, or a `,` too). */
function expectedIn(b: Bracket): string {
  const closer = CLOSER_OF[b];
  return b === 'list' || b === 'map' ? `{'${closer}', ','}` : `'${closer}'`;
}

/** `text` with the characters from `start` to `end` replaced by an operand placeholder. */
const placeholder = (text: string, start: number, end: number) =>
  `${text.slice(0, start)}x${' '.repeat(Math.max(0, end - start - 1))}${text.slice(end)}`;

/**
 * Errors ANTLR reports for rarer slips, each once the rest reads on whole: a `!` or unary
 * `-` before a closer (`!]`: `extraneous input`; `-]`: `no viable alternative` and
 * `mismatched input`, both at the closer), a second `?` where a conditional wants its `:`
 * (`a ? b ? : c`), an optional selection without a name (`a.?`: `expecting {IDENTIFIER,
 * ESC_IDENTIFIER}` and cel-go's own `unsupported ident kind`), a leading dot before a
 * literal (`.true`) or another dot (`..a`), and a closer that closes no open bracket
 * (`f(1])`: `extraneous input ']' expecting ')'`). Undefined when none applies.
 */
function rareErrors(
  text: string,
  tokens: Token[],
  parses: (text: string) => boolean,
): SyntaxError[] | undefined {
  for (const [p, t] of tokens.entries()) {
    const previous = tokens[p - 1];
    const next = tokens[p + 1];
    const unary = t.text === '!' || (t.text === '-' && !endsOperand(previous));
    if (unary && next && CLOSERS.includes(next.text)) {
      let first = p;
      while (t.text === '!' && tokens[first - 1]?.text === '!') first--;
      const inner = openBrackets(tokens, p + 1)?.at(-1);
      const closes = inner !== undefined && CLOSER_OF[inner] === next.text;
      const start = tokens[first]!.start;
      if (!parses(placeholder(text, start, closes ? t.end : next.end))) continue;
      const mismatched = at(
        next.start,
        `mismatched input '${next.text}' expecting ${EXPRESSION_START}`,
      );
      if (t.text === '!') {
        return [at(next.start, `extraneous input '${next.text}' expecting ${EXPRESSION_START}`)];
      }
      const input = text.slice(t.start, next.end);
      return [at(next.start, `no viable alternative at input '${input}'`), mismatched];
    }
    if (
      t.text === '?' &&
      endsOperand(previous) &&
      parses(`${text.slice(0, t.start)}: x${closers(tokens.slice(0, p))}`)
    ) {
      if (next?.text !== ':') return [at(t.start, "mismatched input '?' expecting ':'")];
      const deleted = blank(text, t.start, t.end);
      const rest = parserErrors(deleted, lex(deleted)?.tokens ?? [], parses);
      if (rest === undefined) continue;
      return [at(t.start, "extraneous input '?' expecting ':'"), ...rest];
    }
    if (t.text === '.' && next?.text === '?' && endsOperand(previous)) {
      const name = tokens[p + 2];
      if (name?.kind === 'operand' && /^[A-Za-z_]/.test(name.text)) continue;
      // ANTLR skips a literal where the name was.
      const skipped = name?.kind === 'operand' ? name.end : next.end;
      if (name?.kind === 'escaped' || !parses(blank(text, t.start, skipped))) continue;
      const offset = name?.start ?? text.length;
      return [
        at(
          offset,
          `mismatched input '${name?.text ?? '<EOF>'}' expecting {IDENTIFIER, ESC_IDENTIFIER}`,
        ),
        { offset, what: 'unsupported ident kind', own: true },
      ];
    }
    if (t.text === '.' && !endsOperand(previous) && previous?.text !== '.' && next) {
      const literal = ['true', 'false', 'null'].includes(next.text);
      const name = tokens[p + 2];
      const dots = next.text === '.' && name?.kind === 'operand' && /^[A-Za-z_]/.test(name.text);
      const end = literal ? next.end : dots ? name!.end : undefined;
      if (end === undefined || !parses(placeholder(text, t.start, end))) continue;
      return [
        literal
          ? at(next.start, `mismatched input '${next.text}' expecting IDENTIFIER`)
          : at(next.start, "no viable alternative at input '..'"),
      ];
    }
    if (CLOSERS.includes(t.text) && endsOperand(previous)) {
      const inner = openBrackets(tokens, p)?.at(-1);
      if (inner === undefined || CLOSER_OF[inner] === t.text) continue;
      if (!parses(blank(text, t.start, t.end))) continue;
      return [at(t.start, `extraneous input '${t.text}' expecting ${expectedIn(inner)}`)];
    }
  }
  return undefined;
}

/**
 * The parser's errors on the tokens left once the lexer errors are skipped, in order
 * ([] when it parses), or undefined when they are not modelled.
 */
function parserErrors(
  text: string,
  tokens: Token[],
  parses: (text: string) => boolean,
): SyntaxError[] | undefined {
  if (parses(text)) return [];
  const found = [expressionExpected(text, tokens, parses), dotSelections(text, tokens, parses)];
  const rare = rareErrors(text, tokens, parses);
  if (rare) {
    const before = found.some((f) => Array.isArray(f) && (f[0]?.offset ?? 0) < rare[0]!.offset);
    if (!before) return rare;
  }
  if (found.includes(undefined)) return undefined;
  const earliest = found
    .filter((f): f is SyntaxError[] => Array.isArray(f))
    .sort((a, b) => (a[0]?.offset ?? 0) - (b[0]?.offset ?? 0))[0];
  if (earliest) return earliest;
  const single = parserError(text, tokens, parses);
  if (single === undefined) return undefined;
  return single === 'none' ? [] : [single].flat();
}

/** The parser's error on the tokens left once the lexer errors are skipped, if modelled. */
function parserError(
  text: string,
  tokens: Token[],
  parses: (text: string) => boolean,
): SyntaxError | SyntaxError[] | undefined | 'none' {
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
  if (inBracket === 'unmodelled') return undefined;
  if (inBracket) return inBracket;
  // A whole expression followed by what cannot continue it: `extraneous` when the end
  // follows that token (ANTLR deletes it), `mismatched` otherwise.
  for (let p = tokens.length - 1; p > 0; p--) {
    const t = tokens[p]!;
    if (!parses(before(t))) continue;
    if (t.kind !== 'operand' && ![')', ']', '}', ',', ':'].includes(t.text)) return undefined;
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
 * A call on a selected backquoted name (`a.\`b\`()`), outside brackets: CEL's grammar
 * calls only plain names, so the expression ends before the `(`, where ANTLR expects the
 * end (`extraneous` when the `(` is the last token, `mismatched` otherwise, when it skips
 * the rest). Undefined when more backquoted names follow or brackets are open (not
 * modelled).
 */
function escapedCall(
  named: string,
  tokens: Token[],
  p: number,
  errors: SyntaxError[],
  parses: (text: string) => boolean,
): { text: string; errors: SyntaxError[]; parser: SyntaxError[] } | undefined {
  const call = tokens[p]!;
  const later = tokens.slice(p).some((t) => t.kind === 'escaped');
  if (later || openBrackets(tokens, p)?.length !== 0) return undefined;
  if (!parses(named.slice(0, call.start))) return undefined;
  const word = p === tokens.length - 1 ? 'extraneous' : 'mismatched';
  return { text: named, errors, parser: [at(call.start, `${word} input '(' expecting <EOF>`)] };
}

/**
 * Backquoted names (cel-go's escaped identifiers, off in kube-apiserver): a selected one
 * (`a.\`b\``) is cel-go's own `unsupported syntax: '\`'`, read on as a name (called: see
 * escapedCall); one where an expression starts is ANTLR's `mismatched input`, the only parser error then. Undefined
 * for other places (not modelled).
 */
function escapedNames(
  text: string,
  tokens: Token[],
  parses: (text: string) => boolean,
): { text: string; errors: SyntaxError[]; parser?: SyntaxError[] } | undefined {
  let named = text;
  const errors: SyntaxError[] = [];
  for (const [p, t] of tokens.entries()) {
    if (t.kind !== 'escaped') continue;
    const previous = tokens[p - 1];
    if (previous?.text === '.') {
      errors.push({ offset: t.start, what: "unsupported syntax: '`'", own: true });
      named = named.slice(0, t.start) + '_'.repeat(t.end - t.start) + named.slice(t.end);
      const call = tokens[p + 1];
      if (call?.text === '(') return escapedCall(named, tokens, p + 1, errors, parses);
      continue;
    }
    const starts = previous === undefined || (previous.kind === 'infix' && previous.text !== '-');
    if (!starts || errors.length > 0) return undefined;
    return {
      text,
      errors: [],
      parser: [at(t.start, `mismatched input '${t.text}' expecting ${EXPRESSION_START}`)],
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
  const blanked = lexed.errors.reduce((text, e) => blank(text, e.start, e.end), expression);
  const errors = lexed.errors.map((e) =>
    at(e.start, `token recognition error at: '${expression.slice(e.start, e.end)}'`),
  );
  const escaped = escapedNames(blanked, lexed.tokens, parses);
  if (escaped === undefined) return undefined;
  const parser = escaped.parser ?? parserErrors(escaped.text, lexed.tokens, parses);
  const minus = parser === undefined ? trailingMinus(escaped.text, lexed.tokens, parses) : [];
  if (parser === undefined && !minus) return undefined;
  errors.push(...(parser ?? []), ...escaped.errors, ...(minus ?? []));
  if (errors.length === 0) return undefined;
  const layout = (e: SyntaxError) =>
    celGoLayout(expression, e.offset, e.own ? e.what : `Syntax error: ${e.what}`);
  return errors
    .sort((a, b) => a.offset - b.offset)
    .map(layout)
    .join('\n');
}

/**
 * Where the `)` of a call whose arguments end in a comma (`f(a, )`) is, which cel-js reads
 * as the call and cel-go's grammar refuses (its arguments allow no trailing comma, unlike
 * list and map literals); undefined when there is none.
 */
export function trailingCallComma(expression: string): number | undefined {
  if (!/,\s*\)/.test(expression)) return undefined;
  const tokens = lex(expression)?.tokens ?? [];
  for (const [p, t] of tokens.entries()) {
    if (t.text !== ')' || tokens[p - 1]?.text !== ',') continue;
    if (openBrackets(tokens, p)?.at(-1) === 'call') return t.start;
  }
  return undefined;
}

/**
 * Where the leading dots of `expression` are: a `.` where an operand starts, before a
 * name (`.self.x`, `f(.a)`), which cel-go's grammar reads as a name resolved from the root
 * scope (in kube-apiserver's environments, with no container, the name itself) and cel-js
 * does not parse. A dot before `true`, `false` or `null` is none (cel-go refuses it), nor
 * is one before a call of `has` or in text this lexer does not model.
 */
export function leadingDots(expression: string): number[] {
  if (!/(?:^|[^\w\s)\]}'"])\s*\.\s*[A-Za-z_]/.test(expression)) return [];
  const tokens = lex(expression)?.tokens ?? [];
  return tokens
    .filter((t, p) => {
      const next = tokens[p + 1];
      return (
        t.text === '.' &&
        !endsOperand(tokens[p - 1]) &&
        tokens[p - 1]?.text !== '.' &&
        next?.kind === 'operand' &&
        /^[A-Za-z_]\w*$/.test(next.text) &&
        !['true', 'false', 'null'].includes(next.text) &&
        // `.has(…)` is no macro to cel-go (see rootHasCalls).
        !(next.text === 'has' && tokens[p + 2]?.text === '(')
      );
    })
    .map((t) => t.start);
}

/**
 * Where the dots of calls of `.has(…)` where an operand starts are: cel-go reads the name
 * from the root scope, so it is no macro but a call of a function `.has`, which no
 * environment declares (`undeclared reference to '.has'`); cel-js does not parse it.
 */
export function rootHasCalls(expression: string): number[] {
  if (!/\.has\s*\(/.test(expression)) return [];
  const tokens = lex(expression)?.tokens ?? [];
  return tokens
    .filter(
      (t, p) =>
        t.text === '.' &&
        !endsOperand(tokens[p - 1]) &&
        tokens[p - 1]?.text !== '.' &&
        tokens[p + 1]?.text === 'has' &&
        tokens[p + 1]?.start === t.end &&
        tokens[p + 2]?.text === '(',
    )
    .map((t) => t.start);
}

/**
 * Where the comma of an empty list or map literal written with one (`[,]`, `{,}`) is,
 * which cel-go's grammar takes as the literal's trailing comma and cel-js refuses.
 */
export function emptyLiteralCommas(expression: string): number[] {
  if (!/[[{]\s*,\s*[\]}]/.test(expression)) return [];
  const tokens = lex(expression)?.tokens ?? [];
  return tokens
    .filter((t, p) => {
      const opener = tokens[p - 1];
      const closer = tokens[p + 1];
      if (t.text !== ',' || !opener || !closer) return false;
      const before = tokens[p - 2];
      const list = opener.text === '[' && closer.text === ']' && !endsOperand(before);
      const named = before?.kind === 'operand' && /^[A-Za-z_]/.test(before.text);
      return list || (opener.text === '{' && closer.text === '}' && !named);
    })
    .map((t) => t.start);
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
