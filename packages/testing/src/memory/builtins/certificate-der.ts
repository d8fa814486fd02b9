/**
 * Why Go's `x509.ParseCertificates` refuses DER, in its words (own code, for the texts a
 * `status.certificate` is refused with): the certificate is read part by part as
 * crypto/x509's parser reads it with cryptobyte (strict DER headers, minimal integers),
 * so the first part that does not read is named: `x509: malformed tbs certificate`,
 * `… version`, `… serial number`, `… signature algorithm identifier`, an issuer or
 * subject that is not an RDNSequence of typed strings, a validity without two times,
 * `… spki`, a broken public key (public-key-der.ts), the extensions and the values of
 * those Go knows (certificate-extensions.ts), `… signature`.
 * Like Go, it ignores what follows the parts it reads inside an element.
 */
import { type CertificateExtension, extensionsError } from './certificate-extensions.js';
import {
  BOOLEAN,
  DerReader,
  GENERALIZED_TIME,
  OCTET_STRING,
  readBitString,
  readInteger,
  readOid,
  SEQUENCE,
  SET,
  UTC_TIME,
} from './der-reader.js';
import { publicKeyError } from './public-key-der.js';

/** An AlgorithmIdentifier's content, as crypto/x509's `parseAI`. */
function algorithmError(r: DerReader): string | undefined {
  if (!readOid(r)) return 'x509: malformed OID';
  if (!r.empty && !r.read()) return 'x509: malformed parameters';
  return undefined;
}

