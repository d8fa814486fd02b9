/**
 * Unicode simple case folding orbits: the characters a case-insensitive regular expression
 * treats as one (`k`, `K` and KELVIN SIGN `K`). RE2's `(?i)` may cover part of a pattern
 * (`a(?i:b)c`), which JavaScript's `i` flag cannot scope before Node 23, so the RE2
 * translation spells folded characters out as classes. Our own code: built once, lazily,
 * from the engine's case mappings and checked with its own `iu` matching (simple case
 * folding, as RE2's `unicode.SimpleFold` orbits).
 */

/** The highest code point with a case mapping is below this. */
const LIMIT = 0x20000;
/** Blocks below {@link LIMIT} without cased letters (CJK, Hangul, private use, cuneiform…), skipped. */
const UNCASED: readonly (readonly [number, number])[] = [
  [0x3400, 0xa000],
  [0xac00, 0xf900],
  [0x12000, 0x16800],
  [0x17000, 0x1b000],
];

interface Orbits {
  /** Each cased code point's orbit (sorted, two or more code points). */
  readonly of: Map<number, readonly number[]>;
  /** The cased code points, ascending. */
  readonly cased: readonly number[];
}

let built: Orbits | undefined;

/** Splits a group of code points joined by case mappings into simple case folding orbits. */
function split(group: number[]): number[][] {
  const out: { re: RegExp; members: number[] }[] = [];
  for (const cp of group) {
    const ch = String.fromCodePoint(cp);
    const orbit = out.find((o) => o.re.test(ch));
    if (orbit) orbit.members.push(cp);
    else out.push({ re: new RegExp(`^\\u{${cp.toString(16)}}$`, 'iu'), members: [cp] });
  }
  return out.map((o) => o.members);
}

function build(): Orbits {
  const parent = new Map<number, number>();
  const find = (x: number): number => {
    let r = x;
    while (parent.has(r) && parent.get(r) !== r) r = parent.get(r) ?? r;
    return r;
  };
  const join = (a: number, b: number) => {
    const ra = find(a);
    const rb = find(b);
    parent.set(ra, ra);
    if (ra !== rb) parent.set(rb, ra);
  };
  for (let cp = 0; cp < LIMIT; cp++) {
    const skip = UNCASED.find(([lo, hi]) => cp >= lo && cp < hi);
    if (skip) {
      cp = skip[1] - 1;
      continue;
    }
    const ch = String.fromCodePoint(cp);
    for (const mapped of [ch.toLowerCase(), ch.toUpperCase()]) {
      const m = mapped.codePointAt(0) ?? cp;
      if (mapped !== ch && mapped.length === String.fromCodePoint(m).length) join(cp, m);
    }
  }
  const groups = new Map<number, number[]>();
  for (const cp of parent.keys()) {
    const r = find(cp);
    const g = groups.get(r) ?? [];
    g.push(cp);
    groups.set(r, g);
  }
  const of = new Map<number, readonly number[]>();
  for (const g of groups.values()) {
    for (const orbit of split(g.sort((a, b) => a - b))) {
      if (orbit.length > 1) for (const cp of orbit) of.set(cp, orbit);
    }
  }
  return { of, cased: [...of.keys()].sort((a, b) => a - b) };
}

function orbits(): Orbits {
  built ??= build();
  return built;
}

/** The code points `cp` matches case-insensitively (itself alone when it has no other case). */
export function caseOrbit(cp: number): readonly number[] {
  return orbits().of.get(cp) ?? [cp];
}

/** The cased code points (those with another case), ascending. */
export function casedCodePoints(): readonly number[] {
  return orbits().cased;
}
