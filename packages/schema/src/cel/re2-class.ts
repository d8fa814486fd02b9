/**
 * Character classes as RE2 (Go's `regexp/syntax`) builds them, written as JavaScript
 * (`u` flag) matchers: ranges of code points, Unicode properties (`\pL`, `\p{Greek}`),
 * Perl (`\d`, `\w`) and POSIX (`[:alpha:]`) groups, each folded to all cases under `(?i)`
 * as RE2 folds them. Our own code: JavaScript names Unicode scripts differently
 * (`\p{Script=Greek}`), has no POSIX classes, and cannot scope case folding.
 */
import { casedCodePoints, caseOrbit } from './case-fold.js';

/** A closed range of code points. */
export type Range = readonly [number, number];

const MAX = 0x10ffff;

/** RE2's Perl classes (`\d`, `\s`, `\w`), as ASCII ranges. */
export const PERL_CLASSES: Readonly<Record<string, readonly Range[]>> = {
  d: [[0x30, 0x39]],
  s: [
    [0x09, 0x0a],
    [0x0c, 0x0d],
    [0x20, 0x20],
  ],
  w: [
    [0x30, 0x39],
    [0x41, 0x5a],
    [0x5f, 0x5f],
    [0x61, 0x7a],
  ],
};

/** RE2's POSIX classes (`[:alpha:]`), as ASCII ranges. */
export const POSIX_CLASSES: Readonly<Record<string, readonly Range[]>> = {
  alnum: [
    [0x30, 0x39],
    [0x41, 0x5a],
    [0x61, 0x7a],
  ],
  alpha: [
    [0x41, 0x5a],
    [0x61, 0x7a],
  ],
  ascii: [[0x00, 0x7f]],
  blank: [
    [0x09, 0x09],
    [0x20, 0x20],
  ],
  cntrl: [
    [0x00, 0x1f],
    [0x7f, 0x7f],
  ],
  digit: [[0x30, 0x39]],
  graph: [[0x21, 0x7e]],
  lower: [[0x61, 0x7a]],
  print: [[0x20, 0x7e]],
  punct: [
    [0x21, 0x2f],
    [0x3a, 0x40],
    [0x5b, 0x60],
    [0x7b, 0x7e],
  ],
  space: [
    [0x09, 0x0d],
    [0x20, 0x20],
  ],
  upper: [[0x41, 0x5a]],
  word: [
    [0x30, 0x39],
    [0x41, 0x5a],
    [0x5f, 0x5f],
    [0x61, 0x7a],
  ],
  xdigit: [
    [0x30, 0x39],
    [0x41, 0x46],
    [0x61, 0x66],
  ],
};

/** Go's `unicode` scripts (the names `\p{…}` may give, with RE2's spelling rules below). */
const SCRIPTS =
  'Adlam Ahom Anatolian_Hieroglyphs Arabic Armenian Avestan Balinese Bamum Bassa_Vah Batak Bengali Bhaiksuki Bopomofo Brahmi Braille Buginese Buhid Canadian_Aboriginal Carian Caucasian_Albanian Chakma Cham Cherokee Chorasmian Common Coptic Cuneiform Cypriot Cypro_Minoan Cyrillic Deseret Devanagari Dives_Akuru Dogra Duployan Egyptian_Hieroglyphs Elbasan Elymaic Ethiopic Georgian Glagolitic Gothic Grantha Greek Gujarati Gunjala_Gondi Gurmukhi Han Hangul Hanifi_Rohingya Hanunoo Hatran Hebrew Hiragana Imperial_Aramaic Inherited Inscriptional_Pahlavi Inscriptional_Parthian Javanese Kaithi Kannada Katakana Kawi Kayah_Li Kharoshthi Khitan_Small_Script Khmer Khojki Khudawadi Lao Latin Lepcha Limbu Linear_A Linear_B Lisu Lycian Lydian Mahajani Makasar Malayalam Mandaic Manichaean Marchen Masaram_Gondi Medefaidrin Meetei_Mayek Mende_Kikakui Meroitic_Cursive Meroitic_Hieroglyphs Miao Modi Mongolian Mro Multani Myanmar Nabataean Nag_Mundari Nandinagari New_Tai_Lue Newa Nko Nushu Nyiakeng_Puachue_Hmong Ogham Ol_Chiki Old_Hungarian Old_Italic Old_North_Arabian Old_Permic Old_Persian Old_Sogdian Old_South_Arabian Old_Turkic Old_Uyghur Oriya Osage Osmanya Pahawh_Hmong Palmyrene Pau_Cin_Hau Phags_Pa Phoenician Psalter_Pahlavi Rejang Runic Samaritan Saurashtra Sharada Shavian Siddham SignWriting Sinhala Sogdian Sora_Sompeng Soyombo Sundanese Syloti_Nagri Syriac Tagalog Tagbanwa Tai_Le Tai_Tham Tai_Viet Takri Tamil Tangsa Tangut Telugu Thaana Thai Tibetan Tifinagh Tirhuta Toto Ugaritic Vai Vithkuqi Wancho Warang_Citi Yezidi Yi Zanabazar_Square';
