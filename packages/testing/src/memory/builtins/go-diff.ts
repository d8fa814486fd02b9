/**
 * apimachinery's `diff.Diff(a, b)` as kube-apiserver v1.36 appends it to some refusals
 * (a Pod update that changes more than it may, a changed ephemeral container): both values
 * written by Go's `json.MarshalIndent(v, "", " ")`, then a unified diff of their lines
 * with three lines of context and no file header, as `go-difflib` makes it. The exact
 * hunks are part of the message a client sees, so the matching is go-difflib's own
 * (Python's `difflib.SequenceMatcher`: the longest matching block first, then both sides
 * of it; lines that are too common in a long text are not matched on), not a minimal diff.
 */

/** Go's `encoding/json` escapes these in strings (HTML-safe output), JavaScript does not. */
const GO_ESCAPES: Record<string, string> = {
  '<': '\\u003c',
  '>': '\\u003e',
  '&': '\\u0026',
  '\u2028': '\\u2028',
  '\u2029': '\\u2029',
};

/** A member name that looks like an array index (JavaScript lists such keys first). */
const INDEX = /^(?:0|[1-9][0-9]*)$/;

/** Byte (UTF-8) order, Go's order of map keys. */
function byteOrder(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a), Buffer.from(b));
}

function quote(s: string): string {
  return JSON.stringify(s).replace(/[<>&\u2028\u2029]/g, (c) => GO_ESCAPES[c] ?? c);
}

function indented(v: unknown, depth: number): string {
  if (v === null || v === undefined) return 'null';
  if (typeof v === 'string') return quote(v);
  if (typeof v !== 'object') return JSON.stringify(v);
  const pad = ' '.repeat(depth + 1);
  const end = `\n${' '.repeat(depth)}`;
  if (Array.isArray(v)) {
    if (v.length === 0) return '[]';
    return `[\n${v.map((x) => pad + indented(x, depth + 1)).join(',\n')}${end}]`;
  }
  const record = v as Record<string, unknown>;
  const keys = Object.keys(record);
  // Struct fields never look like indices, so an object with such a key is a map (sorted).
  if (keys.some((k) => INDEX.test(k))) keys.sort(byteOrder);
  if (keys.length === 0) return '{}';
  const members = keys.map((k) => `${pad}${quote(k)}: ${indented(record[k], depth + 1)}`);
  return `{\n${members.join(',\n')}${end}}`;
}

/** `v` as Go's `json.MarshalIndent(v, "", " ")` writes it. */
export function goMarshalIndent(v: unknown): string {
  return indented(v, 0);
}

/** go-difflib's `SplitLines`: each line keeps its `\n`, and the last one gets one too. */
function splitLines(s: string): string[] {
  return s.split('\n').map((l) => `${l}\n`);
}

/** A matching block: `a[a..a+size]` equals `b[b..b+size]`. */
interface Block {
  readonly a: number;
  readonly b: number;
  readonly size: number;
}

/** An edit: `tag` e(qual), r(eplace), d(elete) or i(nsert) of `a[i1..i2]` by `b[j1..j2]`. */
interface OpCode {
  readonly tag: 'e' | 'r' | 'd' | 'i';
  readonly i1: number;
  readonly i2: number;
  readonly j1: number;
  readonly j2: number;
}

/**
 * The positions of each line of `b` a match may start from. In a text of 200 lines or
 * more, a line found more than 1% + 1 times is left out ("autojunk"): it can extend a
 * match but never seed one.
 */
function lineIndex(b: readonly string[]): Map<string, number[]> {
  const index = new Map<string, number[]>();
  b.forEach((line, j) => {
    const at = index.get(line);
    if (at) at.push(j);
    else index.set(line, [j]);
  });
  if (b.length >= 200) {
    const most = Math.floor(b.length / 100) + 1;
    for (const [line, at] of index) if (at.length > most) index.delete(line);
  }
  return index;
}

/**
 * The longest block of `a[alo..ahi]` matching within `b[blo..bhi]` (of equals, the one
 * starting first in `a`, then in `b`), seeded from indexed lines and then extended over
 * equal lines on both sides.
 */
function longestMatch(
  a: readonly string[],
  b: readonly string[],
  index: Map<string, number[]>,
  [alo, ahi, blo, bhi]: readonly [number, number, number, number],
): Block {
  let besti = alo;
  let bestj = blo;
  let best = 0;
  let runs = new Map<number, number>();
  for (let i = alo; i < ahi; i++) {
    const next = new Map<number, number>();
    for (const j of index.get(a[i] as string) ?? []) {
      if (j < blo) continue;
      if (j >= bhi) break;
      const k = (runs.get(j - 1) ?? 0) + 1;
      next.set(j, k);
      if (k > best) {
        besti = i - k + 1;
        bestj = j - k + 1;
        best = k;
      }
    }
    runs = next;
  }
  while (besti > alo && bestj > blo && a[besti - 1] === b[bestj - 1]) {
    besti--;
    bestj--;
    best++;
  }
  while (besti + best < ahi && bestj + best < bhi && a[besti + best] === b[bestj + best]) best++;
  return { a: besti, b: bestj, size: best };
}

