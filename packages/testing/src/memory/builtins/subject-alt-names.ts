/**
 * Names in certificates as crypto/x509 reads them (own code, for its words): the subject
 * alternative names extension (`parseSANExtension`, for certificates and certificate
 * requests alike), and the checks its name constraints reuse: IA5 strings,
 * `domainNameValid` and RFC 2821 mailboxes.
 */
import { goQuoteBytes } from '../go-print.js';
import { parseGoUrl } from '../go-url.js';
import { DerReader, SEQUENCE } from './der-reader.js';

/** The GeneralName tags crypto/x509 reads (context-specific, primitive). */
export const EMAIL_NAME = 0x81;
export const DNS_NAME = 0x82;
export const URI_NAME = 0x86;
export const IP_ADDRESS = 0x87;

/** `isIA5String`: Go's error for a text with a byte past ASCII, or undefined. */
export function ia5Error(value: Buffer): string | undefined {
  return value.every((b) => b < 0x80)
    ? undefined
    : `x509: ${goQuoteBytes(value)} cannot be encoded as an IA5String`;
}

/**
 * `domainNameValid`: no trailing dot, printable ASCII only, no empty label (a constraint
 * may start with one dot). Go 1.26 leaves out the length checks and allows the empty text.
 */
export function domainNameValid(s: string, constraint: boolean): boolean {
  if (s === '') return true;
  if (s.endsWith('.')) return false;
  const name = constraint && s.startsWith('.') ? s.slice(1) : s;
  return name
    .split('.')
    .every((label) => label !== '' && [...label].every((c) => c >= '!' && c <= '~'));
}

/** `domainToReverseLabels`'s verdict: labels of printable ASCII, none empty (nor a last dot). */
function domainLabelsValid(domain: string): boolean {
  if (domain === '') return true;
  return domain.split('.').every((label) => label !== '' && /^[!-~]+$/.test(label));
}

const ATEXT = /^[0-9A-Za-z!#$%&'*+\-/=?^_`{|}~.]$/;

/** The quoted local part of a mailbox after its opening quote: what follows it, or undefined. */
function afterQuotedLocal(text: string): string | undefined {
  for (let i = 0; i < text.length; ) {
    const c = text.charCodeAt(i++);
    if (c === 0x22) return text.slice(i);
    if (c === 0x5c) {
      const next = text.charCodeAt(i++);
      if (Number.isNaN(next) || next === 0 || next === 10 || next === 13 || next > 127) {
        return undefined;
      }
      continue;
    }
    const qtext = (c >= 1 && c <= 8) || c === 11 || c === 12 || (c >= 14 && c <= 33) || c === 127;
    if (!qtext && !(c >= 35 && c <= 91) && !(c >= 93 && c <= 126)) return undefined;
  }
  return undefined;
}

/** `parseRFC2821Mailbox`'s verdict: a local part (quoted or dotted atoms), `@`, a domain. */
export function isRfc2821Mailbox(text: string): boolean {
  let rest: string | undefined;
  if (text.startsWith('"')) {
    rest = afterQuotedLocal(text.slice(1));
  } else {
    let local = '';
    let i = 0;
    while (i < text.length) {
      let c = text.charAt(i);
      if (c === '\\') {
        i++;
        if (i >= text.length) return false;
        c = text.charAt(i);
      } else if (!ATEXT.test(c)) {
        break;
      }
      local += c;
      i++;
    }
    if (local === '' || local.startsWith('.') || local.endsWith('.') || local.includes('..')) {
      return false;
    }
    rest = text.slice(i);
  }
  if (rest === undefined || !rest.startsWith('@')) return false;
  return domainLabelsValid(rest.slice(1));
}

/** Why one name of a subject alternative names extension does not read, or undefined. */
function nameError(tag: number, value: Buffer): string | undefined {
  const text = value.toString('latin1');
  switch (tag) {
    case EMAIL_NAME:
      return ia5Error(value) ? 'x509: SAN rfc822Name is malformed' : undefined;
    case DNS_NAME:
      return ia5Error(value) ? 'x509: SAN dNSName is malformed' : undefined;
    case URI_NAME: {
      if (ia5Error(value)) return 'x509: SAN uniformResourceIdentifier is malformed';
      const url = parseGoUrl(text);
      const quoted = goQuoteBytes(value);
      if (typeof url === 'string') return `x509: cannot parse URI ${quoted}: ${url}`;
      if (url.host !== '' && !domainNameValid(url.host, false)) {
        return `x509: cannot parse URI ${quoted}: invalid domain`;
      }
      return undefined;
    }
    case IP_ADDRESS:
      return value.length === 4 || value.length === 16
        ? undefined
        : `x509: cannot parse IP address of length ${value.length}`;
    default:
      return undefined;
  }
}

/**
 * `parseSANExtension`: why a subject alternative names extension's value does not read,
 * or undefined (a SEQUENCE of GeneralNames; other name forms are not read; bytes after
 * the SEQUENCE are ignored, as there).
 */
export function subjectAltNamesError(value: Buffer): string | undefined {
  const names = new DerReader(value, 0, value.length).read(SEQUENCE)?.content;
  if (!names) return 'x509: invalid subject alternative names';
  while (!names.empty) {
    const name = names.read();
    if (!name) return 'x509: invalid subject alternative name';
    const why = nameError(names.der[name.start] ?? 0, name.content.rest());
    if (why) return why;
  }
  return undefined;
}
