/**
 * Regular expressions read as Go's `regexp` reads them (RE2 syntax with Perl flags), where
 * kube-apiserver reads one for a user: CEL's `matches`, the Kubernetes regex library's
 * `find` and `findAll`, and OpenAPI `pattern`. A pattern is translated to an equivalent
 * JavaScript `RegExp` (`u` flag), or refused with Go's error (`error parsing regexp:
 * invalid or unsupported Perl syntax: `(?=``). Our own code: JavaScript reads many
 * patterns otherwise (`(?i)a`, `(?P<n>a)`, `[[:alpha:]]` and `\Q…\E` are errors there;
 * lookarounds and backreferences are RE2 errors; `.` and `(?m)^` see `\r` differently).
 *
 * The parse follows `regexp/syntax`'s order of checks so that the first error is Go's:
 * flags (`i`, `m`, `s`, `U`, scoped `(?i:…)` or to the end of the group), named groups,
 * classes, escapes, repetitions (`{n,m}` up to 1000, no nesting like `a**`).
 */

import { caseOrbit } from './case-fold.js';
import {
  CharClass,
  codePointSource,
  PERL_CLASSES,
  POSIX_CLASSES,
  unicodeTable,
} from './re2-class.js';

/** Go's `regexp/syntax` error codes, as its messages word them. */
const CODES = {
  charRange: 'invalid character class range',
  escape: 'invalid escape sequence',
  namedCapture: 'invalid named capture',
  perlOp: 'invalid or unsupported Perl syntax',
  repeatOp: 'invalid nested repetition operator',
  repeatSize: 'invalid repeat count',
  missingBracket: 'missing closing ]',
  missingParen: 'missing closing )',
  missingRepeat: 'missing argument to repetition operator',
  trailingBackslash: 'trailing backslash at end of expression',
  unexpectedParen: 'unexpected )',
} as const;

/** A pattern Go's `regexp.Compile` refuses; the message is Go's. */
export class Re2SyntaxError extends Error {
  constructor(code: keyof typeof CODES, expr: string) {
    super(`error parsing regexp: ${CODES[code]}: \`${expr}\``);
    this.name = 'Re2SyntaxError';
  }
}

/** A translated pattern: the JavaScript source and flags of a `RegExp` matching as RE2 does. */
export interface Re2Translation {
  readonly source: string;
  readonly flags: string;
}

interface Flags {
  /** `i`: case-insensitive. */
  readonly fold: boolean;
  /** `m` off: `^` and `$` match at the text's ends only. */
  readonly oneLine: boolean;
  /** `s`: `.` matches `\n`. */
  readonly dotNL: boolean;
  /** `U`: repetitions prefer fewer. */
  readonly nonGreedy: boolean;
}

/** What a group or the whole pattern has read so far. */
interface Atom {
  readonly src: string;
  /** The most copies of the innermost thing counted repetitions make (Go's limit: 1000). */
  readonly weight: number;
}

interface Frame {
  readonly open: string;
  readonly flags: Flags;
  readonly alternatives: Atom[][];
  items: Atom[];
}

const isOctal = (c: string | undefined) => c !== undefined && c >= '0' && c <= '7';
const isAlnum = (c: string) => /^[A-Za-z0-9]$/.test(c);

/** Parses RE2 patterns; one instance per pattern. */
class Parser {
  private i = 0;
  private flags: Flags = { fold: false, oneLine: true, dotNL: false, nonGreedy: false };
  private readonly stack: Frame[] = [];
  private frame: Frame = { open: '', flags: this.flags, alternatives: [], items: [] };

  constructor(private readonly p: string) {}

  /** The code point at `at`, as a string ('' at the end). */
  private charAt(at: number): string {
    const cp = this.p.codePointAt(at);
    return cp === undefined ? '' : String.fromCodePoint(cp);
  }

  private push(src: string, weight = 1): void {
    this.frame.items.push({ src, weight });
  }

  private literal(cp: number): void {
    const orbit = this.flags.fold ? caseOrbit(cp) : [cp];
    this.push(
      orbit.length === 1 ? codePointSource(cp) : `[${orbit.map(codePointSource).join('')}]`,
    );
  }