const PRINTABLE = /^[A-Za-z0-9 '()+,\-./:=?*&]*$/;

/** What crypto/x509's `parseASN1String` says of an attribute value, if it refuses it. */
function stringError(tag: number, value: Buffer): string | undefined {
  switch (tag) {
    case 0x14: // T61String
      return undefined;
    case 0x13:
      return PRINTABLE.test(value.toString('latin1')) ? undefined : 'invalid PrintableString';
    case 0x0c:
      return Buffer.from(value.toString('utf8'), 'utf8').equals(value)
        ? undefined
        : 'invalid UTF-8 string';
    case 0x1e:
      return bmpStringError(value);
    case 0x16:
      return value.every((b) => b < 0x80) ? undefined : 'invalid IA5String';
    case 0x12:
      return /^[0-9 ]*$/.test(value.toString('latin1')) ? undefined : 'invalid NumericString';
    default:
      return `unsupported string type: ${tag}`;
  }
}

/** A BMPString: UCS-2 code points, no surrogates or non-characters (a trailing NUL allowed). */
function bmpStringError(value: Buffer): string | undefined {
  if (value.length % 2 !== 0) return 'invalid BMPString';
  const n =
    value.length >= 2 && value.readUInt16BE(value.length - 2) === 0
      ? value.length - 2
      : value.length;
  for (let i = 0; i < n; i += 2) {
    const p = value.readUInt16BE(i);
    if (p >= 0xfffe || (p >= 0xfdd0 && p <= 0xfdef) || (p >= 0xd800 && p <= 0xdfff)) {
      return 'invalid BMPString';
    }
  }
  return undefined;
}

/** crypto/x509's `parseName`: an RDNSequence of SETs of (OID, string) pairs. */
function nameError(element: DerReader): string | undefined {
  const seq = element.read(SEQUENCE)?.content;
  if (!seq) return 'x509: invalid RDNSequence';
  while (!seq.empty) {
    const set = seq.read(SET)?.content;
    if (!set) return 'x509: invalid RDNSequence';
    while (!set.empty) {
      const atav = set.read(SEQUENCE)?.content;
      if (!atav) return 'x509: invalid RDNSequence: invalid attribute';
      if (!readOid(atav)) return 'x509: invalid RDNSequence: invalid attribute type';
      const value = atav.read();
      if (!value) return 'x509: invalid RDNSequence: invalid attribute value';
      const why = stringError(atav.der[value.start] ?? 0, value.content.rest());
      if (why) return `x509: invalid RDNSequence: invalid attribute value: ${why}`;
    }
  }
  return undefined;
}

/** A UTCTime or GeneralizedTime as cryptobyte accepts it: digits, seconds, `Z`. */
function timeError(r: DerReader): string | undefined {
  const utc = r.peek(UTC_TIME);
  if (!utc && !r.peek(GENERALIZED_TIME)) return 'x509: unsupported time format';
  const text = r.read()?.content.rest().toString('latin1') ?? '';
  const ok =
    (utc ? /^\d{12}(Z|[+-]\d{4})$/ : /^\d{14}(Z|[+-]\d{4})$/).test(text) && validDigits(text, utc);
  if (ok) return undefined;
  return utc ? 'x509: malformed UTCTime' : 'x509: malformed GeneralizedTime';
}

/** Whether a time's month, day, hour, minute and second are in range. */
function validDigits(text: string, utc: boolean): boolean {
  const [month, day, hour, minute, second] = (text.slice(utc ? 2 : 4).match(/\d\d/g) ?? []).map(
    Number,
  );
  const year = utc ? 2000 + Number(text.slice(0, 2)) : Number(text.slice(0, 4));
  const days = new Date(Date.UTC(year, month ?? 0, 0)).getUTCDate();
  return (
    (month ?? 0) >= 1 &&
    (month ?? 0) <= 12 &&
    (day ?? 0) >= 1 &&
    (day ?? 0) <= days &&
    (hour ?? 99) < 24 &&
    (minute ?? 99) < 60 &&
    (second ?? 99) < 60
  );
}

/**
 * The extensions (`[3]` SEQUENCE of extensions), as crypto/x509 reads them: each one's
 * structure, no OID twice, then the values of those it knows (certificate-extensions.ts).
 */
function extensionsListError(tbs: DerReader): string | undefined {
  if (!tbs.peek(0xa3)) return undefined;
  const outer = tbs.read(0xa3)?.content;
  const list = outer?.read(SEQUENCE)?.content;
  if (!list) return 'x509: malformed extensions';
  const extensions: CertificateExtension[] = [];
  while (!list.empty) {
    const ext = list.read(SEQUENCE)?.content;
    if (!ext) return 'x509: malformed extension';
    const oid = readOid(ext);
    if (!oid) return 'x509: malformed extension OID field';
    let critical = false;
    if (ext.peek(BOOLEAN)) {
      const b = ext.read(BOOLEAN)?.content.rest();
      if (b?.length !== 1 || (b[0] !== 0 && b[0] !== 0xff)) {
        return 'x509: malformed extension critical field';
      }
      critical = b[0] === 0xff;
    }
    const value = ext.read(OCTET_STRING)?.content.rest();
    if (!value) return 'x509: malformed extension value field';
    if (extensions.some((e) => e.oid === oid)) {
      return `x509: certificate contains duplicate extension with OID ${JSON.stringify(oid)}`;
    }
    extensions.push({ oid, critical, value });
  }
  return extensionsError(extensions);
}

/** The TBSCertificate's parts after its version, in crypto/x509's order. */
function tbsError(tbs: DerReader, outer: DerReader, version: number): string | undefined {
  const serial = readInteger(tbs);
  if (!serial) return 'x509: malformed serial number';
  if ((serial[0] ?? 0) & 0x80) return 'x509: negative serial number';
  const sigAI = tbs.read(SEQUENCE);
  if (!sigAI) return 'x509: malformed signature algorithm identifier';
  const outerAI = outer.read(SEQUENCE);
  if (!outerAI) return 'x509: malformed algorithm identifier';
  if (!outerAI.content.rest().equals(sigAI.content.rest())) {
    return "x509: inner and outer signature algorithm identifiers don't match";
  }
  const ai = algorithmError(sigAI.content);
  if (ai) return ai;
  for (const part of ['issuer', 'validity', 'subject'] as const) {
    const e = tbs.read(SEQUENCE);
    if (!e) return part === 'validity' ? 'x509: malformed validity' : 'x509: malformed issuer';
    const why =
      part === 'validity'
        ? (timeError(e.content) ?? timeError(e.content))
        : nameError(new DerReader(tbs.der, e.start, e.end));
    if (why) return why;
  }
  const spkiElement = tbs.read(SEQUENCE);
  const spki = spkiElement?.content;
  if (!spki) return 'x509: malformed spki';
  const keyAI = spki.read(SEQUENCE);
  if (!keyAI) return 'x509: malformed public key algorithm identifier';
  const keyAIError = algorithmError(keyAI.content);
  if (keyAIError) return keyAIError;
  if (!readBitString(spki)) return 'x509: malformed subjectPublicKey';
  const keyError = publicKeyError(tbs.der.subarray(spkiElement.start, spkiElement.end));
  if (keyError) return keyError;
  if (version > 1) {
    for (const [tag, name] of [
      [0x81, 'issuerUniqueID'],
      [0x82, 'subjectUniqueID'],
    ] as const) {
      if (tbs.peek(tag) && !tbs.read(tag)) return `x509: malformed ${name}`;
    }
    if (version === 3) return extensionsListError(tbs);
  }
  return undefined;
}

/** Why one certificate at the front of `r` does not read, or `undefined` and `r` past it. */
function certificateError(r: DerReader): string | undefined {
  const cert = r.read(SEQUENCE);
  if (!cert) return 'x509: malformed certificate';
  const outer = cert.content;
  const tbs = outer.read(SEQUENCE)?.content;
  if (!tbs) return 'x509: malformed tbs certificate';
  let version = 0;
  if (tbs.peek(0xa0)) {
    const wrapped = tbs.read(0xa0)?.content;
    const v = wrapped && readInteger(wrapped);
    if (!wrapped || !v || !wrapped.empty || v.length > 8) return 'x509: malformed version';
    if ((v[0] ?? 0) & 0x80) return 'x509: malformed version';
    version = v.length > 1 ? 3 : (v[0] ?? 0);
  }
  if (version + 1 > 3) return 'x509: invalid version';
  const why = tbsError(tbs, outer, version + 1);
  if (why) return why;
  return readBitString(outer) ? undefined : 'x509: malformed signature';
}

/** Why `x509.ParseCertificate` refuses `der` (one certificate), in Go's words, or undefined. */
export function parseCertificateError(der: Buffer): string | undefined {
  const r = new DerReader(der, 0, der.length);
  return certificateError(r) ?? (r.empty ? undefined : 'x509: trailing data');
}

/**
 * Why `x509.ParseCertificates` refuses `der` (certificates back to back), in Go's words,
 * or the number of certificates it holds.
 */
export function parseCertificates(der: Buffer): { error: string } | { count: number } {
  const r = new DerReader(der, 0, der.length);
  let count = 0;
  for (; !r.empty; count++) {
    const error = certificateError(r);
    if (error) return { error };
  }
  return { count };
}
