/**
 * The words Go's net/http and crypto/tls use for what can go wrong in kube-aggregator's
 * discovery GET, for what Node reports in its own words: a certificate the TLS client
 * refuses (checked in Go's order: the host name before the chain), a first TLS record that
 * is not TLS, and a status line net/http cannot read. kube-apiserver puts them, after its
 * `Get "URL": ` prefix, in an APIService's `FailedDiscoveryCheck` message.
 */
import type { X509Certificate } from 'node:crypto';

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

/**
 * What crypto/tls says of a server certificate that a client verifying it for `host`
 * refuses (`tls: failed to verify certificate: …`), or `undefined` when it accepts it.
 * `authorizationError` is OpenSSL's verdict on the chain (Node's `TLSSocket`); a verdict
 * Go has no words here for keeps OpenSSL's.
 */
export function certificateError(
  cert: X509Certificate | undefined,
  host: string,
  authorizationError: string | undefined,
): string | undefined {
  const refused = (why: string) => `tls: failed to verify certificate: ${why}`;
  const name = cert && hostnameError(cert, host);
  if (name) return refused(name);
  if (authorizationError === undefined) return undefined;
  if (UNKNOWN_AUTHORITY.has(authorizationError)) {
    return refused('x509: certificate signed by unknown authority');
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

/**
 * What net/http's `ReadResponse` says of a response whose status line it cannot read
 * (`malformed HTTP response "…"`, `… status code "…"`, `… version "…"`), wrapped as its
 * transport reports a broken connection; `undefined` when the status line reads, so the
 * caller keeps the error it has.
 */
export function statusLineError(response: Buffer): string | undefined {
  const end = response.indexOf('\n');
  if (end < 0) return undefined;
  const line = response.subarray(0, end).toString('latin1').replace(/\r$/, '');
  const broken = (what: string, value: string) =>
    `net/http: HTTP/1.x transport connection broken: malformed HTTP ${what} ${JSON.stringify(value)}`;
  const space = line.indexOf(' ');
  if (space < 0) return broken('response', line);
  const proto = line.slice(0, space);
  const code = line
    .slice(space + 1)
    .replace(/^ +/, '')
    .split(' ', 1)[0] as string;
  if (code.length !== 3 || !/^[+-]?\d+$/.test(code) || Number(code) < 0) {
    return broken('status code', code);
  }
  if (!isHttpVersion(proto)) return broken('version', proto);
  return undefined;
}