  translate(): string {
    let lastRepeat = -1;
    while (this.i < this.p.length) {
      const start = this.i;
      const c = this.charAt(this.i);
      let repeated = false;
      switch (c) {
        case '(':
          if (this.p[this.i + 1] === '?') this.perlFlags();
          else this.open('(');
          break;
        case '|':
          this.frame.alternatives.push(this.frame.items);
          this.frame.items = [];
          this.i++;
          break;
        case ')':
          this.close();
          break;
        case '^':
          this.push(this.flags.oneLine ? '^' : '(?<=^|\\n)');
          this.i++;
          break;
        case '$':
          this.push(this.flags.oneLine ? '$' : '(?=\\n|$)');
          this.i++;
          break;
        case '.':
          this.push(this.flags.dotNL ? '[^]' : '[^\\n]');
          this.i++;
          break;
        case '[':
          this.charClass();
          break;
        case '*':
        case '+':
        case '?':
          this.repeat(c, start, this.i + 1, lastRepeat);
          repeated = true;
          break;
        case '{': {
          const r = this.counted();
          if (!r) {
            this.literal(0x7b);
            this.i++;
            break;
          }
          const { min, max, end } = r;
          if (min < 0 || min > 1000 || max > 1000 || (max >= 0 && min > max)) {
            throw new Re2SyntaxError('repeatSize', this.p.slice(start, end));
          }
          this.repeat(this.p.slice(start, end), start, end, lastRepeat, min, max);
          repeated = true;
          break;
        }
        case '\\':
          this.escape();
          break;
        default:
          this.literal(c.codePointAt(0) ?? 0);
          this.i += c.length;
      }
      lastRepeat = repeated ? start : -1;
    }
    if (this.stack.length > 0) throw new Re2SyntaxError('missingParen', this.p);
    return this.joined(this.frame);
  }

  private joined(f: Frame): string {
    return [...f.alternatives, f.items].map((a) => a.map((x) => x.src).join('')).join('|');
  }

  private open(open: string): void {
    this.stack.push(this.frame);
    this.frame = { open, flags: this.flags, alternatives: [], items: [] };
    this.i += open === '(' ? 1 : 0;
  }

  private close(): void {
    const f = this.frame;
    const outer = this.stack.pop();
    if (!outer) throw new Re2SyntaxError('unexpectedParen', this.p);
    const weight = Math.max(1, ...[...f.alternatives, f.items].flat().map((a) => a.weight));
    this.frame = outer;
    this.flags = f.flags;
    this.push(`${f.open}${this.joined(f)})`, weight);
    this.i++;
  }

  /** `(?…`: a named group, a non-capturing group, or flags (Go's `parsePerlFlags`). */
  private perlFlags(): void {
    const s = this.i;
    const t = this.p.slice(s);
    const withP = t.length > 4 && t[2] === 'P' && t[3] === '<';
    if (withP || (t.length > 3 && t[2] === '<')) {
      const end = t.indexOf('>');
      if (end < 0) throw new Re2SyntaxError('namedCapture', t);
      const name = t.slice(withP ? 4 : 3, end);
      if (!/^[A-Za-z0-9_]+$/.test(name)) {
        throw new Re2SyntaxError('namedCapture', t.slice(0, end + 1));
      }
      this.open('(');
      this.i = s + end + 1;
      return;
    }
    let j = s + 2;
    let { fold, oneLine, dotNL, nonGreedy } = this.flags;
    let negate = false;
    let sawFlag = false;
    while (j < this.p.length) {
      const c = this.charAt(j);
      j += c.length;
      if (c === 'i' || c === 'm' || c === 's' || c === 'U') {
        if (c === 'i') fold = !negate;
        if (c === 'm') oneLine = negate;
        if (c === 's') dotNL = !negate;
        if (c === 'U') nonGreedy = !negate;
        sawFlag = true;
      } else if (c === '-' && !negate) {
        negate = true;
        sawFlag = false;
      } else if ((c === ':' || c === ')') && !(negate && !sawFlag)) {
        if (c === ':') this.open('(?:');
        this.flags = { fold, oneLine, dotNL, nonGreedy };
        this.i = j;
        return;
      } else break;
    }
    throw new Re2SyntaxError('perlOp', this.p.slice(s, j));
  }

  /** `{n}`, `{n,}` or `{n,m}` at `i` (Go's `parseRepeat`); undefined if it is none. */
  private counted(): { min: number; max: number; end: number } | undefined {
    const m = /^\{(0|[1-9]\d*)(,(0|[1-9]\d*)?)?\}/.exec(this.p.slice(this.i));
    if (!m) return undefined;
    // Go gives up on numbers of ten digits or more (-1: too big).
    const int = (d: string) => (d.length > 9 ? -1 : Number(d));
    let min = int(m[1] ?? '');
    const max = m[2] === undefined ? min : m[3] === undefined ? -1 : int(m[3]);
    if (m[3] !== undefined && max < 0) min = -1;
    return { min, max, end: this.i + m[0].length };
  }

