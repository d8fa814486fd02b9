/**
 * Raw bytes literals (`br'…'`, `bR"…"`, `BR'''…'''`: CEL's BYTES token over a raw string),
 * which cel-go reads and kube-apiserver therefore takes, but the evaluator we use does not
 * lex (it knows `b'…'` and `r'…'` only). Each is given to the evaluator as the plain bytes
 * literal of the same bytes, of the same length where it can be (see
 * {@link withoutRawBytes}), so the evaluator's positions still fit the expression.
 */

/**
 * Where the string literal whose opening quote is at `at` ends (past its closing quote),
 * undefined if it does not end; `raw`: backslashes escape nothing.
 */
export function literalEnd(text: string, at: number, raw: boolean): number | undefined {
  const quote = text[at]!;
  const triple = text.startsWith(quote.repeat(3), at);
  const closer = triple ? quote.repeat(3) : quote;
  for (let i = at + closer.length; i < text.length; i++) {
    if (text.startsWith(closer, i)) return i + closer.length;
    if (!triple && (text[i] === '\n' || text[i] === '\r')) return undefined;
    if (!raw && text[i] === '\\') i++;
  }
  return undefined;
}

/**
 * `expression` with each raw bytes literal written as a plain one (`b'…'`, its backslashes
 * doubled). Without a backslash a space stands where the `r` was dropped and with one the
 * doubled backslash takes its place, so the length is kept; with more the literal grows by
 * one character per further backslash.
 */
export function withoutRawBytes(expression: string): string {
  if (!/[bB][rR]["']/.test(expression)) return expression;
  let out = '';
  let i = 0;
  while (i < expression.length) {
    const c = expression[i]!;
    if (expression.startsWith('//', i)) {
      const nl = expression.indexOf('\n', i);
      const end = nl < 0 ? expression.length : nl;
      out += expression.slice(i, end);
      i = end;
      continue;
    }
    const word = /^[A-Za-z_0-9]+/.exec(expression.slice(i))?.[0];
    const quote =
      word === undefined ? c === '"' || c === "'" : /^["']/.test(expression.slice(i + word.length));
    if (!quote) {
      out += word ?? c;
      i += word?.length ?? 1;
      continue;
    }
    const prefix = (word ?? '').toLowerCase();
    const at = i + (word?.length ?? 0);
    const literal = ['', 'r', 'b', 'br'].includes(prefix);
    const end = literal ? literalEnd(expression, at, prefix.includes('r')) : at;
    if (end === undefined) return out + expression.slice(i);
    if (prefix !== 'br') {
      out += expression.slice(i, end);
      i = end;
      continue;
    }
    const body = expression.slice(at, end);
    const slashes = body.split('\\').length - 1;
    out += `${slashes === 0 ? ' ' : ''}${word![0]}${body.replaceAll('\\', '\\\\')}`;
    i = end;
  }
  return out;
}
