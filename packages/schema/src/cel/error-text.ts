/**
 * The first line of a CEL evaluation error, in cel-go's spelling where cel-js's differs
 * (kube-apiserver's messages carry cel-go's text, and clients and tests match on them).
 */
export function celErrorText(e: unknown): string {
  const first = (e instanceof Error ? e.message : String(e)).split('\n')[0] ?? '';
  return first.replace(/^No such key: /, 'no such key: ');
}
