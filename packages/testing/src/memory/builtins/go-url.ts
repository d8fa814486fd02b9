/**
 * Go's `url.Parse` as far as crypto/x509 needs it for a URI subject alternative name (own
 * code, for its words, which the x509 error quotes): the host it finds, or why it refuses
 * the text (`parse "…": missing protocol scheme`, `… invalid URL escape "%zz"`, `… invalid
 * port ":x" after host`, `… invalid character " " in host name`, …). The text is ASCII
 * here (crypto/x509 checks it is an IA5String first).
 */
import { isIPv4, isIPv6 } from 'node:net';

/** Characters a host (and an IPv6 zone) may hold unescaped, beside letters and digits. */
const HOST_PUNCTUATION = new Set('!"$&\'()*+,-.:;<=>[]_~');

const isAlphanumeric = (c: string) => /^[A-Za-z0-9]$/.test(c);
const isHex = (c: string | undefined) => c !== undefined && /^[0-9A-Fa-f]$/.test(c);

type Mode = 'host' | 'zone' | 'other';

/** `unescape`'s checks of `s` in `mode`: why it refuses it, or undefined. */
function unescapeError(s: string, mode: Mode): string | undefined {
  for (let i = 0; i < s.length; ) {
    const c = s.charAt(i);
    if (c === '%') {
      if (i + 2 >= s.length || !isHex(s[i + 1]) || !isHex(s[i + 2])) {
        return `invalid URL escape ${JSON.stringify(s.slice(i, i + 3))}`;
      }
      const escaped = s.slice(i, i + 3);
      const value = Number.parseInt(s.slice(i + 1, i + 3), 16);
      if (mode === 'host' && value >> 4 < 8 && escaped !== '%25') {
        return `invalid URL escape ${JSON.stringify(escaped)}`;
      }
      if (mode === 'zone') {
        const byte = String.fromCharCode(value);
        const hostSafe = isAlphanumeric(byte) || HOST_PUNCTUATION.has(byte);
        if (escaped !== '%25' && byte !== ' ' && !hostSafe) {
          return `invalid URL escape ${JSON.stringify(escaped)}`;
        }
      }
      i += 3;
      continue;
    }
    if (mode !== 'other' && !isAlphanumeric(c) && !HOST_PUNCTUATION.has(c)) {
      return `invalid character ${JSON.stringify(c)} in host name`;
    }
    i++;
  }
  return undefined;
}

/** `validOptionalPort`: empty, or a colon and digits. */
const validOptionalPort = (port: string) => /^(:[0-9]*)?$/.test(port);

/**
 * netip.ParseAddr's verdict on a bracketed host, as far as it is told here: an IPv6
 * address passes, an IPv4 one is no IP-literal, else its first words (netip is more
 * specific about a text with a dot or colon that is no address).
 */
function bracketedAddressError(address: string): string | undefined {
  if (isIPv6(address)) return undefined;
  if (isIPv4(address)) return 'invalid IP-literal';
  const first = /[.:%]/.exec(address)?.[0];
  const why = first === '%' ? 'missing IPv6 address' : 'unable to parse IP';
  return `invalid host: ParseAddr(${JSON.stringify(address)}): ${why}`;
}

/** `parseHost`: the host (escapes left as written), or why it is refused. */
function parseHost(scheme: string, host: string): { host: string } | { error: string } {
  const open = host.lastIndexOf('[');
  if (open > 0) return { error: 'invalid IP-literal' };
  if (open === 0) {
    const close = host.lastIndexOf(']');
    if (close < 0) return { error: "missing ']' in host" };
    const colonPort = host.slice(close + 1);
    if (!validOptionalPort(colonPort)) {
      return { error: `invalid port ${JSON.stringify(colonPort)} after host` };
    }
    const name = host.slice(1, close);
    const zone = name.indexOf('%25');
    const error =
      zone >= 0
        ? (unescapeError(name.slice(0, zone), 'host') ?? unescapeError(name.slice(zone), 'zone'))
        : unescapeError(name, 'host');
    if (error) return { error };
    const unescaped =
      zone >= 0 ? `${decode(name.slice(0, zone))}%${decode(name.slice(zone + 3))}` : decode(name);
    const addressError = bracketedAddressError(unescaped);
    return addressError ? { error: addressError } : { host: `[${unescaped}]${colonPort}` };
  }
  const first = host.indexOf(':');
  if (first >= 0) {
    // Go 1.26 (urlstrictcolons=1) takes the first colon for http and https, the last otherwise.
    const at = scheme === 'http' || scheme === 'https' ? first : host.lastIndexOf(':');
    const colonPort = host.slice(at);
    if (!validOptionalPort(colonPort)) {
      return { error: `invalid port ${JSON.stringify(colonPort)} after host` };
    }
  }
  const error = unescapeError(host, 'host');
  return error ? { error } : { host: decode(host) };
}