/** Go's general categories. */
const CATEGORIES =
  'C Cc Cf Cn Co Cs L Ll Lm Lo Lt Lu M Mc Me Mn N Nd Nl No P Pc Pd Pe Pf Pi Po Ps S Sc Sk Sm So Z Zl Zp Zs';
/** Go's category aliases (`unicode.CategoryAliases`), alias=category. */
const ALIASES =
  'Cased_Letter=LC Close_Punctuation=Pe Combining_Mark=M Connector_Punctuation=Pc Control=Cc Currency_Symbol=Sc Dash_Punctuation=Pd Decimal_Number=Nd Enclosing_Mark=Me Final_Punctuation=Pf Format=Cf Initial_Punctuation=Pi Letter=L Letter_Number=Nl Line_Separator=Zl Lowercase_Letter=Ll Mark=M Math_Symbol=Sm Modifier_Letter=Lm Modifier_Symbol=Sk Nonspacing_Mark=Mn Number=N Open_Punctuation=Ps Other=C Other_Letter=Lo Other_Number=No Other_Punctuation=Po Other_Symbol=So Paragraph_Separator=Zp Private_Use=Co Punctuation=P Separator=Z Space_Separator=Zs Spacing_Mark=Mc Surrogate=Cs Symbol=S Titlecase_Letter=Lt Unassigned=Cn Uppercase_Letter=Lu cntrl=Cc digit=Nd punct=P';

/**
 * A name as RE2 looks it up: `_`, `-` and spaces dropped, the first letter upper case and
 * the rest lower case. (So `Old_Italic` is looked up as `Olditalic`, which names no table:
 * Go refuses it, and so does this.)
 */
function canonicalName(name: string): string {
  const s = name.replace(/[_\- ]/g, '');
  return s.slice(0, 1).toUpperCase() + s.slice(1).toLowerCase();
}

/** A Unicode table a `\p` name can give, as a JavaScript property (or ranges). */
type Table = { readonly prop: string; readonly sign: 1 | -1 } | { readonly ranges: Range[] };

let tables: Map<string, Table> | undefined;

function tableNames(): Map<string, Table> {
  if (tables) return tables;
  tables = new Map<string, Table>();
  // A table is found by the exact Go key, so only names already in canonical form count.
  for (const c of CATEGORIES.split(' ')) {
    if (canonicalName(c) === c) tables.set(c, { prop: c, sign: 1 });
  }
  for (const s of SCRIPTS.split(' ')) {
    if (canonicalName(s) === s) tables.set(s, { prop: `Script=${s}`, sign: 1 });
  }
  for (const a of ALIASES.split(' ')) {
    const [alias = '', category = ''] = a.split('=');
    tables.set(canonicalName(alias), { prop: category, sign: 1 });
  }
  tables.set('Any', { ranges: [[0, MAX]] });
  tables.set('Assigned', { prop: 'Cn', sign: -1 });
  tables.set('Ascii', { ranges: [[0, 0x7f]] });
  tables.set('Lc', { prop: 'LC', sign: 1 });
  return tables;
}

/** The table `\p{name}` names, or undefined when RE2 knows no such name. */
export function unicodeTable(name: string): Table | undefined {
  return tableNames().get(canonicalName(name));
}

