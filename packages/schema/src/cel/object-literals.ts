/**
 * CEL object construction (`Object{spec: Object.spec{replicas: 3}}`,
 * `JSONPatch{op: "add", path: "/x", value: 1}`), which MutatingAdmissionPolicy mutations
 * are written in, rewritten to map literals (`{"spec": {"replicas": 3}}`) before they are
 * compiled. kube-apiserver types these objects from the schema of the resource being
 * admitted; the evaluator this package uses has no object construction, and a mutation's
 * result is only ever used as JSON (merged into the object, or read as JSON Patch
 * operations), so a map with the same fields gives the same result. Field names become
 * string keys; `?field` (an optional field) becomes `?"field"` (an optional map entry).
 */

const KEYWORDS = new Set(['in', 'true', 'false', 'null']);
const IDENT_START = /[A-Za-z_]/;
const IDENT_PART = /[A-Za-z0-9_]/;

/** The end (exclusive) of the string literal that starts at `i` (its prefix letters included). */
function stringEnd(src: string, i: number): number {
  let j = i;
  let raw = false;
  while (/[rRbB]/.test(src[j] ?? '')) {
    if (/[rR]/.test(src[j] ?? '')) raw = true;
    j++;
  }
  const quote = src[j] ?? '';
  const triple = src.startsWith(quote.repeat(3), j);
  const close = triple ? quote.repeat(3) : quote;
  j += close.length;
  while (j < src.length) {
    if (!raw && src[j] === '\\') {
      j += 2;
      continue;
    }
    if (src.startsWith(close, j)) return j + close.length;
    if (!triple && src[j] === '\n') return j;
    j++;
  }
  return j;
}

/** Whether a string literal starts at `i` (a quote, or r/b prefixes then a quote). */
function startsString(src: string, i: number): boolean {
  let j = i;
  while (j < i + 2 && /[rRbB]/.test(src[j] ?? '')) j++;
  return src[j] === '"' || src[j] === "'";
}

function skipSpace(src: string, i: number): number {
  let j = i;
  while (j < src.length && /\s/.test(src[j] ?? '')) j++;
  return j;
}

function identEnd(src: string, i: number): number {
  let j = i;
  while (j < src.length && IDENT_PART.test(src[j] ?? '')) j++;
  return j;
}

/**
 * Where the `{` of an object construction is, when a (dotted) type name starting at `i`
 * is followed by one; -1 otherwise.
 */
function constructionBrace(src: string, i: number): number {
  let j = identEnd(src, i);
  if (KEYWORDS.has(src.slice(i, j))) return -1;
  for (;;) {
    const k = skipSpace(src, j);
    if (src[k] === '{') return k;
    if (src[k] !== '.') return -1;
    const n = skipSpace(src, k + 1);
    if (!IDENT_START.test(src[n] ?? '')) return -1;
    j = identEnd(src, n);
  }
}

/** An expression rewritten, with the source position of each of its characters. */
export interface Rewritten {
  /** The rewritten expression. */
  readonly text: string;
  /** `origin[i]`: the index in the source of the character at `i` of `text`. */
  readonly origin: readonly number[];
}

/**
 * `expression` with every object construction written as a map literal, or, with
 * `wrap`, as the map literal passed to the function `wrap` names for the construction's
 * type (`Object.spec{a: 1}` → `f({"a": 1})` when `wrap('Object.spec')` is `f`), so a type
 * checker can tell an object from a map.
 */
