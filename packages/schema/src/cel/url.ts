/**
 * Kubernetes' CEL `url` library: `url(string)`, `isURL(string)` and the URL's `getScheme`,
 * `getHost`, `getHostname`, `getPort`, `getEscapedPath`, `getQuery`. Own parsing because
 * the library follows Go's `url.ParseRequestURI` (an absolute URI or an absolute path,
 * the text kept as written: no lower-casing, default ports kept), which WHATWG `URL`
 * normalises away.
 */
import type { Environment } from '@marcbachmann/cel-js';

/** A URL as Go's ParseRequestURI splits it. */
export class CelUrl {
  constructor(
    readonly scheme: string,
    readonly host: string,
    readonly path: string,
    readonly query: string,
  ) {}
}

const SCHEME = /^([a-zA-Z][a-zA-Z0-9+.-]*):(.*)$/s;

/** Parses `text` as Go's ParseRequestURI does, or returns its error. */
export function parseRequestUri(text: string): CelUrl | string {
  const fail = (why: string) => `parse ${JSON.stringify(text)}: ${why}`;
  const control = [...text].some((c) => c.charCodeAt(0) < 0x20 || c.charCodeAt(0) === 0x7f);
  if (control) return fail('net/url: invalid control character in URL');
  let rest = text;
  let query = '';
  const q = rest.indexOf('?');
  if (q >= 0) {
    query = rest.slice(q + 1);
    rest = rest.slice(0, q);
  }
  if (rest.startsWith('/'))
    return rest.startsWith('//')
      ? fail('invalid URI for request')
      : new CelUrl('', '', rest, query);
  const m = SCHEME.exec(rest);
  if (!m) return fail('invalid URI for request');
  const scheme = m[1]!;
  const afterScheme = m[2]!;
  if (!afterScheme.startsWith('/')) {
    // An opaque URI (`mailto:x`): no host, no path.
    return new CelUrl(scheme, '', '', query);
  }
  if (!afterScheme.startsWith('//')) return new CelUrl(scheme, '', afterScheme, query);
  const authorityAndPath = afterScheme.slice(2);
  const slash = authorityAndPath.indexOf('/');
  const authority = slash < 0 ? authorityAndPath : authorityAndPath.slice(0, slash);
  const path = slash < 0 ? '' : authorityAndPath.slice(slash);
  const host = authority.slice(authority.lastIndexOf('@') + 1);
  const colon = host.lastIndexOf(':');
  if (colon >= 0 && !host.endsWith(']') && !/^\d*$/.test(host.slice(colon + 1))) {
    return fail(`invalid port ${JSON.stringify(host.slice(colon))} after host`);
  }
  return new CelUrl(scheme, host, path, query);
}

function hostname(u: CelUrl): string {
  const h = u.host;
  if (h.startsWith('[')) return h.slice(1, h.indexOf(']'));
  const colon = h.lastIndexOf(':');
  return colon >= 0 ? h.slice(0, colon) : h;
}

function port(u: CelUrl): string {
  const h = u.host;
  const colon = h.lastIndexOf(':');
  if (colon < 0 || h.slice(colon).includes(']')) return '';
  return h.slice(colon + 1);
}

function unescapeQuery(s: string): string {
  try {
    return decodeURIComponent(s.replace(/\+/g, ' '));
  } catch {
    return s;
  }
}

/** Go's url.Values of the query: each key's values in order (pairs that fail to decode dropped). */
function queryValues(u: CelUrl): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const pair of u.query.split('&')) {
    if (pair === '' || pair.includes(';')) continue;
    const eq = pair.indexOf('=');
    const key = unescapeQuery(eq < 0 ? pair : pair.slice(0, eq));
    const value = eq < 0 ? '' : unescapeQuery(pair.slice(eq + 1));
    out.set(key, [...(out.get(key) ?? []), value]);
  }
  return out;
}

/** Adds the `url` library to `env`. */
export function addUrl(env: Environment): Environment {
  const T = 'kubernetes.URL';
  return env
    .registerType(T, CelUrl)
    .registerFunction(`url(string): ${T}`, (s: string) => {
      const u = parseRequestUri(s);
      if (typeof u === 'string')
        throw new Error(`URL parse error during conversion from string: ${u}`);
      return u;
    })
    .registerFunction('isURL(string): bool', (s: string) => typeof parseRequestUri(s) !== 'string')
    .registerFunction(`${T}.getScheme(): string`, (u: CelUrl) => u.scheme)
    .registerFunction(`${T}.getHost(): string`, (u: CelUrl) => u.host)
    .registerFunction(`${T}.getHostname(): string`, hostname)
    .registerFunction(`${T}.getPort(): string`, port)
    .registerFunction(`${T}.getEscapedPath(): string`, (u: CelUrl) => u.path)
    .registerFunction(`${T}.getQuery(): map<string, list<string>>`, queryValues);
}
