import { Document, isScalar, type Pair, visit } from 'yaml';
import { keptLiteral, parseKeeping } from '../big-integers.js';
import { goPlainScalar } from '../go-yaml.js';
import type { JsonObject } from '../json.js';
import { encodeProtobuf } from '../protobuf/encode.js';
import type { Representation } from './negotiate.js';

const LETTER = /\p{L}/u;
const DIGIT = /[0-9]/;

/**
 * go-yaml v2's order of map keys (its `keyList.Less` on strings): letters by code point,
 * anything else before a letter, and runs of digits compared as numbers (`"9"` before
 * `"10"`, `"1"` before `"01"`). Own code because kube-apiserver writes YAML through
 * go-yaml, whose order is neither byte order nor JavaScript's.
 */
export function goYamlKeyLess(a: string, b: string): boolean {
  const ar = [...a];
  const br = [...b];
  for (let i = 0; i < ar.length && i < br.length; i++) {
    if (ar[i] === br[i]) continue;
    const al = LETTER.test(ar[i]!);
    const bl = LETTER.test(br[i]!);
    if (al && bl) return ar[i]!.codePointAt(0)! < br[i]!.codePointAt(0)!;
    if (al || bl) return bl;
    // A zero after a nonzero digit continues a number: count it as one.
    let an = 0;
    let bn = 0;
    if (ar[i] === '0' || br[i] === '0') {
      for (let j = i - 1; j >= 0 && DIGIT.test(ar[j]!); j--) {
        if (ar[j] !== '0') {
          an = 1;
          bn = 1;
          break;
        }
      }
    }
    let ai = i;
    for (; ai < ar.length && DIGIT.test(ar[ai]!); ai++) an = an * 10 + Number(ar[ai]);
    let bi = i;
    for (; bi < br.length && DIGIT.test(br[bi]!); bi++) bn = bn * 10 + Number(br[bi]);
    if (an !== bn) return an < bn;
    if (ai !== bi) return ai < bi;
    return ar[i]!.codePointAt(0)! < br[i]!.codePointAt(0)!;
  }
  return ar.length < br.length;
}

/** The text of a YAML map entry's key. */
function keyText(pair: Pair<unknown, unknown>): string {
  return String(isScalar(pair.key) ? pair.key.value : pair.key);
}

/** Sorts map entries as go-yaml does. */
function byGoYamlKey(a: Pair<unknown, unknown>, b: Pair<unknown, unknown>): number {
  const ak = keyText(a);
  const bk = keyText(b);
  return goYamlKeyLess(ak, bk) ? -1 : goYamlKeyLess(bk, ak) ? 1 : 0;
}

/** go-yaml v2's timestamps (time.Parse of its four layouts, short date fields allowed). */
const TIMESTAMP =
  /^\d{4}-\d{1,2}-\d{1,2}(?:(?:[Tt]\d{1,2}:\d{1,2}:\d{1,2}(?:\.\d+)?(?:Z|[+-]\d{2}:\d{2}))|(?: \d{1,2}:\d{1,2}:\d{1,2}(?:\.\d+)?))?$/;
/** YAML 1.1's base 60 floats, which go-yaml quotes though it reads them as strings. */
const BASE60 = /^[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+(?:\.[0-9_]*)?$/;

/**
 * Whether go-yaml writes a string double-quoted: when, plain, it would read back as
 * something else (`y`, `1_000`, `~`, a timestamp) or is a base 60 float (`1:30`).
 */
export function goQuotes(s: string): boolean {
  if (s.includes('\n')) return false;
  if (/[\t\r]/.test(s)) return true; // not printable for libyaml: only double quotes
  return typeof goPlainScalar(s) !== 'string' || TIMESTAMP.test(s) || BASE60.test(s);
}

/** Unicode's line and paragraph separators, which go-yaml counts as line breaks. */
const SEPARATORS = /[\u2028\u2029]/;
/** A separator next to a space: go-yaml cannot single-quote the string. */
const SPACED_SEPARATOR = /[ ][\u2028\u2029]|[\u2028\u2029][ ]/;

/**
 * A line of YAML text holding a separator in a quoted scalar: its indentation, the `- `
 * of the sequence items it starts, a key, then the quoted scalar to its end (`s`: JavaScript
 * counts the separators as line ends).
 */
const SEPARATOR_LINE = /^( *)((?:- )*)((?:[^'" ][^:]*: )?)(['"])(.*)\4$/s;

/**
 * A line written by the `yaml` package with its separators as go-yaml writes them: a
 * double-quoted string escapes them (`\L`, `\P`); a single-quoted one keeps them, each
 * run followed, unless it ends the string, by the scalar's indentation (go-yaml breaks the
 * line there and indents what follows as a scalar of its collection: two deeper than a
 * key or an item's `- `).
 */
function goSeparators(line: string): string {
  const m = SEPARATOR_LINE.exec(line);
  if (!m) return line;
  const [, spaces, dashes, key, quote, content] = m as unknown as string[];
  const fixed =
    quote === '"'
      ? content!.replaceAll('\u2028', '\\L').replaceAll('\u2029', '\\P')
      : content!.replace(/[\u2028\u2029]+(?!$)/g, (run) => {
          const indent = spaces!.length + dashes!.length + (key ? 2 : 0);
          return run + ' '.repeat(indent);
        });
  return `${spaces}${dashes}${key}${quote}${fixed}${quote}`;
}

/**
 * A YAML node's value for `holder[key]`: an integer beyond 2^53 as the literal its holder
 * keeps (a bigint, which the `yaml` package writes as its digits), as go-yaml writes an int64.
 */
function exactInteger(this: object, key: string, value: unknown): unknown {
  if (typeof value !== 'number' || Number.isSafeInteger(value)) return value;
  const literal = keptLiteral(this, key);
  return literal === undefined ? value : BigInt(literal);
}

/**
 * A response body in the negotiated encoding, from its JSON text (protobuf: see
 * {@link encodeProtobuf}). YAML is written as
 * kube-apiserver's encoder writes it (sigs.k8s.io/yaml over the JSON, go-yaml v2): keys
 * in go-yaml's order, sequences not indented under their key, strings that would read
 * back as another type double-quoted, others that cannot be plain single-quoted.
 */
export function encodeBody(rep: Representation, json: string): string | Buffer {
  if (rep.format === 'json') return json;
  if (rep.format === 'protobuf') return encodeProtobuf(parseKeeping(json) as JsonObject);
  const doc = new Document(parseKeeping(json), exactInteger, { sortMapEntries: byGoYamlKey });
  let separators = false;
  visit(doc, {
    Scalar(_key, node) {
      if (typeof node.value !== 'string') return;
      if (SEPARATORS.test(node.value) && !node.value.includes('\n')) {
        // go-yaml's line breaks too: never plain, single-quoted unless next to a space.
        separators = true;
        const double = SPACED_SEPARATOR.test(node.value) || goQuotes(node.value);
        node.type = double ? 'QUOTE_DOUBLE' : 'QUOTE_SINGLE';
      } else if (goQuotes(node.value)) node.type = 'QUOTE_DOUBLE';
    },
  });
  // Where plain is not allowed, libyaml's emitter picks single quotes if it can.
  const text = doc.toString({ indentSeq: false, singleQuote: true });
  if (!separators) return text;
  return text
    .split('\n')
    .map((line) => (SEPARATORS.test(line) ? goSeparators(line) : line))
    .join('\n');
}
