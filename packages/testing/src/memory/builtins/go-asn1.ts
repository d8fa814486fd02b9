/**
 * Go's `encoding/asn1.Unmarshal` into the Go types crypto/x509 reads a certificate request
 * with (own code, for its error texts, which kube-apiserver returns as they are): a type
 * is described here by its kind and Go name, and reading it fails where and as
 * `parseField` fails, with the offsets, tag-and-length values and field parameters Go
 * prints in `tags don't match` errors.
 */

/** A Go type that `Unmarshal` reads, as far as crypto/x509's request structs use them. */
export type GoAsn1Type =
  | { readonly kind: 'struct'; readonly name: string; readonly fields: readonly GoAsn1Field[] }
  | { readonly kind: 'int' | 'bool' | 'oid' | 'bitString' | 'bytes' | 'rawValue' | 'any' }
  | {
      readonly kind: 'sliceOf';
      readonly name: string;
      readonly element: GoAsn1Type;
    };

/** A struct field: its type and the `asn1:"…"` parameters used here. */
export interface GoAsn1Field {
  readonly type: GoAsn1Type;
  readonly optional?: boolean;
  /** An implicit context-specific tag (`tag:N`). */
  readonly tag?: number;
  /** `set`: a SET OF rather than a SEQUENCE OF. */
  readonly set?: boolean;
}

/** An encoding/asn1 error, in its words. */
export class GoAsn1Error extends Error {}

const syntax = (msg: string) => new GoAsn1Error(`asn1: syntax error: ${msg}`);
const structural = (msg: string) => new GoAsn1Error(`asn1: structure error: ${msg}`);

/** A parsed identifier and length (`tagAndLength`). */
interface TagAndLength {
  readonly cls: number;
  readonly tag: number;
  readonly length: number;
  readonly compound: boolean;
}

/** The Go type names `%s` prints for `Type.Name()` (unnamed types print nothing). */
function goName(type: GoAsn1Type): string {
  switch (type.kind) {
    case 'struct':
    case 'sliceOf':
      return type.name;
    case 'int':
      return 'int';
    case 'bool':
      return 'bool';
    case 'oid':
      return 'ObjectIdentifier';
    case 'bitString':
      return 'BitString';
    case 'rawValue':
      return 'RawValue';
    default:
      return '';
  }
}

/** `getUniversalType`: whether any tag matches, the universal tag, whether constructed. */
function universalType(type: GoAsn1Type, set: boolean): [boolean, number, boolean] {
  switch (type.kind) {
    case 'rawValue':
      return [true, -1, false];
    case 'oid':
      return [false, 6, false];
    case 'bitString':
      return [false, 3, false];
    case 'bool':
      return [false, 1, false];
    case 'int':
      return [false, 2, false];
    case 'bytes':
      return [false, 4, false];
    case 'struct':
      return [false, 16, true];
    case 'sliceOf':
      return [false, set || type.name.endsWith('SET') ? 17 : 16, true];
    default:
      return [true, -1, false];
  }
}

/**
 * `parseBase128Int`: a base-128 number at `offset` and the offset after it. Errors as
 * Go's: too long or above 2^31-1, a leading 0x80, cut short.
 */
function base128(bytes: Buffer, offset: number): [number, number] {
  let value = 0;
  for (let shifted = 0, at = offset; at < bytes.length; shifted++) {
    if (shifted === 5) throw structural('base 128 integer too large');
    const b = bytes[at++] ?? 0;
    if (shifted === 0 && b === 0x80) throw syntax('integer is not minimally encoded');
    value = value * 128 + (b & 0x7f);
    if ((b & 0x80) === 0) {
      if (value > 0x7fffffff) throw structural('base 128 integer too large');
      return [value, at];
    }
  }
  throw syntax('truncated base 128 integer');
}

/** `parseTagAndLength`: the identifier and length at `offset`, and the offset after them. */
function tagAndLength(bytes: Buffer, offset: number): [TagAndLength, number] {
  let at = offset;
  const id = bytes[at++] ?? 0;
  let tag = id & 0x1f;
  if (tag === 0x1f) {
    [tag, at] = base128(bytes, at);
    if (tag < 0x1f) throw syntax('non-minimal tag');
  }
  if (at >= bytes.length) throw syntax('truncated tag or length');
  const lengthByte = bytes[at++] ?? 0;
  let length = lengthByte & 0x7f;
  if (lengthByte & 0x80) {
    const n = lengthByte & 0x7f;
    if (n === 0) throw syntax('indefinite length found (not DER)');
    length = 0;
    for (let i = 0; i < n; i++) {
      if (at >= bytes.length) throw syntax('truncated tag or length');
      const b = bytes[at++] ?? 0;
      if (length >= 1 << 23) throw structural('length too large');
      length = length * 256 + b;
      if (length === 0) throw structural('superfluous leading zeros in length');
    }
    if (length < 0x80) throw structural('non-minimal length');
  }
  return [{ cls: id >> 6, tag, length, compound: (id & 0x20) !== 0 }, at];
}

/** `checkInteger` and `parseInt64`'s size limit. */
function checkInt64(bytes: Buffer): void {
  if (bytes.length === 0) throw structural('empty integer');
  const [a = 0, b = 0] = bytes;
  if (bytes.length > 1 && ((a === 0 && (b & 0x80) === 0) || (a === 0xff && (b & 0x80) !== 0))) {
    throw structural('integer not minimally-encoded');
  }
  if (bytes.length > 8) throw structural('integer too large');
}

/** `parseObjectIdentifier`'s checks. */
function checkOid(bytes: Buffer): void {
  if (bytes.length === 0) throw syntax('zero length OBJECT IDENTIFIER');
  for (let at = 0; at < bytes.length; ) [, at] = base128(bytes, at);
}