/** A class being built: ranges, properties, and properties less some code points. */
export class CharClass {
  ranges: Range[] = [];
  readonly props: string[] = [];
  /** Negated properties less the code points of their other cases (`(?i)\P{Lu}`). */
  readonly except: { prop: string; except: Range[] }[] = [];

  /** Adds `ranges` (all their cases when `fold`), or their complement when `negate`. */
  addRanges(ranges: readonly Range[], fold: boolean, negate = false): void {
    const folded = fold ? foldRanges(ranges) : ranges;
    this.ranges.push(...(negate ? complement(folded) : folded));
  }

  /** Adds the Unicode table `t` (its complement when `negate`), folded when `fold`. */
  addTable(t: Table, fold: boolean, negate: boolean): void {
    if ('ranges' in t) {
      this.addRanges(t.ranges, fold, negate);
      return;
    }
    const positive = t.sign > 0 !== negate;
    const extra = fold ? propertyFolds(t.prop) : [];
    if (positive) {
      this.props.push(`\\p{${t.prop}}`);
      this.ranges.push(...extra);
    } else if (extra.length === 0) this.props.push(`\\P{${t.prop}}`);
    else this.except.push({ prop: `\\P{${t.prop}}`, except: extra });
  }

  /** The class as a JavaScript (`u` flag) matcher of one code point; `negate` for `[^…]`. */
  source(negate: boolean): string {
    const ranges = normalize(this.ranges);
    if (this.props.length === 0 && this.except.length === 0) {
      return `[${rangesSource(negate ? complement(ranges) : ranges)}]`;
    }
    const plain = `[${rangesSource(ranges)}${this.props.join('')}]`;
    if (this.except.length === 0) return negate ? `[^${plain.slice(1)}` : plain;
    const parts = [
      plain,
      ...this.except.map((e) => `(?![${rangesSource(normalize(e.except))}])${e.prop}`),
    ];
    const any = `(?:${parts.join('|')})`;
    return negate ? `(?:(?!${any})[^])` : any;
  }
}

/** Sorted, merged ranges. */
function normalize(ranges: readonly Range[]): Range[] {
  const sorted = [...ranges].sort((a, b) => a[0] - b[0]);
  const out: [number, number][] = [];
  for (const [lo, hi] of sorted) {
    const last = out[out.length - 1];
    if (last && lo <= last[1] + 1) last[1] = Math.max(last[1], hi);
    else out.push([lo, hi]);
  }
  return out;
}

/** The code points not in `ranges`. */
export function complement(ranges: readonly Range[]): Range[] {
  const out: Range[] = [];
  let next = 0;
  for (const [lo, hi] of normalize(ranges)) {
    if (lo > next) out.push([next, lo - 1]);
    next = hi + 1;
  }
  if (next <= MAX) out.push([next, MAX]);
  return out;
}

/** `ranges` with every other case of their code points. */
export function foldRanges(ranges: readonly Range[]): Range[] {
  const out: Range[] = [...ranges];
  for (const cp of casedCodePoints()) {
    if (ranges.some(([lo, hi]) => cp >= lo && cp <= hi)) {
      for (const o of caseOrbit(cp)) out.push([o, o]);
    }
  }
  return out;
}

/** The other cases of the code points of the property `prop`, which it lacks. */
function propertyFolds(prop: string): Range[] {
  const re = new RegExp(`\\p{${prop}}`, 'u');
  const out: Range[] = [];
  for (const cp of casedCodePoints()) {
    if (!re.test(String.fromCodePoint(cp))) continue;
    for (const o of caseOrbit(cp)) {
      if (!re.test(String.fromCodePoint(o))) out.push([o, o]);
    }
  }
  return out;
}

/** A code point written for a JavaScript pattern (`u` flag), in or out of a class. */
export function codePointSource(cp: number): string {
  const c = String.fromCodePoint(cp);
  return /[A-Za-z0-9_]/.test(c) ? c : `\\u{${cp.toString(16)}}`;
}

function rangesSource(ranges: readonly Range[]): string {
  return ranges
    .map(([lo, hi]) =>
      lo === hi ? codePointSource(lo) : `${codePointSource(lo)}-${codePointSource(hi)}`,
    )
    .join('');
}