export function rewriteConstructions(
  expression: string,
  wrap?: (typeName: string) => string,
): Rewritten {
  const src = expression;
  let out = '';
  const origin: number[] = [];
  const emit = (text: string, at: number) => {
    out += text;
    for (let k = 0; k < text.length; k++) origin.push(at);
  };
  const copy = (from: number, to: number) => {
    out += src.slice(from, to);
    for (let k = from; k < to; k++) origin.push(k);
  };
  /** Per open bracket: whether it opened an object construction. */
  const frames: boolean[] = [];
  /**
   * Per open bracket: whether a construction field's value is open. Each value is passed
   * through `dyn(…)`, so the fields' map literal is homogeneous (as an object's fields
   * need not be) for an environment that wants literals homogeneous.
   */
  const openValue: boolean[] = [];
  const closeValue = (at: number) => {
    if (openValue.at(-1)) emit(')', at);
    openValue[openValue.length - 1] = false;
  };
  let expectField = false;
  let i = 0;
  while (i < src.length) {
    const c = src[i] ?? '';
    if (/\s/.test(c)) {
      copy(i, i + 1);
      i++;
      continue;
    }
    if (c === '/' && src[i + 1] === '/') {
      const end = src.indexOf('\n', i);
      const stop = end < 0 ? src.length : end;
      copy(i, stop);
      i = stop;
      continue;
    }
    if (startsString(src, i)) {
      const end = stringEnd(src, i);
      copy(i, end);
      i = end;
      expectField = false;
      continue;
    }
    if (IDENT_START.test(c)) {
      const end = identEnd(src, i);
      if (expectField && src[skipSpace(src, end)] === ':') {
        // An optional field (`?f: …`) keeps its optional value as it is.
        const optional = out.trimEnd().at(-1) === '?';
        emit(JSON.stringify(src.slice(i, end)), i);
        const colon = skipSpace(src, end);
        copy(end, colon + 1);
        if (!optional) emit('dyn(', colon + 1);
        openValue[openValue.length - 1] = !optional;
        i = colon + 1;
        expectField = false;
        continue;
      }
      const brace = constructionBrace(src, i);
      const prev = out.trimEnd().at(-1);
      if (brace >= 0 && prev !== '.') {
        const typeName = src.slice(i, brace).replace(/\s/g, '');
        // Located at its `{`, where cel-go locates a construction.
        emit(wrap ? `${wrap(typeName)}({` : '{', wrap ? brace : i);
        frames.push(true);
        openValue.push(false);
        expectField = true;
        i = brace + 1;
        continue;
      }
      copy(i, end);
      i = end;
      expectField = false;
      continue;
    }
    if (c === '?' && expectField) {
      copy(i, i + 1);
      i++;
      continue;
    }
    if (c === '{' || c === '(' || c === '[') {
      frames.push(false);
      openValue.push(false);
    } else if (c === '}' || c === ')' || c === ']') {
      if (frames.at(-1) === true && c === '}') closeValue(i);
      openValue.pop();
      if (frames.pop() === true && wrap && c === '}') {
        emit('})', i);
        expectField = false;
        i++;
        continue;
      }
    } else if (c === ',' && frames.at(-1) === true) closeValue(i);
    expectField = c === ',' && frames.at(-1) === true;
    copy(i, i + 1);
    i++;
  }
  return { text: out, origin };
}

/** `expression` with every object construction written as a map literal. */
export function objectsAsMaps(expression: string): string {
  return rewriteConstructions(expression).text;
}

/** A field of an object construction: its name, where its `:` is, its value's text. */
export interface ConstructionField {
  readonly name: string;
  /** The index of the `:` after the name in the expression. */
  readonly colon: number;
  readonly value: string;
}

/** The end (exclusive) of the bracketed text opened at `open`, strings skipped. */
function closingEnd(src: string, open: number): number {
  let depth = 0;
  let i = open;
  while (i < src.length) {
    if (startsString(src, i) && !IDENT_PART.test(src[i - 1] ?? '')) {
      i = stringEnd(src, i);
      continue;
    }
    const c = src[i];
    if (c === '{' || c === '(' || c === '[') depth++;
    else if (c === '}' || c === ')' || c === ']') {
      depth--;
      if (depth === 0) return i + 1;
    }
    i++;
  }
  return src.length;
}

/** The top-level fields of the construction body between `open` (`{`) and `close` (`}`). */
function fieldsOf(src: string, open: number, close: number): ConstructionField[] {
  const fields: ConstructionField[] = [];
  let i = open + 1;
  while (i < close) {
    const start = skipSpace(src, i);
    if (!IDENT_START.test(src[start] ?? '')) break;
    const nameEnd = identEnd(src, start);
    const colon = skipSpace(src, nameEnd);
    if (src[colon] !== ':') break;
    let j = colon + 1;
    while (j < close && src[j] !== ',') {
      if (startsString(src, j)) j = stringEnd(src, j);
      else if ('{(['.includes(src[j] ?? '')) j = closingEnd(src, j);
      else j++;
    }
    fields.push({ name: src.slice(start, nameEnd), colon, value: src.slice(colon + 1, j).trim() });
    i = j + 1;
  }
  return fields;
}

/** The constructions of type `typeName` in `expression`, each with its top-level fields. */
export function constructionsOf(expression: string, typeName: string): ConstructionField[][] {
  const out: ConstructionField[][] = [];
  let i = 0;
  while (i < expression.length) {
    if (startsString(expression, i) && !IDENT_PART.test(expression[i - 1] ?? '')) {
      i = stringEnd(expression, i);
      continue;
    }
    const c = expression[i] ?? '';
    if (IDENT_START.test(c) && !IDENT_PART.test(expression[i - 1] ?? '')) {
      const brace = constructionBrace(expression, i);
      const before = expression.slice(0, i).trimEnd().at(-1);
      if (brace >= 0 && before !== '.' && expression.slice(i, brace).trim() === typeName) {
        out.push(fieldsOf(expression, brace, closingEnd(expression, brace) - 1));
      }
      i = identEnd(expression, i);
      continue;
    }
    i++;
  }
  return out;
}
