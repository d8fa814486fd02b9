/**
 * The first line of a CEL evaluation error, in cel-go's spelling where cel-js's differs
 * (kube-apiserver's messages carry cel-go's text, and clients and tests match on them).
 */
export function celErrorText(e: unknown): string {
  const first = (e instanceof Error ? e.message : String(e)).split('\n')[0] ?? '';
  return first.replace(/^No such key: /, 'no such key: ');
}

/** cel-js's wording of a compile error, in cel-go's where they differ. */
function compileErrorDetail(message: string): string {
  const unknown = /^Unknown variable: (.+)$/.exec(message);
  if (unknown) return `undeclared reference to '${unknown[1]}' (in container '')`;
  return message;
}

/**
 * A compile error in cel-go's layout (`ERROR: <input>:1:5: … | self.b | ....^`), as
 * kube-apiserver's messages carry it; the wording after the position is cel-go's for
 * undeclared references, the evaluator's otherwise.
 */
export function compileErrorText(expr: string, e: Error & { range?: { start: number } }): string {
  const start = e.range?.start ?? 0;
  const col = start + 1;
  let first = compileErrorDetail(e.message.split('\n')[0] ?? '');
  // An object construction (`Name{…}`) where no such type is declared: cel-go resolves the
  // type name and finds nothing; the evaluator, which has no constructions, stops at `{`.
  const typeName = /([A-Za-z_]\w*(?:\.[A-Za-z_]\w*)*)\s*$/.exec(expr.slice(0, start));
  if (first === "Unexpected character: '{'" && typeName && expr[start] === '{') {
    first = `undeclared reference to '${typeName[1]}' (in container '')`;
  }
  return `ERROR: <input>:1:${col}: ${first}\n | ${expr}\n | ${'.'.repeat(col - 1)}^`;
}

/**
 * A type as cel-go names it in messages (`list(int)`, `map(string, dyn)`, `list(dyn)` for
 * cel-js's bare `list`, `optional_type(dyn)`).
 */
export function celTypeName(type: string): string {
  return type
    .replace(/\blist\b(?!<)/g, 'list(dyn)')
    .replace(/\bmap\b(?!<)/g, 'map(dyn, dyn)')
    .replace(/\boptional</g, 'optional_type<')
    .replace(/</g, '(')
    .replace(/>/g, ')')
    .replace(/,(?! )/g, ', ');
}