  /** A repetition of the last atom (Go's `repeat`): `op` is `*`, `+`, `?` or `{…}`. */
  private repeat(op: string, start: number, end: number, lastRepeat: number, min = 0, max = 0) {
    let after = end;
    let lazy = this.flags.nonGreedy;
    if (this.p[after] === '?') {
      after++;
      lazy = !lazy;
    }
    if (lastRepeat >= 0) throw new Re2SyntaxError('repeatOp', this.p.slice(lastRepeat, after));
    const last = this.frame.items.pop();
    if (!last) throw new Re2SyntaxError('missingRepeat', this.p.slice(start, after));
    let weight = last.weight;
    if (op.startsWith('{')) {
      const m = max < 0 ? min : max;
      if (m > 0) weight *= m;
      if ((min >= 2 || max >= 2) && m > 0 && weight > 1000) {
        throw new Re2SyntaxError('repeatSize', this.p.slice(start, after));
      }
      if (m === 0) weight = 1;
    }
    this.push(`(?:${last.src})${op}${lazy ? '?' : ''}`, weight);
    this.i = after;
  }

  /** An escape outside a class: assertions, `\Q…\E`, classes, or one character. */
  private escape(): void {
    const c = this.p[this.i + 1];
    const simple: Record<string, string> = { A: '^', z: '$', b: '\\b', B: '\\B' };
    if (c !== undefined && simple[c] !== undefined) {
      this.push(simple[c]);
      this.i += 2;
      return;
    }
    if (c === 'C') throw new Re2SyntaxError('escape', '\\C');
    if (c === 'Q') {
      const end = this.p.indexOf('\\E', this.i + 2);
      const quoted = this.p.slice(this.i + 2, end < 0 ? undefined : end);
      for (const ch of quoted) this.literal(ch.codePointAt(0) ?? 0);
      this.i = end < 0 ? this.p.length : end + 2;
      return;
    }
    const cls = new CharClass();
    if (this.classEscape(cls)) {
      this.push(cls.source(false));
      return;
    }
    this.literal(this.escapedChar());
  }

  /** A `\p`, `\P` or Perl class escape at `i`, added to `cls`; false if there is none. */
  private classEscape(cls: CharClass): boolean {
    const s = this.i;
    const c = this.p[s + 1];
    if (c === 'p' || c === 'P') {
      let name: string;
      let end: number;
      if (this.p[s + 2] === '{') {
        const close = this.p.indexOf('}', s);
        if (close < 0) throw new Re2SyntaxError('charRange', this.p.slice(s));
        name = this.p.slice(s + 3, close);
        end = close + 1;
      } else {
        name = this.charAt(s + 2);
        end = s + 2 + name.length;
      }
      let negate = c === 'P';
      if (name.startsWith('^')) {
        negate = !negate;
        name = name.slice(1);
      }
      const table = unicodeTable(name);
      if (!table) throw new Re2SyntaxError('charRange', this.p.slice(s, end));
      cls.addTable(table, this.flags.fold, negate);
      this.i = end;
      return true;
    }
    const key = c?.toLowerCase() ?? '';
    const perl = Object.hasOwn(PERL_CLASSES, key) ? PERL_CLASSES[key] : undefined;
    if (!perl || c === undefined) return false;
    cls.addRanges(perl, this.flags.fold, c !== c.toLowerCase());
    this.i = s + 2;
    return true;
  }

  /** One escaped character at `i` (Go's `parseEscape`), its code point. */
  private escapedChar(): number {
    const s = this.i;
    if (s + 1 >= this.p.length) throw new Re2SyntaxError('trailingBackslash', '');
    const c = this.charAt(s + 1);
    let j = s + 1 + c.length;
    const fail = (): never => {
      throw new Re2SyntaxError('escape', this.p.slice(s, j));
    };
    const done = (cp: number) => {
      this.i = j;
      return cp;
    };
    if (c.length === 1 && c < '\x80' && !isAlnum(c)) return done(c.charCodeAt(0));
    if (c >= '1' && c <= '7' && !isOctal(this.p[j])) return fail();
    if (c >= '0' && c <= '7') {
      let r = Number(c);
      for (let k = 1; k < 3 && isOctal(this.p[j]); k++) r = r * 8 + Number(this.p[j++]);
      return done(r);
    }
    if (c === 'x') {
      if (j >= this.p.length) return fail();
      if (this.p[j] === '{') {
        j++;
        let r = 0;
        let digits = 0;
        for (;;) {
          if (j >= this.p.length) return fail();
          const h = this.charAt(j);
          j += h.length;
          if (h === '}') break;
          if (!/^[0-9A-Fa-f]$/.test(h)) return fail();
          r = r * 16 + Number.parseInt(h, 16);
          if (r > 0x10ffff) return fail();
          digits++;
        }
        return digits === 0 ? fail() : done(r);
      }
      const x = this.charAt(j);
      j += x.length;
      const y = this.charAt(j);
      j += y.length;
      if (!/^[0-9A-Fa-f]$/.test(x) || !/^[0-9A-Fa-f]$/.test(y)) return fail();
      return done(Number.parseInt(x + y, 16));
    }
    const named: Record<string, number> = { a: 7, f: 12, n: 10, r: 13, t: 9, v: 11 };
    return named[c] === undefined ? fail() : done(named[c]);
  }

