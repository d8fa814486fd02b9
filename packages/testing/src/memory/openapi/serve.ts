import type { IncomingMessage, ServerResponse } from 'node:http';
import { parseAccept } from '../output/negotiate.js';
import type { OpenApiDocuments, ServedDocument } from './documents.js';

/** True when the request's `If-None-Match` names the document's ETag (Go's ServeContent rule). */
function notModified(req: IncomingMessage, etag: string): boolean {
  const header = req.headers['if-none-match'];
  if (!header) return false;
  return header
    .split(',')
    .map((s) => s.trim().replace(/^W\//, ''))
    .some((s) => s === '*' || s === `"${etag}"`);
}

const JSON_TYPE = 'application/json';
/** The type kube-apiserver answers a protobuf OpenAPI request with, by version. */
const PROTOBUF = (v: 'v2' | 'v3') => `application/com.github.proto-openapi.spec.${v}.v1.0+protobuf`;
/** The types a request may ask for, in kube-openapi's order, and the format each serves. */
const TYPES = (v: 'v2' | 'v3'): readonly (readonly [string, 'json' | 'protobuf'])[] => [
  [JSON_TYPE, 'json'],
  [`application/com.github.proto-openapi.spec.${v}@v1.0+protobuf`, 'protobuf'],
  [PROTOBUF(v), 'protobuf'],
];

/** The first of `offered` (`[media type, format]`) the Accept header takes, as kube-openapi picks it. */
function negotiate<F>(
  req: IncomingMessage,
  offered: readonly (readonly [string, F])[],
): F | undefined {
  for (const { type, subtype } of parseAccept(req.headers.accept || '*/*')) {
    for (const [media, format] of offered) {
      const [t, s] = media.split('/');
      if ((type === t || type === '*') && (subtype === s || subtype === '*')) return format;
    }
  }
  return undefined;
}

function sendDocument(
  req: IncomingMessage,
  res: ServerResponse,
  doc: ServedDocument,
  headers: Record<string, string>,
  body: string | Uint8Array = doc.body,
): void {
  const all = { ...headers, 'Last-Modified': doc.lastModified.toUTCString() };
  if (headers.ETag !== undefined && notModified(req, doc.etag)) {
    res.writeHead(304, all);
    res.end();
    return;
  }
  res.writeHead(200, { ...all, 'Content-Length': String(Buffer.byteLength(body)) });
  res.end(body);
}

function empty(res: ServerResponse, code: number, headers: Record<string, string> = {}): void {
  res.writeHead(code, { ...headers, 'Content-Length': '0' });
  res.end();
}

/**
 * Serves `GET /openapi/v2`, `/openapi/v3` and `/openapi/v3/<group-version path>` as
 * kube-apiserver's OpenAPI handlers do: ETags (the SHA-512 of the document) honoured in
 * `If-None-Match` with 304, a v3 document asked for with a stale `?hash=` redirected (301)
 * to the current one, and one asked for with the current hash marked immutable. The v2
 * document is served in JSON or protobuf as the Accept header's first acceptable type
 * says, and so are the v3 documents: a request accepting none of these gets 406. Returns false for any other path.
 */
export function serveOpenApi(
  docs: OpenApiDocuments,
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
): boolean {
  const path = url.pathname;
  if (path === '/openapi/v2') {
    const format = negotiate(req, TYPES('v2'));
    if (!format) {
      empty(res, 406, { Vary: 'Accept' });
      return true;
    }
    const doc = docs.swagger();
    // Both formats carry the JSON document's ETag, as kube-openapi's do (they vary by Accept).
    const headers = { ETag: `"${doc.etag}"`, Vary: 'Accept' };
    if (format === 'json') sendDocument(req, res, doc, { 'Content-Type': JSON_TYPE, ...headers });
    else {
      const body = docs.protobuf(doc, 'v2');
      sendDocument(req, res, doc, { 'Content-Type': PROTOBUF('v2'), ...headers }, body);
    }
    return true;
  }
  if (path === '/openapi/v3' || path === '/openapi/v3/') {
    const doc = docs.index();
    // kube-apiserver's index carries no ETag, and its content type is sniffed as text.
    sendDocument(req, res, doc, { 'Content-Type': 'text/plain; charset=utf-8' });
    return true;
  }
  if (!path.startsWith('/openapi/v3/')) return false;
  const name = path.slice('/openapi/v3/'.length);
  const doc = docs.document(name);
  if (!doc) {
    empty(res, 404);
    return true;
  }
  const format = negotiate(req, TYPES('v3'));
  if (!format) {
    empty(res, 406, { Vary: 'Accept' });
    return true;
  }
  // Both formats carry the JSON document's ETag (and its hash), as kube-openapi's do.
  const headers: Record<string, string> = {
    'Content-Type': format === 'json' ? JSON_TYPE : PROTOBUF('v3'),
    ETag: `"${doc.etag}"`,
    Vary: 'Accept',
  };
  const hash = url.searchParams.get('hash');
  if (hash) {
    if (hash !== doc.etag) {
      empty(res, 301, { ...headers, Location: `/openapi/v3/${name}?hash=${doc.etag}` });
      return true;
    }
    const expires = new Date();
    expires.setUTCFullYear(expires.getUTCFullYear() + 1);
    headers['Cache-Control'] = 'public, immutable';
    headers.Expires = expires.toUTCString();
  }
  const body = format === 'json' ? doc.body : docs.protobuf(doc, 'v3');
  sendDocument(req, res, doc, headers, body);
  return true;
}