/** `parseBitString`'s checks. */
function checkBitString(bytes: Buffer): void {
  if (bytes.length === 0) throw syntax('zero length BIT STRING');
  const padding = bytes[0] ?? 0;
  const last = bytes[bytes.length - 1] ?? 0;
  if (padding > 7 || (bytes.length === 1 && padding > 0) || (last & ((1 << padding) - 1)) !== 0) {
    throw syntax('invalid padding bits in BIT STRING');
  }
}

/** `parseBool`'s checks. */
function checkBool(bytes: Buffer): void {
  if (bytes.length !== 1 || (bytes[0] !== 0 && bytes[0] !== 0xff)) throw syntax('invalid boolean');
}

const PRINTABLE = /^[A-Za-z0-9 '()+,\-./:=?*&]*$/;

/** What an `interface{}` field checks of a primitive universal value, by its tag. */
function checkAny(tag: number, bytes: Buffer): void {
  const text = bytes.toString('latin1');
  switch (tag) {
    case 1:
      checkBool(bytes);
      return;
    case 2:
      checkInt64(bytes);
      return;
    case 3:
      checkBitString(bytes);
      return;
    case 6:
      checkOid(bytes);
      return;
    case 0x12:
      if (!/^[0-9 ]*$/.test(text)) throw syntax('NumericString contains invalid character');
      return;
    case 0x13:
      if (!PRINTABLE.test(text)) throw syntax('PrintableString contains invalid character');
      return;
    case 0x16:
      if (!bytes.every((b) => b < 0x80)) throw syntax('IA5String contains invalid character');
      return;
    case 0x0c:
      if (!Buffer.from(bytes.toString('utf8'), 'utf8').equals(bytes)) {
        throw new GoAsn1Error('asn1: invalid UTF-8 string');
      }
      return;
    default:
      return;
  }
}

/**
 * Go's `%+v` of a field's parameters. A `tag:N` parameter is a pointer there, printed as
 * an address that differs from run to run; a fixed one of the same form stands for it.
 */
function fieldParameters(field: GoAsn1Field): string {
  const tag = field.tag === undefined ? '<nil>' : '0xc000012345';
  return `{optional:${field.optional === true} explicit:false application:false private:false defaultValue:<nil> tag:${tag} stringType:0 timeType:0 set:${field.set === true} omitEmpty:false}`;
}

/** `parseSequenceOf`: the elements of a SEQUENCE OF or SET OF `element` in `bytes`. */
function parseSequenceOf(bytes: Buffer, element: GoAsn1Type): void {
  const [matchAny, expectedTag, compound] = universalType(element, false);
  const starts: number[] = [];
  for (let at = 0; at < bytes.length; ) {
    starts.push(at);
    const [t, after] = tagAndLength(bytes, at);
    let tag = t.tag;
    if ([0x16, 0x1b, 0x14, 0x0c, 0x12, 0x1e].includes(tag)) tag = 0x13;
    if (tag === 0x18) tag = 0x17;
    if (!matchAny && (t.cls !== 0 || t.compound !== compound || tag !== expectedTag)) {
      throw structural('sequence tag mismatch');
    }
    if (after + t.length > bytes.length) throw syntax('truncated sequence');
    at = after + t.length;
  }
  let offset = 0;
  for (let i = 0; i < starts.length; i++) offset = parseField(bytes, offset, { type: element });
}

/** `parseField`: reads `field` at `offset` of `bytes`; the offset after it. */
function parseField(bytes: Buffer, offset: number, field: GoAsn1Field): number {
  const { type } = field;
  if (offset === bytes.length) {
    if (field.optional) return offset;
    throw syntax('sequence truncated');
  }
  const [t, contentStart] = tagAndLength(bytes, offset);
  if (type.kind === 'any') {
    if (contentStart + t.length > bytes.length) throw syntax('data truncated');
    if (!t.compound && t.cls === 0) {
      checkAny(t.tag, bytes.subarray(contentStart, contentStart + t.length));
    }
    return contentStart + t.length;
  }
  const [matchAny, universalTag, compound] = universalType(type, field.set === true);
  const tagged = field.tag !== undefined;
  const expectedClass = tagged ? 2 : 0;
  const expectedTag = tagged ? (field.tag ?? 0) : universalTag;
  const matchAnyClassAndTag = matchAny && !tagged;
  if (
    (!matchAnyClassAndTag && (t.cls !== expectedClass || t.tag !== expectedTag)) ||
    (!matchAny && t.compound !== compound)
  ) {
    if (field.optional) return offset;
    const found = `{class:${t.cls} tag:${t.tag} length:${t.length} isCompound:${t.compound}}`;
    throw structural(
      `tags don't match (${expectedTag} vs ${found}) ${fieldParameters(field)} ${goName(type)} @${contentStart}`,
    );
  }
  const end = contentStart + t.length;
  if (end > bytes.length) throw syntax('data truncated');
  const inner = bytes.subarray(contentStart, end);
  switch (type.kind) {
    case 'oid':
      checkOid(inner);
      break;
    case 'bitString':
      checkBitString(inner);
      break;
    case 'bool':
      checkBool(inner);
      break;
    case 'int':
      checkInt64(inner);
      break;
    case 'struct': {
      let at = 0;
      for (const f of type.fields) at = parseField(inner, at, f);
      break;
    }
    case 'sliceOf':
      parseSequenceOf(inner, type.element);
      break;
    default:
      break;
  }
  return end;
}

/**
 * `asn1.Unmarshal(der, &value)` for a value of `type`: the bytes after it (Go's `rest`),
 * or a GoAsn1Error in Go's words.
 */
export function unmarshal(der: Buffer, type: GoAsn1Type): Buffer {
  return der.subarray(parseField(der, 0, { type }));
}
