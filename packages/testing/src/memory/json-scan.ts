/**
 * What a JSON text says that `JSON.parse` forgets and kube-apiserver's Go decoder sees:
 * the order and repeats of member keys, and number literals as written. One pass over the
 * text (which must be valid JSON: parse it first), so the typed decoder and the strict
 * field checks of every JSON body share it.
 */

/** One member key of a JSON text: its field path (`spec.containers[0].name`) and offset. */
export interface KeyOccurrence {
  readonly path: string;
  /** The path of the object holding the key (`''` at the top). */
  readonly parent: string;
  readonly key: string;
  readonly offset: number;
  /** The key already appeared in the same object. */
  readonly duplicate: boolean;
}

/** The scan of a JSON text. */
export interface JsonScan {
  /** Every member key in text order. */
  readonly keys: readonly KeyOccurrence[];
  /**
   * The number literals Go reads differently from `JSON.parse`, by path: those with a
   * fraction or an exponent (`1.0`, `1e2`: not integers to Go's `strconv.ParseInt`) and
   * those of more than 15 digits (JavaScript rounds them). Every other number is the text
   * `String(value)` writes.
   */
  readonly numbers: ReadonlyMap<string, string>;
  /** Some key starts with a digit (`JSON.parse` may then put it before the others). */
  readonly digitKeys: boolean;
}

interface Frame {
  readonly path: string;
  readonly array: boolean;
  keys: Set<string>;
  key: string;
  index: number;
  expectKey: boolean;
}

function childPath(parent: Frame | undefined): string {
  if (!parent) return '';
  if (parent.array) return `${parent.path}[${parent.index}]`;
  return parent.path ? `${parent.path}.${parent.key}` : parent.key;
}

/** Whether the character code may continue a JSON number (digits, sign, fraction, exponent). */
function inNumber(c: number): boolean {
  return (c >= 48 && c <= 57) || c === 46 || c === 101 || c === 69 || c === 45 || c === 43;
}

/** Whether the character code is `.`, `e` or `E` (a number that is not an integer to Go). */
function notInteger(c: number): boolean {
  return c === 46 || c === 101 || c === 69;
}

/**
 * Scans a JSON text: every member key with the path kube-apiserver's strict decoder names
 * it by, and the number literals `JSON.parse` does not keep (see {@link JsonScan}).
 */
export function scanJson(text: string): JsonScan {
  const keys: KeyOccurrence[] = [];
  let numbers: Map<string, string> | undefined;
  let digitKeys = false;
  const stack: Frame[] = [];
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (c === '{' || c === '[') {
      const top = stack[stack.length - 1];
      stack.push({
        path: childPath(top),
        array: c === '[',
        keys: new Set(),
        key: '',
        index: 0,
        expectKey: c === '{',
      });
    } else if (c === '}' || c === ']') {
      stack.pop();
    } else if (c === ',') {
      const top = stack[stack.length - 1];
      if (top?.array) top.index++;
      else if (top) top.expectKey = true;
    } else if (c === '"') {
      let j = i + 1;
      while (text[j] !== '"') j += text[j] === '\\' ? 2 : 1;
      const top = stack[stack.length - 1];
      if (top && !top.array && top.expectKey) {
        const key = JSON.parse(text.slice(i, j + 1)) as string;
        if (key >= '0' && key < ':') digitKeys = true;
        const path = top.path ? `${top.path}.${key}` : key;
        keys.push({ path, parent: top.path, key, offset: i, duplicate: top.keys.has(key) });
        top.keys.add(key);
        top.key = key;
        top.expectKey = false;
      }
      i = j;
    } else if (c === '-' || (c >= '0' && c <= '9')) {
      let j = i + 1;
      let integer = true;
      for (let d = text.charCodeAt(j); inNumber(d); d = text.charCodeAt(++j)) {
        if (notInteger(d)) integer = false;
      }
      if (!integer || j - i > 15) {
        numbers ??= new Map();
        numbers.set(childPath(stack[stack.length - 1]), text.slice(i, j));
      }
      i = j - 1;
    }
  }
  return { keys, numbers: numbers ?? NO_NUMBERS, digitKeys };
}

