/**
 * The words Go's net/http and crypto/tls use for what can go wrong in kube-aggregator's
 * discovery GET, for what Node reports in its own words: a certificate the TLS client
 * refuses (checked in Go's order: the host name before the chain), a first TLS record that
 * is not TLS, and a status line net/http cannot read. kube-apiserver puts them, after its
 * `Get "URL": ` prefix, in an APIService's `FailedDiscoveryCheck` message.
 */
import type { X509Certificate } from 'node:crypto';
import { formatGoTime } from '../builtins/times.js';
import { goQuoteBytes } from '../go-print.js';

/** crypto/x509 lists at most this many names of a certificate that does not match. */
const MAX_NAMES_LISTED = 100;

/** OpenSSL's verify errors that crypto/x509 reports as an unknown authority. */
const UNKNOWN_AUTHORITY = new Set([
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
]);

/** The DNS names of a certificate's subject alternative names, in its order. */
function dnsNames(cert: X509Certificate): string[] {
  return (cert.subjectAltName ?? '')
    .split(', ')
    .filter((n) => n.startsWith('DNS:'))
    .map((n) => n.slice('DNS:'.length));
}

/**
 * crypto/x509's `HostnameError` for `host`, a DNS name (the Service's `NAME.NAMESPACE.svc`,
 * the server name kube-aggregator asks for), or `undefined` when the certificate is valid
 * for it. Go never matches the common name, and says so when only the common name would.
 */
function hostnameError(cert: X509Certificate, host: string): string | undefined {
  if (cert.checkHost(host, { subject: 'never' }) !== undefined) return undefined;
  if (cert.subjectAltName === undefined && cert.checkHost(host, { subject: 'always' })) {
    return 'x509: certificate relies on legacy Common Name field, use SANs instead';
  }
  const names = dnsNames(cert);
  if (names.length >= MAX_NAMES_LISTED) {
    return `x509: certificate is valid for ${names.length} names, but none matched ${host}`;
  }
  if (names.length === 0) {
    return `x509: certificate is not valid for any names, but wanted to match ${host}`;
  }
  return `x509: certificate is valid for ${names.join(', ')}, not ${host}`;
}

/** An instant as Go's `Format(time.RFC3339)` writes it in the process's local zone. */
function localRfc3339(ms: number): string {
  const offset = -new Date(ms).getTimezoneOffset();
  const local = formatGoTime('Time', { ms: ms + offset * 60_000, nanos: 0 }).slice(0, -1);
  if (offset === 0) return `${local}Z`;
  const abs = Math.abs(offset);
  const hhmm = `${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
  return `${local}${offset < 0 ? '-' : '+'}${hhmm}`;
}

/**
 * crypto/x509's `CertificateInvalidError` for a certificate outside its validity at `now`
 * (now in the local zone, the certificate's times in UTC, as Go prints them), or undefined.
 */
export function validityError(cert: X509Certificate, now: number): string | undefined {
  const utc = (text: string) => formatGoTime('Time', { ms: Date.parse(text), nanos: 0 });
  const expired = (detail: string) =>
    `x509: certificate has expired or is not yet valid: current time ${localRfc3339(now)} ${detail}`;
  if (now < Date.parse(cert.validFrom)) return expired(`is before ${utc(cert.validFrom)}`);
  if (now > Date.parse(cert.validTo)) return expired(`is after ${utc(cert.validTo)}`);
  return undefined;
}

/**
 * What crypto/tls says of a server certificate that a client verifying it for `host`
 * refuses (`tls: failed to verify certificate: …`), or `undefined` when it accepts it.
 * As in Go's `Verify`, the leaf's validity period comes first, then its name, then the
 * chain: `authorizationError` is OpenSSL's verdict on it (Node's `TLSSocket`), `hint` the
 * reason Go gives when a trusted authority of the issuer's name did not sign it; a
 * verdict Go has no words here for keeps OpenSSL's.
 */
export function certificateError(
  cert: X509Certificate | undefined,
  host: string,
  authorizationError: string | undefined,
  hint?: string,
): string | undefined {
  const refused = (why: string) => `tls: failed to verify certificate: ${why}`;
  const invalid = cert && (validityError(cert, Date.now()) ?? hostnameError(cert, host));
  if (invalid) return refused(invalid);
  if (authorizationError === undefined) return undefined;
  if (hint !== undefined || UNKNOWN_AUTHORITY.has(authorizationError)) {
    return refused(`x509: certificate signed by unknown authority${hint ?? ''}`);
  }
  if (authorizationError === 'INVALID_PURPOSE') {
    return refused('x509: certificate specifies an incompatible key usage');
  }
  return refused(authorizationError);
}

/**
 * What net/http says when the first bytes the server sent are not a TLS record: a plain
 * HTTP answer is a scheme mismatch, anything else crypto/tls's record header error.
 */
export function notTlsError(head: Buffer): string {
  return head.subarray(0, 5).toString('latin1') === 'HTTP/'
    ? 'http: server gave HTTP response to HTTPS client'
    : 'tls: first record does not look like a TLS handshake';
}

/** net/http's `ParseHTTPVersion`: `HTTP/1.0`, `HTTP/1.1` or `HTTP/D.D`. */
function isHttpVersion(proto: string): boolean {
  return /^HTTP\/\d\.\d$/.test(proto);
}

/** net/textproto's `validHeaderFieldByte` (a token byte), with the space Go lets through. */
const headerKeyByte = (c: number) =>
  c === 0x20 || (c < 0x80 && /[0-9A-Za-z!#$%&'*+\-.^_`|~]/.test(String.fromCharCode(c)));