  /** A bracketed class at `i` (Go's `parseClass`). */
  private charClass(): void {
    const whole = this.p.slice(this.i);
    const cls = new CharClass();
    this.i++;
    const negate = this.p[this.i] === '^';
    if (negate) this.i++;
    let first = true;
    while (this.i >= this.p.length || this.p[this.i] !== ']' || first) {
      first = false;
      if (this.p.startsWith('[:', this.i) && this.p.length - this.i > 2) {
        const end = this.p.indexOf(':]', this.i + 2);
        if (end >= 0) {
          const name = this.p.slice(this.i, end + 2);
          const neg = name[2] === '^';
          const key = name.slice(neg ? 3 : 2, -2);
          const ranges = Object.hasOwn(POSIX_CLASSES, key) ? POSIX_CLASSES[key] : undefined;
          if (!ranges) throw new Re2SyntaxError('charRange', name);
          cls.addRanges(ranges, this.flags.fold, neg);
          this.i = end + 2;
          continue;
        }
      }
      if (this.p[this.i] === '\\' && this.classEscape(cls)) continue;
      const from = this.i;
      const lo = this.classChar(whole);
      let hi = lo;
      if (this.p[this.i] === '-' && this.i + 1 < this.p.length && this.p[this.i + 1] !== ']') {
        this.i++;
        hi = this.classChar(whole);
        if (hi < lo) throw new Re2SyntaxError('charRange', this.p.slice(from, this.i));
      }
      cls.addRanges([[lo, hi]], this.flags.fold);
    }
    this.i++;
    this.push(cls.source(negate));
  }

  private classChar(whole: string): number {
    if (this.i >= this.p.length) throw new Re2SyntaxError('missingBracket', whole);
    if (this.p[this.i] === '\\') return this.escapedChar();
    const c = this.charAt(this.i);
    this.i += c.length;
    return c.codePointAt(0) ?? 0;
  }
}

const cache = new Map<string, RegExp | Re2SyntaxError>();

/**
 * The JavaScript translation of the RE2 pattern `pattern` (source and flags of a `RegExp`
 * that matches what Go's `regexp` matches), or throws {@link Re2SyntaxError} with Go's
 * message when Go refuses the pattern.
 */
export function translateRe2(pattern: string): Re2Translation {
  return { source: new Parser(pattern).translate(), flags: 'u' };
}

/** A `RegExp` matching as Go's `regexp.Compile(pattern)` does (cached); throws Go's error. */
export function re2RegExp(pattern: string): RegExp {
  let r = cache.get(pattern);
  if (!r) {
    try {
      const t = translateRe2(pattern);
      r = new RegExp(t.source, t.flags);
    } catch (e) {
      if (!(e instanceof Re2SyntaxError)) throw e;
      r = e;
    }
    if (cache.size > 1000) cache.clear();
    cache.set(pattern, r);
  }
  if (r instanceof Re2SyntaxError) throw r;
  return r;
}

/** Go's error for `pattern` (`error parsing regexp: …`), or undefined when Go compiles it. */
export function re2Error(pattern: string): string | undefined {
  try {
    re2RegExp(pattern);
    return undefined;
  } catch (e) {
    if (e instanceof Re2SyntaxError) return e.message;
    throw e;
  }
}

/** Whether Go's regexp refuses `pattern`. */
export function re2Refuses(pattern: string): boolean {
  return re2Error(pattern) !== undefined;
}

/**
 * The matches of `pattern` in `s` as Go's `FindAllString(s, n)` gives them: successive
 * non-overlapping matches, an empty match right after a match left out, at most `n` when
 * `n` is not negative.
 */
export function re2FindAll(pattern: string, s: string, n = -1): string[] {
  const re = new RegExp(re2RegExp(pattern).source, 'gu');
  const out: string[] = [];
  let pos = 0;
  let prevEnd = -1;
  while ((n < 0 || out.length < n) && pos <= s.length) {
    re.lastIndex = pos;
    const m = re.exec(s);
    if (!m) break;
    const end = m.index + m[0].length;
    let accept = true;
    if (end === pos) {
      if (m.index === prevEnd) accept = false;
      pos += pos < s.length ? String.fromCodePoint(s.codePointAt(pos) ?? 0).length : 1;
    } else pos = end;
    prevEnd = end;
    if (accept) out.push(m[0]);
  }
  return out;
}
