/**
 * Regular expressions Go's `regexp` (RE2 syntax, what cel-go's `matches` compiles) refuses
 * though JavaScript's `RegExp` accepts them: lookarounds (`(?=`, `(?!`, `(?<=`, `(?<!`),
 * backreferences (`\1`; a non-zero digit not followed by octal digits), and escapes of
 * letters RE2 does not know (`\Z`, `\e`, `\E` outside `\Q…\E`), which JavaScript reads as
 * the letter itself. Our own scan, kept to the refusals that matter: cel-go refuses such
 * a literal pattern when the expression is compiled (`invalid matches argument`).
 */

/** The letters RE2 knows after a backslash outside a character class. */
const ESCAPES = new Set('aftnrvxpPdDsSwWbBAzQ');
/** Inside a character class the assertions (`\b`, `\B`, `\A`, `\z`) and `\Q` are refused. */
const CLASS_ESCAPES = new Set('aftnrvxpPdDsSwW');

/** Whether the escape at `i` (its backslash) of `pattern` is one RE2 refuses. */
function refusedEscape(pattern: string, i: number, inClass: boolean): boolean {
  const c = pattern[i + 1] ?? '';
  if (/[1-7]/.test(c)) return !/[0-7]/.test(pattern[i + 2] ?? '');
  if (c === '8' || c === '9') return true;
  if (!/[A-Za-z]/.test(c)) return false;
  return !(inClass ? CLASS_ESCAPES : ESCAPES).has(c);
}

/** Whether Go's regexp refuses `pattern` for one of the reasons this module covers. */
export function re2Refuses(pattern: string): boolean {
  let inClass = false;
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === '\\') {
      if (!inClass && pattern[i + 1] === 'Q') {
        // Quoted text up to `\E` (or the end) is literal.
        const end = pattern.indexOf('\\E', i + 2);
        if (end < 0) return false;
        i = end + 1;
        continue;
      }
      if (refusedEscape(pattern, i, inClass)) return true;
      i++;
      continue;
    }
    if (inClass) {
      if (c === ']') inClass = false;
      continue;
    }
    if (c === '[') {
      inClass = true;
      // A `]` first in the class (after an optional `^`) is a literal.
      if (pattern[i + 1] === '^') i++;
      if (pattern[i + 1] === ']') i++;
      continue;
    }
    if (c === '(' && /^\(\?(?:=|!|<=|<!)/.test(pattern.slice(i))) return true;
  }
  return false;
}
