/**
 * Go's `net/url.Parse` as far as kube-apiserver's webhook URL checks and crypto/x509's
 * URI subject alternative names read it (own code:
 * the parts a check looks at and the error a parse gives, in Go's words): the scheme, the
 * host (`host[:port]`, an IP literal in brackets), user information, the query and the
 * fragment. WHATWG's `URL` accepts and normalizes what Go refuses (and the other way
 * round), so the server's answer to a webhook's `clientConfig.url` needs Go's reading.
 */
import { isIPv4 } from 'node:net';
import { netipParseError } from '@kube-ts/schema/validation';
import { goQuote } from './go-print.js';

/** The parts of a URL that Go's parser found. */
export interface GoUrl {
  /** The scheme, lower-cased (`""` when there is none). */
  scheme: string;
  /** `host[:port]`, unescaped (`""` when there is none). */
  host: string;
  /** The user information as Go prints it (`user` or `user:password`), when present. */
  user?: string;
  /** The query without its `?`. */
  rawQuery: string;
  /** The fragment, unescaped. */
  fragment: string;
}

/** What may stand unescaped in a host besides letters and digits (Go's `shouldEscape`). */
const HOST_CHARS = new Set('-_.~!$&\'()*+,;=:[]<>"');
const USERINFO_CHARS = new Set("-._:~!$&'()*+,;=%@");
const USERINFO_KEPT = new Set('-_.~$&+,;=');
const isAlnum = (c: string) => /^[A-Za-z0-9]$/.test(c);
const isHex = (c: string | undefined) => c !== undefined && /^[0-9A-Fa-f]$/.test(c);

class UrlError extends Error {}

/**
 * Go's `unescape`: checks `%XX` escapes (and, in a host or an IPv6 zone, the characters),
 * then decodes.
 */
function goUnescape(s: string, mode: 'host' | 'zone' | 'other' = 'other'): string {
  const host = mode !== 'other';
  for (let i = 0; i < s.length; ) {
    const c = s[i]!;
    if (c === '%') {
      const escaped = s.slice(i, i + 3);
      if (!isHex(s[i + 1]) || !isHex(s[i + 2])) {
        throw new UrlError(`invalid URL escape ${goQuote(escaped)}`);
      }
      // A host may %-encode only bytes outside ASCII (and `%25` in an IPv6 zone); a zone
      // any byte a host may hold, and a space.
      const byte = String.fromCharCode(Number.parseInt(escaped.slice(1), 16));
      const hostByte = isAlnum(byte) || HOST_CHARS.has(byte);
      if (
        (mode === 'host' && Number.parseInt(s[i + 1]!, 16) < 8 && escaped !== '%25') ||
        (mode === 'zone' && escaped !== '%25' && byte !== ' ' && !hostByte)
      ) {
        throw new UrlError(`invalid URL escape ${goQuote(escaped)}`);
      }
      i += 3;
      continue;
    }
    if (host && c.charCodeAt(0) < 0x80 && !isAlnum(c) && !HOST_CHARS.has(c)) {
      throw new UrlError(`invalid character ${goQuote(c)} in host name`);
    }
    i++;
  }
  const bytes: number[] = [];
  const text = Buffer.from(s);
  for (let i = 0; i < text.length; i++) {
    if (text[i] === 0x25) {
      bytes.push(Number.parseInt(String.fromCharCode(text[i + 1]!, text[i + 2]!), 16));
      i += 2;
    } else bytes.push(text[i]!);
  }
  return Buffer.from(bytes).toString();
}

/** Go's `escape` of a user name or password, as `Userinfo.String` prints it. */
function escapeUserinfo(s: string): string {
  return [...Buffer.from(s)]
    .map((b) => {
      const c = String.fromCharCode(b);
      return isAlnum(c) || USERINFO_KEPT.has(c)
        ? c
        : `%${b.toString(16).toUpperCase().padStart(2, '0')}`;
    })
    .join('');
}

/** Whether `port` is empty or `:` and digits. */
const validOptionalPort = (port: string) => port === '' || /^:\d*$/.test(port);

