/**
 * PEM blocks and the DER inside them, read as Go's `encoding/pem` and `encoding/asn1` read
 * them where kube-apiserver's CertificateSigningRequest validation depends on it (own
 * code: its error texts are what a client sees): a block's type, headers and bytes, and
 * the tag-length-value elements of DER with asn1's words for the ways they go wrong.
 */

/** One PEM block. */
export interface PemBlock {
  readonly type: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly bytes: Buffer;
}

/** Standard base64 with padding, as Go's `base64.StdEncoding` accepts it (whitespace removed). */
function strictBase64(text: string): Buffer | undefined {
  const compact = text.replace(/[\r\n\t ]/g, '');
  if (compact.length % 4 !== 0 || !/^[A-Za-z0-9+/]*={0,2}$/.test(compact)) return undefined;
  return Buffer.from(compact, 'base64');
}

const BEGIN = /(?:^|\n)-----BEGIN ([^\n-]*)-----[ \t]*\r?\n/g;

/**
 * The PEM blocks of a text in order, as repeated `pem.Decode` finds them: a block whose
 * body does not decode is skipped, and reading goes on after it.
 */
export function pemBlocks(text: string): PemBlock[] {
  const blocks: PemBlock[] = [];
  BEGIN.lastIndex = 0;
  for (let m = BEGIN.exec(text); m; m = BEGIN.exec(text)) {
    const type = m[1] ?? '';
    const bodyStart = BEGIN.lastIndex;
    const endMark = `\n-----END ${type}-----`;
    const end = text.indexOf(endMark, bodyStart - 1);
    if (end < 0) continue;
    const lines = text.slice(bodyStart, end).split('\n');
    const headers: Record<string, string> = {};
    let i = 0;
    for (; i < lines.length && lines[i]?.includes(':'); i++) {
      const line = lines[i] ?? '';
      const at = line.indexOf(':');
      headers[line.slice(0, at).trim()] = line.slice(at + 1).trim();
    }
    if (i > 0 && lines[i]?.trim() === '') i++;
    const bytes = strictBase64(lines.slice(i).join('\n'));
    if (!bytes) continue;
    blocks.push({ type, headers, bytes });
    BEGIN.lastIndex = end + endMark.length;
  }
  return blocks;
}

/** One DER element: its identifier, where its content lies, where it ends. */
export interface DerElement {
  /** The ASN.1 class (0 universal, 1 application, 2 context-specific, 3 private). */
  readonly cls: number;
  readonly tag: number;
  readonly compound: boolean;
  /** Where the header starts. */
  readonly start: number;
  /** Where the content starts. */
  readonly contentStart: number;
  /** Where the element ends. */
  readonly end: number;
}

/** An asn1 error, in Go's words. */
export class Asn1Error extends Error {}

/** The identifier and length at `offset` (asn1's `truncated tag or length` when cut short). */
function readHeader(der: Buffer, offset: number, limit: number): DerElement {
  const truncated = () => new Asn1Error('asn1: syntax error: truncated tag or length');
  if (offset + 2 > limit) throw truncated();
  const id = der[offset] ?? 0;
  let length = der[offset + 1] ?? 0;
  let at = offset + 2;
  if (length & 0x80) {
    const n = length & 0x7f;
    if (n === 0) throw new Asn1Error('asn1: syntax error: indefinite length found (not DER)');
    if (n > 4) throw new Asn1Error('asn1: structure error: length too large');
    if (at + n > limit) throw truncated();
    length = 0;
    for (let k = 0; k < n; k++) length = length * 256 + (der[at + k] ?? 0);
    at += n;
  }
  return {
    cls: id >> 6,
    tag: id & 0x1f,
    compound: (id & 0x20) !== 0,
    start: offset,
    contentStart: at,
    end: at + length,
  };
}

/** `e`, unless its content runs past `limit` (asn1's `data truncated`). */
function withinLimit(e: DerElement, limit: number): DerElement {
  if (e.end > limit) throw new Asn1Error('asn1: syntax error: data truncated');
  return e;
}

/** The element at `offset` of `der` (short and long lengths, single-byte tags). */
export function readElement(der: Buffer, offset: number, limit = der.length): DerElement {
  return withinLimit(readHeader(der, offset, limit), limit);
}

/** The empty struct-field options Go prints in a tag mismatch. */
const FIELD_OPTIONS =
  '{optional:false explicit:false application:false private:false defaultValue:<nil> tag:<nil> stringType:0 timeType:0 set:false omitEmpty:false}';

/**
 * The SEQUENCE that a Go struct named `name` is read from at `offset`: asn1's `tags don't
 * match` error (with the element it found and the offset after its header) when it is
 * something else, `sequence truncated` when nothing is left; the tag is checked before the
 * length, as there. Go counts the offset from the start of the enclosing element's content,
 * `base`.
 */
export function readSequence(
  der: Buffer,
  offset: number,
  limit: number,
  name: string,
  base = 0,
): DerElement {
  if (offset >= limit) throw new Asn1Error('asn1: syntax error: sequence truncated');
  const e = readHeader(der, offset, limit);
  if (e.cls !== 0 || e.tag !== 16 || !e.compound) {
    const found = `{class:${e.cls} tag:${e.tag} length:${e.end - e.contentStart} isCompound:${e.compound}}`;
    throw new Asn1Error(
      `asn1: structure error: tags don't match (16 vs ${found}) ${FIELD_OPTIONS} ${name} @${e.contentStart - base}`,
    );
  }
  return withinLimit(e, limit);
}

/** The elements directly inside a constructed element. */
export function childrenOf(der: Buffer, parent: DerElement): DerElement[] {
  const out: DerElement[] = [];
  for (let at = parent.contentStart; at < parent.end; ) {
    const e = readElement(der, at, parent.end);
    out.push(e);
    at = e.end;
  }
  return out;
}

/** The dotted text of an OBJECT IDENTIFIER element. */
export function oidOf(der: Buffer, e: DerElement): string {
  const bytes = der.subarray(e.contentStart, e.end);
  const parts: number[] = [];
  let value = 0;
  for (const b of bytes) {
    value = value * 128 + (b & 0x7f);
    if (b & 0x80) continue;
    if (parts.length === 0)
      parts.push(value < 80 ? Math.floor(value / 40) : 2, value < 80 ? value % 40 : value - 80);
    else parts.push(value);
    value = 0;
  }
  return parts.join('.');
}
