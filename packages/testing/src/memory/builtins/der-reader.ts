/**
 * DER read as Go's cryptobyte reads it (for crypto/x509's parser, own code): strict
 * headers (no high tag numbers, minimal definite lengths), minimal INTEGERs, OBJECT
 * IDENTIFIERs of minimal base-128 components, BIT STRINGs with zero padding bits.
 */

/** A window of DER bytes read front to back, as cryptobyte's `String`. */
export class DerReader {
  constructor(
    readonly der: Buffer,
    private at: number,
    private readonly end: number,
  ) {}

  get empty(): boolean {
    return this.at >= this.end;
  }

  /** Whether the next element has the identifier byte `tag`. */
  peek(tag: number): boolean {
    return !this.empty && this.der[this.at] === tag;
  }

  /**
   * The next element with identifier `tag`: its content, and where it starts and ends.
   * As cryptobyte, a high tag number, an indefinite or non-minimal length, or a length
   * past the window fails (and so does another tag).
   */
  read(tag?: number): { content: DerReader; start: number; end: number } | undefined {
    const start = this.at;
    if (this.end - start < 2) return undefined;
    const id = this.der[start] ?? 0;
    const lengthByte = this.der[start + 1] ?? 0;
    if ((id & 0x1f) === 0x1f || (tag !== undefined && id !== tag)) return undefined;
    let header = 2;
    let length = lengthByte;
    if (lengthByte & 0x80) {
      const n = lengthByte & 0x7f;
      if (n === 0 || n > 4 || this.end - start < 2 + n) return undefined;
      length = 0;
      for (let k = 0; k < n; k++) length = length * 256 + (this.der[start + 2 + k] ?? 0);
      if (length < 128 || this.der[start + 2] === 0) return undefined;
      header += n;
    }
    const end = start + header + length;
    if (end > this.end) return undefined;
    this.at = end;
    return { content: new DerReader(this.der, start + header, end), start, end };
  }

  /** The bytes still unread. */
  rest(): Buffer {
    return this.der.subarray(this.at, this.end);
  }
}

/** Identifier bytes of the universal types read here. */
export const SEQUENCE = 0x30;
export const SET = 0x31;
export const INTEGER = 0x02;
export const BIT_STRING = 0x03;
export const OCTET_STRING = 0x04;
export const OID = 0x06;
export const BOOLEAN = 0x01;
export const UTC_TIME = 0x17;
export const GENERALIZED_TIME = 0x18;

/** cryptobyte's minimal two's-complement INTEGER content. */
function minimalInteger(bytes: Buffer): boolean {
  if (bytes.length === 0) return false;
  if (bytes.length === 1) return true;
  const [a = 0, b = 0] = bytes;
  return !((a === 0 && (b & 0x80) === 0) || (a === 0xff && (b & 0x80) !== 0));
}

/**
 * An INTEGER (minimal; with identifier `tag` when implicitly tagged), as its content
 * bytes; `undefined` when it does not read.
 */
export function readInteger(r: DerReader, tag = INTEGER): Buffer | undefined {
  const e = r.read(tag);
  const bytes = e?.content.rest();
  return bytes && minimalInteger(bytes) ? bytes : undefined;
}

/**
 * cryptobyte's OBJECT IDENTIFIER (minimal base-128 components of at most 31 bits), as
 * dotted text; `undefined` when it does not read.
 */
export function readOid(r: DerReader): string | undefined {
  const bytes = r.read(OID)?.content.rest();
  if (!bytes || bytes.length === 0) return undefined;
  const parts: number[] = [];
  let digits = 0;
  let value = 0;
  for (const b of bytes) {
    if ((digits === 0 && b === 0x80) || digits === 5 || value >= 1 << 24) return undefined;
    value = value * 128 + (b & 0x7f);
    digits++;
    if (b & 0x80) continue;
    if (parts.length > 0) parts.push(value);
    else parts.push(value < 80 ? Math.floor(value / 40) : 2, value < 80 ? value % 40 : value - 80);
    digits = 0;
    value = 0;
  }
  return digits === 0 ? parts.join('.') : undefined;
}

/**
 * A BIT STRING as cryptobyte reads it (a padding count below 8 whose padding bits are
 * zero), right-aligned as Go's `BitString.RightAlign` gives it; `undefined` when it does
 * not read.
 */
export function readBitString(r: DerReader): Buffer | undefined {
  const bytes = r.read(BIT_STRING)?.content.rest();
  if (!bytes || bytes.length === 0) return undefined;
  const padding = bytes[0] ?? 0;
  const body = bytes.subarray(1);
  const last = body[body.length - 1] ?? 0;
  if (padding > 7 || (body.length === 0 && padding !== 0) || (last & ((1 << padding) - 1)) !== 0) {
    return undefined;
  }
  if (padding === 0) return body;
  const out = Buffer.alloc(body.length);
  for (let i = 0; i < body.length; i++) {
    out[i] = ((body[i - 1] ?? 0) << (8 - padding)) | ((body[i] ?? 0) >> padding);
  }
  return out;
}
