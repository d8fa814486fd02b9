import type { IncomingMessage, ServerResponse } from 'node:http';
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

/** True when the Accept header allows JSON (absent, `*\/*`, `application/*`, `application/json`). */
function acceptsJson(req: IncomingMessage): boolean {
  const accept = req.headers.accept;
  if (!accept) return true;
  return accept
    .split(',')
    .map((c) => c.split(';')[0]!.trim().toLowerCase())
    .some((t) => t === '*/*' || t === 'application/*' || t === 'application/json');
}

function sendDocument(
  req: IncomingMessage,
  res: ServerResponse,
  doc: ServedDocument,
  headers: Record<string, string>,
): void {
  const all = { ...headers, 'Last-Modified': doc.lastModified.toUTCString() };
  if (headers.ETag !== undefined && notModified(req, doc.etag)) {
    res.writeHead(304, all);
    res.end();
    return;
  }
  res.writeHead(200, { ...all, 'Content-Length': String(Buffer.byteLength(doc.body)) });
  res.end(doc.body);
}

function empty(res: ServerResponse, code: number, headers: Record<string, string> = {}): void {
  res.writeHead(code, { ...headers, 'Content-Length': '0' });
  res.end();
}

/**
 * Serves `GET /openapi/v2`, `/openapi/v3` and `/openapi/v3/<group-version path>` as
 * kube-apiserver's OpenAPI handlers do: ETags (the SHA-512 of the document) honoured in
 * `If-None-Match` with 304, a v3 document asked for with a stale `?hash=` redirected (301)
 * to the current one, and one asked for with the current hash marked immutable. Only JSON
 * is served (the real server also offers the documents in protobuf): a request accepting
 * only protobuf gets 406. Returns false for any other path.
 */
export function serveOpenApi(
  docs: OpenApiDocuments,
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
): boolean {
  const path = url.pathname;
  if (path === '/openapi/v2') {
    if (!acceptsJson(req)) {
      empty(res, 406, { Vary: 'Accept' });
      return true;
    }
    const doc = docs.swagger();
    sendDocument(req, res, doc, {
      'Content-Type': 'application/json',
      ETag: `"${doc.etag}"`,
      Vary: 'Accept',
    });
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
  if (!acceptsJson(req)) {
    empty(res, 406, { Vary: 'Accept' });
    return true;
  }
  const headers: Record<string, string> = {
    'Content-Type': 'application/json',
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
  sendDocument(req, res, doc, headers);
  return true;
}
