/**
 * YAML syntax errors in go-yaml v2's words (kube-apiserver reads YAML bodies with it): the
 * `yaml` package finds the error, and this module words it as libyaml's scanner or parser
 * would, with its line rule. A scanner error names the 1-based line of the problem, a
 * parser error the 0-based one, and neither names line 0 (so a problem on the first line
 * has no `line N: `). Own code because the two parsers see the same mistakes at different
 * places; each rule below says which mistake it words.
 */
import type { YAMLError } from 'yaml';

/** go-yaml's words for a `!!binary` scalar that is not standard, padded base64. */
export const BAD_BINARY = '!!binary value contains invalid base64 data';

/** The 0-based line of an offset in `text`. */
function lineAt(text: string, at: number): number {
  let line = 0;
  for (let i = text.indexOf('\n'); i !== -1 && i < at; i = text.indexOf('\n', i + 1)) line++;
  return line;
}

/** go-yaml's message for a problem its scanner found on a 0-based line. */
function scannerError(line: number, problem: string): string {
  return line + 1 > 1 ? `yaml: line ${line + 1}: ${problem}` : `yaml: ${problem}`;
}

/** go-yaml's message for a problem its parser found on a 0-based line. */
function parserError(line: number, problem: string): string {
  return line > 0 ? `yaml: line ${line}: ${problem}` : `yaml: ${problem}`;
}

/** The line libyaml's stream end is on: the end of the text, on a line of its own. */
function endLine(text: string): number {
  const line = lineAt(text, text.length);
  return text.length > 0 && !text.endsWith('\n') ? line + 1 : line;
}

/** The offset where the line holding offset `at` starts. */
function lineStart(text: string, at: number): number {
  return text.lastIndexOf('\n', at - 1) + 1;
}

/** The first offset at or after `at` that is not a space, a tab or a line break. */
function skipBlank(text: string, at: number): number {
  let i = at;
  while (i < text.length && /[ \t\r\n]/.test(text[i]!)) i++;
  return i;
}

/** Whether `text[i]` is a `:` that indicates a value (followed by a blank or the end). */
function isValueIndicator(text: string, i: number, flow: boolean): boolean {
  if (text[i] !== ':') return false;
  const next = text[i + 1];
  return next === undefined || /[ \t\r\n]/.test(next) || (flow && /[,[\]{}]/.test(next));
}