/** Percent escapes decoded byte by byte (already checked). */
function decode(s: string): string {
  return s.replace(/%([0-9A-Fa-f]{2})/g, (_, hex: string) =>
    String.fromCharCode(Number.parseInt(hex, 16)),
  );
}

/** `validUserinfo`: the characters RFC 3986 allows in userinfo, `@` too. */
const validUserinfo = (s: string) => /^[A-Za-z0-9\-._:~!$&'()*+,;=%@]*$/.test(s);

/** `getScheme`: the scheme and the rest, or the error for a leading colon. */
function splitScheme(raw: string): [string, string] | undefined {
  for (let i = 0; i < raw.length; i++) {
    const c = raw.charAt(i);
    if (/[A-Za-z]/.test(c)) continue;
    if (/[0-9+\-.]/.test(c)) {
      if (i === 0) return ['', raw];
      continue;
    }
    if (c === ':') return i === 0 ? undefined : [raw.slice(0, i), raw.slice(i + 1)];
    return ['', raw];
  }
  return ['', raw];
}

/** `parse(rawURL, false)`: the host, or why it is refused. */
function parseReference(raw: string): { host: string } | { error: string } {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: Go refuses ASCII control bytes.
  if (/[\x00-\x1f\x7f]/.test(raw)) return { error: 'net/url: invalid control character in URL' };
  if (raw === '*') return { host: '' };
  const split = splitScheme(raw);
  if (!split) return { error: 'missing protocol scheme' };
  const scheme = split[0].toLowerCase();
  let rest = split[1];
  // Go strips a lone trailing `?` or cuts at the first one: the same text before it.
  const query = rest.indexOf('?');
  if (query >= 0) rest = rest.slice(0, query);
  if (!rest.startsWith('/')) {
    if (scheme !== '') return { host: '' }; // opaque
    if ((rest.split('/')[0] ?? '').includes(':')) {
      return { error: 'first path segment in URL cannot contain colon' };
    }
  }
  let host = '';
  if (rest.startsWith('//') && (scheme !== '' || !rest.startsWith('///'))) {
    const slash = rest.indexOf('/', 2);
    const authority = slash < 0 ? rest.slice(2) : rest.slice(2, slash);
    rest = slash < 0 ? '' : rest.slice(slash);
    const at = authority.lastIndexOf('@');
    const parsed = parseHost(scheme, authority.slice(at + 1));
    if ('error' in parsed) return parsed;
    host = parsed.host;
    if (at >= 0) {
      const userinfo = authority.slice(0, at);
      if (!validUserinfo(userinfo)) return { error: 'net/url: invalid userinfo' };
      const colon = userinfo.indexOf(':');
      const parts = colon < 0 ? [userinfo] : [userinfo.slice(0, colon), userinfo.slice(colon + 1)];
      for (const part of parts) {
        const error = unescapeError(part, 'other');
        if (error) return { error };
      }
    }
  }
  const pathError = unescapeError(rest, 'other');
  return pathError ? { error: pathError } : { host };
}

/**
 * Go's `url.Parse(raw)`: the URL's host (`Host`, with its port), or Go's error text
 * (`parse "…": …`).
 */
export function parseGoUrl(raw: string): { host: string } | { error: string } {
  const hash = raw.indexOf('#');
  const reference = hash < 0 ? raw : raw.slice(0, hash);
  const parsed = parseReference(reference);
  if ('error' in parsed) return { error: `parse ${JSON.stringify(reference)}: ${parsed.error}` };
  const fragmentError = hash < 0 ? undefined : unescapeError(raw.slice(hash + 1), 'other');
  if (fragmentError) return { error: `parse ${JSON.stringify(raw)}: ${fragmentError}` };
  return parsed;
}