/** net/textproto's `validHeaderValueByte`: visible ASCII, space, tab, or past ASCII. */
const headerValueByte = (c: number) => c === 0x09 || (c >= 0x20 && c !== 0x7f);

/** Go's `trim`: spaces and tabs off both ends. */
const trim = (line: Buffer) => {
  let a = 0;
  let b = line.length;
  while (a < b && (line[a] === 0x20 || line[a] === 0x09)) a++;
  while (b > a && (line[b - 1] === 0x20 || line[b - 1] === 0x09)) b--;
  return line.subarray(a, b);
};

/**
 * net/textproto's `ReadMIMEHeader` over the header lines (CRLF or LF ended, up to the blank
 * line): why it refuses them, or undefined. A continued line (one that starts with a space
 * or tab) is joined to the one before, as there.
 */
function mimeHeaderError(lines: Buffer[]): string | undefined {
  const first = lines[0];
  if (first && (first[0] === 0x20 || first[0] === 0x09)) {
    return `malformed MIME header initial line: ${goQuoteBytes(first)}`;
  }
  for (let i = 0; i < lines.length && (lines[i]?.length ?? 0) > 0; ) {
    const line = lines[i++] as Buffer;
    if (!line.includes(0x3a)) return `malformed MIME header: missing colon: ${goQuoteBytes(line)}`;
    const parts = [trim(line)];
    while (i < lines.length && (lines[i]?.[0] === 0x20 || lines[i]?.[0] === 0x09)) {
      parts.push(Buffer.from(' '), trim(lines[i++] as Buffer));
    }
    const kv = Buffer.concat(parts);
    const colon = kv.indexOf(0x3a);
    const key = kv.subarray(0, colon);
    const value = kv.subarray(colon + 1);
    if (key.length === 0 || !key.every(headerKeyByte) || !value.every(headerValueByte)) {
      return `malformed MIME header line: ${goQuoteBytes(kv)}`;
    }
  }
  return undefined;
}

/**
 * What net/http's `ReadResponse` says of a response head it cannot read: a status line
 * (`malformed HTTP response "…"`, `… status code "…"`, `… version "…"`) or a header
 * (net/textproto's `malformed MIME header …`), wrapped as its transport reports a broken
 * connection; `undefined` when the head reads, so the caller keeps the error it has.
 */
export function responseHeadError(response: Buffer): string | undefined {
  const lines: Buffer[] = [];
  for (let at = 0; at < response.length; ) {
    const end = response.indexOf(0x0a, at);
    if (end < 0) break;
    const line = response.subarray(at, end);
    lines.push(line[line.length - 1] === 0x0d ? line.subarray(0, -1) : line);
    at = end + 1;
  }
  const [statusLine, ...headers] = lines;
  if (!statusLine) return undefined;
  const why = statusLineError(statusLine.toString('latin1')) ?? mimeHeaderError(headers);
  return why && `net/http: HTTP/1.x transport connection broken: ${why}`;
}

/** Why net/http cannot read a status line, or undefined. */
function statusLineError(line: string): string | undefined {
  const malformed = (what: string, value: string) =>
    `malformed HTTP ${what} ${JSON.stringify(value)}`;
  const space = line.indexOf(' ');
  if (space < 0) return malformed('response', line);
  const proto = line.slice(0, space);
  const code = line
    .slice(space + 1)
    .replace(/^ +/, '')
    .split(' ', 1)[0] as string;
  if (code.length !== 3 || !/^[+-]?\d+$/.test(code) || Number(code) < 0) {
    return malformed('status code', code);
  }
  if (!isHttpVersion(proto)) return malformed('version', proto);
  return undefined;
}
