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