/** Go's `parseHost`: `host[:port]` or `[ipv6]:port`, unescaped. */
function parseHost(scheme: string, host: string): string {
  const open = host.lastIndexOf('[');
  if (open > 0) throw new UrlError('invalid IP-literal');
  if (open === 0) {
    const close = host.lastIndexOf(']');
    if (close < 0) throw new UrlError("missing ']' in host");
    const colonPort = host.slice(close + 1);
    if (!validOptionalPort(colonPort)) {
      throw new UrlError(`invalid port ${goQuote(colonPort)} after host`);
    }
    const bracketed = host.slice(1, close);
    const zoneAt = bracketed.indexOf('%25');
    const literal =
      zoneAt < 0
        ? goUnescape(bracketed, 'host')
        : goUnescape(bracketed.slice(0, zoneAt), 'host') +
          goUnescape(bracketed.slice(zoneAt), 'zone');
    const refused = netipParseError(literal);
    if (refused !== undefined) throw new UrlError(`invalid host: ${refused}`);
    if (isIPv4(literal)) throw new UrlError('invalid IP-literal');
    return `[${literal}]${colonPort}`;
  }
  // Go 1.26 (urlstrictcolons=1): in http and https URLs the port starts at the first
  // colon, so a second one is refused; other schemes take the last.
  const colon = scheme === 'http' || scheme === 'https' ? host.indexOf(':') : host.lastIndexOf(':');
  if (colon >= 0 && !validOptionalPort(host.slice(colon))) {
    throw new UrlError(`invalid port ${goQuote(host.slice(colon))} after host`);
  }
  return goUnescape(host, 'host');
}

/** Go's `parseAuthority`: `[userinfo@]host[:port]`. */
function parseAuthority(scheme: string, authority: string): { host: string; user?: string } {
  const at = authority.lastIndexOf('@');
  const host = parseHost(scheme, authority.slice(at + 1));
  if (at < 0) return { host };
  const userinfo = authority.slice(0, at);
  if (![...userinfo].every((c) => isAlnum(c) || USERINFO_CHARS.has(c))) {
    throw new UrlError('net/url: invalid userinfo');
  }
  const colon = userinfo.indexOf(':');
  if (colon < 0) return { host, user: escapeUserinfo(goUnescape(userinfo)) };
  const name = escapeUserinfo(goUnescape(userinfo.slice(0, colon)));
  return { host, user: `${name}:${escapeUserinfo(goUnescape(userinfo.slice(colon + 1)))}` };
}

/** Go's `getScheme`: `scheme:` when the text starts with one. */
function splitScheme(raw: string): [string, string] {
  for (let i = 0; i < raw.length; i++) {
    const c = raw[i]!;
    if (/[A-Za-z]/.test(c)) continue;
    if (/[0-9+.-]/.test(c)) {
      if (i === 0) return ['', raw];
      continue;
    }
    if (c === ':') {
      if (i === 0) throw new UrlError('missing protocol scheme');
      return [raw.slice(0, i).toLowerCase(), raw.slice(i + 1)];
    }
    return ['', raw];
  }
  return ['', raw];
}

/** Go's `parse` of the text before the fragment. */
function parseWithoutFragment(raw: string): GoUrl {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: Go refuses ASCII control bytes.
  if (/[\x00-\x1f\x7f]/.test(raw)) {
    throw new UrlError('net/url: invalid control character in URL');
  }
  const url: GoUrl = { scheme: '', host: '', rawQuery: '', fragment: '' };
  if (raw === '*') return url;
  let rest: string;
  [url.scheme, rest] = splitScheme(raw);
  const question = rest.indexOf('?');
  if (rest.endsWith('?') && question === rest.length - 1) rest = rest.slice(0, -1);
  else if (question >= 0) {
    url.rawQuery = rest.slice(question + 1);
    rest = rest.slice(0, question);
  }
  if (!rest.startsWith('/')) {
    if (url.scheme !== '') return url; // an opaque URL (`scheme:rest`)
    if ((rest.split('/')[0] ?? '').includes(':')) {
      throw new UrlError('first path segment in URL cannot contain colon');
    }
  }
  if ((url.scheme !== '' || !rest.startsWith('///')) && rest.startsWith('//')) {
    const slash = rest.indexOf('/', 2);
    const authority = slash < 0 ? rest.slice(2) : rest.slice(2, slash);
    rest = slash < 0 ? '' : rest.slice(slash);
    Object.assign(url, parseAuthority(url.scheme, authority));
  }
  goUnescape(rest);
  return url;
}

/**
 * Parses `raw` as Go's `url.Parse` does; a string is the error Go gives
 * (`parse "<url>": <why>`).
 */
export function parseGoUrl(raw: string): GoUrl | string {
  const hash = raw.indexOf('#');
  const head = hash < 0 ? raw : raw.slice(0, hash);
  let url: GoUrl;
  try {
    url = parseWithoutFragment(head);
  } catch (e) {
    if (e instanceof UrlError) return `parse ${goQuote(head)}: ${e.message}`;
    throw e;
  }
  if (hash < 0) return url;
  try {
    url.fragment = goUnescape(raw.slice(hash + 1));
  } catch (e) {
    if (e instanceof UrlError) return `parse ${goQuote(raw)}: ${e.message}`;
    throw e;
  }
  return url;
}
