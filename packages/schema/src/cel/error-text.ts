import { kubeTypeNames } from './object-types.js';

/**
 * The first line of a CEL evaluation error, in cel-go's spelling where cel-js's differs
 * (kube-apiserver's messages carry cel-go's text, and clients and tests match on them).
 */
export function celErrorText(e: unknown): string {
  const first = (e instanceof Error ? e.message : String(e)).split('\n')[0] ?? '';
  // cel-js names the value of an int overflow and capitalizes a uint one; cel-go does neither.
  return first
    .replace(/^No such key: /, 'no such key: ')
    .replace(/^integer overflow: -?\d+$/, 'integer overflow')
    .replace(/^Unsigned integer overflow$/, 'unsigned integer overflow');
}

/** cel-js's wording of a compile error, in cel-go's where they differ. */
function compileErrorDetail(message: string): string {
  const unknown = /^Unknown variable: (.+)$/.exec(message);
  if (unknown) return `undeclared reference to '${unknown[1]}' (in container '')`;
  // A list or map literal whose elements differ in type (aggregate literals are homogeneous).
  const mixed =
    /^(?:List elements must have the same type|Map key uses wrong type|Map value uses wrong type), (expected type '.+' but found '.+')$/.exec(
      message,
    );
  if (mixed) return celTypeName(mixed[1] ?? '');
  return message;
}

/**
 * A compile error in cel-go's layout (`ERROR: <input>:1:5: … | self.b | ....^`), as
 * kube-apiserver's messages carry it; the wording after the position is cel-go's for
 * undeclared references, the evaluator's otherwise.
 */
export function compileErrorText(expr: string, e: Error & { range?: { start: number } }): string {
  let start = e.range?.start ?? 0;
  const detail = compileErrorDetail(e.message.split('\n')[0] ?? '');
  // cel-go locates a member selection (`object.a`) at its `.`, the evaluator at the field.
  if (detail.startsWith('expected type ') && expr[start - 1] === '.') start -= 1;
  let first = detail;
  // A name read from the root scope (`.nosuch`) is named with its dot (see leadingDots).
  const undeclared = /^undeclared reference to '(\w+)'/.exec(first);
  if (undeclared && /(?:^|[^\w\s)\]}'"])\s*\.\s*$/.test(expr.slice(0, start))) {
    first = first.replace(`'${undeclared[1]}'`, `'.${undeclared[1]}'`);
  }
  // An object construction (`Name{…}`) where no such type is declared: cel-go resolves the
  // type name and finds nothing; the evaluator, which has no constructions, stops at `{`.
  const typeName = /([A-Za-z_]\w*(?:\.[A-Za-z_]\w*)*)\s*$/.exec(expr.slice(0, start));
  const atBrace = first === "Unexpected character: '{'" || /^Expected \w+, got LBRACE$/.test(first);
  if (atBrace && typeName && expr[start] === '{') {
    first = `undeclared reference to '${typeName[1]}' (in container '')`;
  }
  return celGoLayout(expr, start, first);
}

/** Whether cel-go marks a character as wide (more than one byte in UTF-8). */
const wide = (c: string | undefined) => c !== undefined && (c.codePointAt(0) ?? 0) > 0x7f;

/**
 * An error at `offset` (a JavaScript string index) of `expr` in cel-go's layout: `ERROR:
 * <input>:L:C: message` with the column in characters (1-based), the line quoted with tabs
 * as spaces, and a caret under the place, a wide character (`．`, `＾`) for a non-ASCII one.
 */
export function celGoLayout(expr: string, offset: number, message: string): string {
  const lineStart = expr.lastIndexOf('\n', offset - 1) + 1;
  const line = expr.slice(0, lineStart).split('\n').length;
  const lineEnd = expr.indexOf('\n', lineStart);
  const source = expr.slice(lineStart, lineEnd < 0 ? expr.length : lineEnd).replaceAll('\t', ' ');
  const before = [...expr.slice(lineStart, offset)];
  const dots = before.map((c) => (wide(c) ? '．' : '.')).join('');
  const caret = wide([...expr.slice(offset)][0]) ? '＾' : '^';
  return `ERROR: <input>:${line}:${before.length + 1}: ${kubeTypeNames(message)}\n | ${source}\n | ${dots}${caret}`;
}

/**
 * A type as cel-go names it in messages (`list(int)`, `map(string, dyn)`, `list(dyn)` for
 * cel-js's bare `list`, `optional_type(dyn)`).
 */
export function celTypeName(type: string): string {
  return kubeTypeNames(type)
    .replace(/\blist\b(?!<)/g, 'list(dyn)')
    .replace(/\bmap\b(?!<)/g, 'map(dyn, dyn)')
    .replace(/\boptional</g, 'optional_type<')
    .replace(/</g, '(')
    .replace(/>/g, ')')
    .replace(/,(?! )/g, ', ');
}