const NO_NUMBERS: ReadonlyMap<string, string> = new Map();

/** The keys of the object at `path` in text order, each once; cached per scan. */
export function keysInTextOrder(scan: JsonScan, path: string): string[] {
  let byParent = orders.get(scan);
  if (!byParent) {
    byParent = new Map();
    for (const k of scan.keys) {
      if (k.duplicate) continue;
      const list = byParent.get(k.parent);
      if (list) list.push(k.key);
      else byParent.set(k.parent, [k.key]);
    }
    orders.set(scan, byParent);
  }
  return byParent.get(path) ?? [];
}

const orders = new WeakMap<JsonScan, Map<string, string[]>>();

/**
 * Go's `strconv` quoting of the byte a JSON syntax error names (`'x'`, `'\n'`, `'\x00'`):
 * Go's scanner reads bytes, so a character outside ASCII is named by the first byte of its
 * UTF-8 form, read as the character of that code (`é` is `'Ã'`).
 */
export function goQuotedByte(c: string): string {
  let code = c.charCodeAt(0);
  if (code >= 0x80) code = Buffer.from(c)[0]!;
  const named: Record<number, string> = {
    7: '\\a',
    8: '\\b',
    9: '\\t',
    10: '\\n',
    11: '\\v',
    12: '\\f',
    13: '\\r',
    39: "\\'",
    92: '\\\\',
  };
  const hex = (width: number) => code.toString(16).padStart(width, '0');
  let text = named[code];
  if (text === undefined) {
    if (code < 0x20 || code === 0x7f) text = `\\x${hex(2)}`;
    else if ((code >= 0x80 && code <= 0xa0) || code === 0xad) text = `\\u${hex(4)}`;
    else text = String.fromCharCode(code);
  }
  return `'${text}'`;
}

/** What a JSON container expects next (Go's scanner parse states). */
enum Expect {
  ObjectKey,
  ObjectValue,
  ArrayValue,
}

/** The literal words a value may be and the contexts Go names their letters by. */
const LITERALS: Record<string, string> = { t: 'true', f: 'false', n: 'null' };

const isSpace = (c: string) => c === ' ' || c === '\t' || c === '\r' || c === '\n';
const isDigit = (c: string) => c >= '0' && c <= '9';
const isHex = (c: string) => isDigit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');

/**
 * The syntax error Go's `encoding/json` (and sigs.k8s.io/json) reports for a JSON text,
 * in its words (`invalid character 'x' looking for beginning of value`, `… after object
 * key`, `unexpected end of JSON input`), or undefined for valid JSON. Its scanner, as
 * kube-apiserver's decoders run it over the whole text before decoding; called only once
 * `JSON.parse` has refused a text, so valid bodies never pay for it.
 */