/** Whether a quote at `i` starts a quoted scalar (it starts a token), not ends a word. */
function startsQuote(text: string, i: number): boolean {
  const c = text[i];
  return (c === '"' || c === "'") && (i === 0 || /[ \t\n[{,]/.test(text[i - 1]!));
}

/** The offset after a quoted scalar starting at `at`, -1 if it is not closed. */
function skipQuoted(text: string, at: number): number {
  const quote = text[at];
  for (let i = at + 1; i < text.length; i++) {
    if (quote === '"' && text[i] === '\\') i++;
    else if (text[i] === quote) {
      if (quote === "'" && text[i + 1] === "'") i++;
      else return i + 1;
    }
  }
  return -1;
}

/**
 * The problem in the flow collections of `text` as go-yaml's parser reports it: a closer
 * of the other kind, a second `:` in one entry or a key that spans lines (both read as a
 * value where `,` was due), or the end of the text in an open collection. Undefined when
 * every flow collection is well formed.
 */
function flowProblem(text: string): string | undefined {
  /** Open collections: their closer, whether their entry has content, whether a `:` came. */
  const open: { close: '}' | ']'; content: boolean; colon: boolean; keyLine: number }[] = [];
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    const top = open[open.length - 1];
    if (c === '#' && (i === 0 || /[ \t\n]/.test(text[i - 1]!))) {
      const eol = text.indexOf('\n', i);
      i = eol === -1 ? text.length : eol - 1;
      continue;
    }
    if (startsQuote(text, i) && skipQuoted(text, i) === -1) {
      return scannerError(lineAt(text, text.length), 'found unexpected end of stream');
    }
    if (!top) {
      if (startsQuote(text, i)) i = skipQuoted(text, i) - 1;
      else if (c === '{' || c === '[') {
        open.push({ close: c === '{' ? '}' : ']', content: false, colon: false, keyLine: -1 });
      }
      continue;
    }
    if (/[ \t\r\n]/.test(c)) continue;
    const expected = `did not find expected ',' or '${top.close}'`;
    if (c === '}' || c === ']') {
      if (c !== top.close) return parserError(lineAt(text, i), expected);
      open.pop();
      const outer = open[open.length - 1];
      if (outer) outer.content = true;
      continue;
    }
    if (c === ',') {
      top.content = false;
      top.colon = false;
      top.keyLine = -1;
      continue;
    }
    if (isValueIndicator(text, i, true)) {
      const line = lineAt(text, i);
      if (top.colon || (top.keyLine !== -1 && top.keyLine !== line)) {
        return parserError(line, expected);
      }
      top.colon = true;
      top.content = true;
      continue;
    }
    if (!top.content && !top.colon) top.keyLine = lineAt(text, i);
    else if (!top.colon && top.keyLine !== lineAt(text, i)) top.keyLine = -2;
    top.content = true;
    if (startsQuote(text, i)) i = skipQuoted(text, i) - 1;
    else if (c === '{' || c === '[') {
      open.push({ close: c === '{' ? '}' : ']', content: false, colon: false, keyLine: -1 });
    }
  }
  const top = open[open.length - 1];
  if (!top) return undefined;
  const end = endLine(text);
  if (!top.content) return parserError(end, 'did not find expected node content');
  return parserError(end, `did not find expected ',' or '${top.close}'`);
}

/**
 * Whether the block collection a token at `at` falls in is a sequence: the nearest line
 * above, indented no deeper than the token's line, starts with `- `.
 */
function inBlockSequence(text: string, at: number): boolean {
  const start = lineStart(text, at);
  const own = text.slice(start, at);
  if (own.trim() !== '') {
    // A token after others on its line: a sequence unless a key came before it there.
    return /^\s*-(\s|$)/.test(own) && !/:(\s|$)/.test(own);
  }
  const column = at - start;
  for (let end = start - 1; end > 0; ) {
    const begin = lineStart(text, end);
    const line = text.slice(begin, end);
    end = begin - 1;
    if (line.trim() === '' || line.trim().startsWith('#')) continue;
    const indent = line.length - line.trimStart().length;
    if (indent > column) continue;
    return indent === column && /^-(\s|$)/.test(line.trimStart());
  }
  return false;
}

/** The first value indicator `:` at or after `at`, outside quotes (else `at`). */
function nextValueIndicator(text: string, at: number): number {
  for (let i = at; i < text.length; i++) {
    if (startsQuote(text, i)) i = skipQuoted(text, i) - 1;
    else if (isValueIndicator(text, i, false)) return i;
    if (i < 0) break;
  }
  return at;
}

/** The previous non-blank, non-comment line before the one holding `at`. */
function previousLine(text: string, at: number): string {
  for (let end = lineStart(text, at) - 1; end > 0; ) {
    const begin = lineStart(text, end);
    const line = text.slice(begin, end);
    end = begin - 1;
    if (line.trim() !== '' && !line.trim().startsWith('#')) return line;
  }
  return '';
}

/**
 * A token where its block collection wants its next entry: the sequence wants `-`, the
 * mapping a key.
 */
function misplacedToken(text: string, at: number): string {
  const token = skipBlank(text, at);
  const problem = inBlockSequence(text, token)
    ? "did not find expected '-' indicator"
    : 'did not find expected key';
  return parserError(lineAt(text, Math.min(token, text.length)), problem);
}

/**
 * A YAML syntax error of the `yaml` package (the first of `errors`, all from one text) in
 * go-yaml v2's words, `yaml: line 3: did not find expected ',' or '}'` and the like.
 */
export function goYamlSyntaxError(text: string, errors: readonly YAMLError[]): string {
  const flow = flowProblem(text);
  if (flow !== undefined) return flow;
  const first = errors[0]!;
  const at = first.pos[0];
  const blockSeq = errors.find((e) => /block-seq|block sequence/.test(e.message));
  if (blockSeq && first.code !== 'TAB_AS_INDENT') {
    const dash = text.indexOf('-', blockSeq.pos[0]);
    return parserError(lineAt(text, dash === -1 ? at : dash), 'did not find expected key');
  }
  switch (first.code) {
    case 'TAB_AS_INDENT': {
      // After a plain scalar the scanner is still reading it, and a tab in its
      // continuation's indentation is out of place; elsewhere a tab starts no token.
      const before = previousLine(text, at).trimEnd();
      const afterValue =
        before !== '' && !/(:|^-|^\s*-|[|>][-+0-9]*)$/.test(before) && lineAt(text, at) > 0;
      return scannerError(
        lineAt(text, at),
        afterValue
          ? 'found a tab character that violates indentation'
          : 'found character that cannot start any token',
      );
    }
    case 'BAD_SCALAR_START':
      return scannerError(lineAt(text, at), 'found character that cannot start any token');
    case 'BAD_DQ_ESCAPE':
      return scannerError(lineAt(text, at), 'found unknown escape character');
    case 'BAD_ALIAS':
      return scannerError(
        lineAt(text, at),
        'did not find expected alphabetic or numeric character',
      );
    case 'TAG_RESOLVE_FAILED':
      if (first.message.includes(BAD_BINARY)) return `yaml: ${BAD_BINARY}`;
      if (/Verbatim/.test(first.message)) {
        return scannerError(lineAt(text, at), "did not find the expected '>'");
      }
      break;
    case 'MISSING_CHAR':
      if (/closing/.test(first.message)) {
        return scannerError(lineAt(text, text.length), 'found unexpected end of stream');
      }
      if (/without - indicator/.test(first.message)) return misplacedToken(text, at);
      if (/followed by map values/.test(first.message)) {
        // A key the scanner required a `:` after: it notices at the next token.
        const eol = text.indexOf('\n', at);
        const next = eol === -1 ? text.length : skipBlank(text, eol);
        const line = next >= text.length ? endLine(text) : lineAt(text, next);
        return scannerError(line, "could not find expected ':'");
      }
      break;
    case 'BLOCK_AS_IMPLICIT_KEY':
    case 'MULTILINE_IMPLICIT_KEY':
      return scannerError(
        lineAt(text, nextValueIndicator(text, at)),
        'mapping values are not allowed in this context',
      );
    case 'BAD_INDENT':
    case 'UNEXPECTED_TOKEN':
      return misplacedToken(text, at);
  }
  return parserError(lineAt(text, at), first.message);
}