/** The matching blocks in order, adjacent ones joined, ended by `(len a, len b, 0)`. */
function matchingBlocks(a: readonly string[], b: readonly string[]): Block[] {
  const index = lineIndex(b);
  const found: Block[] = [];
  const match = (alo: number, ahi: number, blo: number, bhi: number): void => {
    const m = longestMatch(a, b, index, [alo, ahi, blo, bhi]);
    if (m.size === 0) return;
    if (alo < m.a && blo < m.b) match(alo, m.a, blo, m.b);
    found.push(m);
    if (m.a + m.size < ahi && m.b + m.size < bhi) match(m.a + m.size, ahi, m.b + m.size, bhi);
  };
  match(0, a.length, 0, b.length);
  const joined: Block[] = [];
  for (const m of found) {
    const last = joined[joined.length - 1];
    if (last && last.a + last.size === m.a && last.b + last.size === m.b) {
      joined[joined.length - 1] = { ...last, size: last.size + m.size };
    } else joined.push(m);
  }
  joined.push({ a: a.length, b: b.length, size: 0 });
  return joined;
}

/** The edits that turn `a` into `b`, equal runs included. */
function opCodes(a: readonly string[], b: readonly string[]): OpCode[] {
  const codes: OpCode[] = [];
  let i = 0;
  let j = 0;
  for (const m of matchingBlocks(a, b)) {
    const tag = i < m.a && j < m.b ? 'r' : i < m.a ? 'd' : j < m.b ? 'i' : undefined;
    if (tag) codes.push({ tag, i1: i, i2: m.a, j1: j, j2: m.b });
    i = m.a + m.size;
    j = m.b + m.size;
    if (m.size > 0) codes.push({ tag: 'e', i1: m.a, i2: i, j1: m.b, j2: j });
  }
  return codes;
}

/** The edits in hunks, each with at most `n` equal lines around its changes. */
function groupedOpCodes(a: readonly string[], b: readonly string[], n: number): OpCode[][] {
  const codes = opCodes(a, b);
  if (codes.length === 0) codes.push({ tag: 'e', i1: 0, i2: 1, j1: 0, j2: 1 });
  const first = codes[0] as OpCode;
  if (first.tag === 'e') {
    codes[0] = {
      ...first,
      i1: Math.max(first.i1, first.i2 - n),
      j1: Math.max(first.j1, first.j2 - n),
    };
  }
  const last = codes[codes.length - 1] as OpCode;
  if (last.tag === 'e') {
    codes[codes.length - 1] = {
      ...last,
      i2: Math.min(last.i2, last.i1 + n),
      j2: Math.min(last.j2, last.j1 + n),
    };
  }
  const groups: OpCode[][] = [];
  let group: OpCode[] = [];
  for (const c of codes) {
    let { i1, j1 } = c;
    // A long equal run ends the hunk (with n lines of it) and starts the next (n more).
    if (c.tag === 'e' && c.i2 - c.i1 > 2 * n) {
      group.push({ ...c, i2: Math.min(c.i2, c.i1 + n), j2: Math.min(c.j2, c.j1 + n) });
      groups.push(group);
      group = [];
      i1 = Math.max(i1, c.i2 - n);
      j1 = Math.max(j1, c.j2 - n);
    }
    group.push({ ...c, i1, j1 });
  }
  if (group.length > 0 && !(group.length === 1 && group[0]?.tag === 'e')) groups.push(group);
  return groups;
}

/** A hunk header's range: `start+1` alone for one line, else `start+1,length` (`start,0` when empty). */
function range(start: number, stop: number): string {
  const length = stop - start;
  if (length === 1) return String(start + 1);
  return `${length === 0 ? start : start + 1},${length}`;
}

/** go-difflib's unified diff of two texts (three lines of context, no file header). */
export function unifiedDiff(a: string, b: string): string {
  const x = splitLines(a);
  const y = splitLines(b);
  let out = '';
  for (const group of groupedOpCodes(x, y, 3)) {
    const first = group[0] as OpCode;
    const last = group[group.length - 1] as OpCode;
    out += `@@ -${range(first.i1, last.i2)} +${range(first.j1, last.j2)} @@\n`;
    for (const c of group) {
      if (c.tag === 'e') {
        out += x
          .slice(c.i1, c.i2)
          .map((l) => ` ${l}`)
          .join('');
        continue;
      }
      if (c.tag !== 'i')
        out += x
          .slice(c.i1, c.i2)
          .map((l) => `-${l}`)
          .join('');
      if (c.tag !== 'd')
        out += y
          .slice(c.j1, c.j2)
          .map((l) => `+${l}`)
          .join('');
    }
  }
  return out;
}

/** apimachinery's `diff.Diff(a, b)` of two values already in the shape Go encodes. */
export function goDiff(a: unknown, b: unknown): string {
  return unifiedDiff(goMarshalIndent(a), goMarshalIndent(b));
}