export function goJsonSyntaxError(text: string): string | undefined {
  const stack: Expect[] = [];
  // The scanner's state: what the next character may be.
  let state = 'value';
  // In a literal: its first letter and the letters still expected.
  let literalWord = '';
  let literal = '';
  let hexLeft = 0;
  const invalid = (c: string, context: string) => `invalid character ${goQuotedByte(c)} ${context}`;
  /** After a value: the container's next separator, or the end of the text. */
  const endValue = (c: string): string | undefined => {
    const top = stack[stack.length - 1];
    if (top === undefined) {
      state = 'end';
      return isSpace(c) ? undefined : invalid(c, 'after top-level value');
    }
    state = 'endValue';
    if (isSpace(c)) return undefined;
    if (top === Expect.ObjectKey) {
      if (c !== ':') return invalid(c, 'after object key');
      stack[stack.length - 1] = Expect.ObjectValue;
      state = 'value';
    } else if (top === Expect.ObjectValue) {
      if (c === ',') {
        stack[stack.length - 1] = Expect.ObjectKey;
        state = 'key';
      } else if (c === '}') pop();
      else return invalid(c, 'after object key:value pair');
    } else if (c === ',') state = 'value';
    else if (c === ']') pop();
    else return invalid(c, 'after array element');
    return undefined;
  };
  const pop = () => {
    stack.pop();
    state = stack.length === 0 ? 'end' : 'endValue';
  };
  const step = (c: string): string | undefined => {
    switch (state) {
      case 'valueOrEmpty':
        if (c !== ']') return isSpace(c) ? undefined : beginValue(c);
        pop();
        return undefined;
      case 'value':
        return isSpace(c) ? undefined : beginValue(c);
      case 'keyOrEmpty':
        if (isSpace(c)) return undefined;
        if (c === '}') {
          pop();
          return undefined;
        }
        return beginKey(c);
      case 'key':
        return isSpace(c) ? undefined : beginKey(c);
      case 'string':
        if (c === '"') state = 'endValue';
        else if (c === '\\') state = 'escape';
        else if (c.charCodeAt(0) < 0x20) return invalid(c, 'in string literal');
        return undefined;
      case 'escape':
        if ('bfnrt\\/"'.includes(c)) state = 'string';
        else if (c === 'u') {
          state = 'hex';
          hexLeft = 4;
        } else return invalid(c, 'in string escape code');
        return undefined;
      case 'hex':
        if (!isHex(c)) return invalid(c, 'in \\u hexadecimal character escape');
        if (--hexLeft === 0) state = 'string';
        return undefined;
      case 'neg':
        if (c === '0') state = 'zero';
        else if (c >= '1' && c <= '9') state = 'int';
        else return invalid(c, 'in numeric literal');
        return undefined;
      case 'int':
        if (isDigit(c)) return undefined;
        return afterInteger(c);
      case 'zero':
        return afterInteger(c);
      case 'dot':
        if (!isDigit(c)) return invalid(c, 'after decimal point in numeric literal');
        state = 'fraction';
        return undefined;
      case 'fraction':
        if (isDigit(c)) return undefined;
        if (c === 'e' || c === 'E') {
          state = 'exponent';
          return undefined;
        }
        return endValue(c);
      case 'exponent':
        if (c === '+' || c === '-') {
          state = 'exponentSign';
          return undefined;
        }
        return exponentDigit(c);
      case 'exponentSign':
        return exponentDigit(c);
      case 'exponentDigits':
        return isDigit(c) ? undefined : endValue(c);
      case 'literal': {
        const want = literal[0]!;
        if (c !== want) {
          return invalid(c, `in literal ${LITERALS[literalWord]} (expecting '${want}')`);
        }
        literal = literal.slice(1);
        if (literal === '') state = 'endValue';
        return undefined;
      }
      case 'endValue':
        return endValue(c);
      default:
        return isSpace(c) ? undefined : invalid(c, 'after top-level value');
    }
  };
  const beginValue = (c: string): string | undefined => {
    if (c === '{') {
      stack.push(Expect.ObjectKey);
      state = 'keyOrEmpty';
    } else if (c === '[') {
      stack.push(Expect.ArrayValue);
      state = 'valueOrEmpty';
    } else if (c === '"') state = 'string';
    else if (c === '-') state = 'neg';
    else if (c === '0') state = 'zero';
    else if (c >= '1' && c <= '9') state = 'int';
    else if (LITERALS[c] !== undefined) {
      literalWord = c;
      literal = LITERALS[c]!.slice(1);
      state = 'literal';
    } else return invalid(c, 'looking for beginning of value');
    return undefined;
  };
  const beginKey = (c: string): string | undefined => {
    if (c !== '"') return invalid(c, 'looking for beginning of object key string');
    state = 'string';
    return undefined;
  };
  const afterInteger = (c: string): string | undefined => {
    if (c === '.') state = 'dot';
    else if (c === 'e' || c === 'E') state = 'exponent';
    else return endValue(c);
    return undefined;
  };
  const exponentDigit = (c: string): string | undefined => {
    if (!isDigit(c)) return invalid(c, 'in exponent of numeric literal');
    state = 'exponentDigits';
    return undefined;
  };
  for (const c of text) {
    const error = step(c);
    if (error !== undefined) return error;
  }
  // At the end Go's scanner steps once more over a space, which ends a number but not a
  // literal (`tru` is `invalid character ' ' in literal true (expecting 'e')`).
  if (state === 'end') return undefined;
  const error = step(' ');
  if (error !== undefined) return error;
  return state === 'end' ? undefined : 'unexpected end of JSON input';
}
