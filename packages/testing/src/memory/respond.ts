import type { ServerResponse } from 'node:http';
import { gzipSync } from 'node:zlib';
import { statusReasonFor } from '@kube-ts/core';
import { HttpStatusError, PlainNotFound } from './errors.js';
import { goEncoded, goIndented } from './go-json.js';
import type { JsonObject } from './json.js';
import { encodeBody } from './output/encode.js';
import { contentTypeOf, negotiate, type Representation } from './output/negotiate.js';
import { PROTOBUF_MEDIA_TYPE } from './protobuf/decode.js';
import { watchFrame } from './protobuf/encode.js';
import { apiVersionOf } from './resource-types.js';
import { jsonOf, servedAs } from './serialize.js';
import { givenWarnings, warningHeaders } from './warnings.js';
import type { Scope } from './write-scope.js';

/** kube-apiserver compresses responses larger than this (`defaultGzipThresholdBytes`). */
const GZIP_THRESHOLD_BYTES = 128 * 1024;

/** Whether an `Accept-Encoding` header lists gzip (kube-apiserver's check: a token match). */
function acceptsGzip(header: string | undefined): boolean {
  return (header ?? '').split(',').some((t) => t.split(';')[0]!.trim().toLowerCase() === 'gzip');
}

/** Whether a `Content-Type` (JSON when not given) names JSON. */
function isJson(contentType: string | string[] | undefined): boolean {
  return contentType === undefined || String(contentType).startsWith('application/json');
}

/**
 * Sends a JSON body (or another, named by `headers`) with its length. JSON is sent as
 * kube-apiserver's serializer writes it (see {@link goEncoded}: HTML-escaped, a newline
 * after). As kube-apiserver does (APIResponseCompression, on by default), a body above
 * 128 KiB is gzip-compressed (level 1, its BestSpeed) when the request accepts gzip.
 */
export function send(
  res: ServerResponse,
  code: number,
  body: string,
  headers: Record<string, string | string[]> = {},
): void {
  write(res, code, isJson(headers['Content-Type']) ? goEncoded(body) : body, headers);
}

/**
 * Sends an object as kube-apiserver's `WriteRawJSON` does (`/version`, errors in a
 * representation that cannot be negotiated): indented JSON without a newline.
 */
export function sendRawJson(
  res: ServerResponse,
  code: number,
  value: unknown,
  headers: Record<string, string> = {},
): void {
  write(res, code, goIndented(value), headers);
}

/** Writes a body as is (see {@link send}). */
function write(
  res: ServerResponse,
  code: number,
  body: string | Buffer,
  headers: Record<string, string | string[]>,
): void {
  let bytes: string | Buffer = body;
  const encoding: Record<string, string> = {};
  if (
    Buffer.byteLength(body) > GZIP_THRESHOLD_BYTES &&
    acceptsGzip(res.req?.headers['accept-encoding'])
  ) {
    bytes = gzipSync(body, { level: 1 });
    encoding['Content-Encoding'] = 'gzip';
    encoding.Vary = 'Accept-Encoding';
  }
  // The warnings given while answering (its request's recorder), a refusal's included.
  const given = givenWarnings(res);
  const warnings = given.length ? { Warning: warningHeaders(given) } : {};
  res.writeHead(code, {
    'Content-Type': 'application/json',
    'Content-Length': Buffer.byteLength(bytes),
    ...encoding,
    ...headers,
    ...warnings,
  });
  res.end(bytes);
}

/** Sends a JSON body in the negotiated representation (re-encoded as YAML or protobuf when asked). */
export function sendAs(
  res: ServerResponse,
  code: number,
  rep: Representation,
  json: string,
  headers: Record<string, string | string[]> = {},
): void {
  const all = { 'Content-Type': contentTypeOf(rep), ...headers };
  const body = encodeBody(rep, json);
  if (typeof body === 'string') send(res, code, body, all);
  else write(res, code, body, all);
}

/**
 * The representation an error answers in: the first of JSON, YAML or protobuf asked for
 * (a Status has a protobuf message, whatever the resource); undefined when none was (only
 * a Table), where kube-apiserver writes the Status as raw JSON.
 */
function errorRepresentation(res: ServerResponse): Representation | undefined {
  try {
    return negotiate(res.req?.headers.accept, { transforms: [], protobuf: true });
  } catch {
    return undefined;
  }
}

/** Sends an error as a Status body (after the headers of a watch: as an ERROR event). */
export function sendError(res: ServerResponse, err: unknown): void {
  if (err instanceof PlainNotFound && !res.headersSent) {
    res.writeHead(404, {
      'Content-Type': 'text/plain; charset=utf-8',
      'X-Content-Type-Options': 'nosniff',
    });
    res.end('404 page not found\n');
    return;
  }
  const e =
    err instanceof HttpStatusError
      ? err
      : new HttpStatusError(
          500,
          'InternalError',
          `Internal error occurred: ${(err as Error)?.message ?? String(err)}`,
        );
  const status = e.toStatus();
  const listMeta = (e as HttpStatusError & { listMeta?: JsonObject }).listMeta;
  if (listMeta) status.metadata = listMeta;
  if (res.headersSent) {
    res.end(errorEvent(res, status));
    return;
  }
  const headers: Record<string, string> = {};
  if (e.details?.retryAfterSeconds !== undefined)
    headers['Retry-After'] = String(e.details.retryAfterSeconds);
  const rep = errorRepresentation(res);
  if (rep) sendAs(res, e.code, rep, JSON.stringify(status), headers);
  else sendRawJson(res, e.code, status, headers);
}

/** An ERROR event carrying `status`, framed as the open watch's other events are. */
export function errorEvent(res: ServerResponse, status: JsonObject): string | Buffer {
  if (String(res.getHeader('Content-Type') ?? '').startsWith(PROTOBUF_MEDIA_TYPE)) {
    return watchFrame('ERROR', status);
  }
  return goEncoded(`{"type":"ERROR","object":${JSON.stringify(status)}}`);
}

/** The failure a {@link Faults} rule injects, as an error. */
export function injected(f: {
  status: number;
  message: string;
  retryAfterSeconds?: number;
}): HttpStatusError {
  const details =
    f.retryAfterSeconds !== undefined ? { retryAfterSeconds: f.retryAfterSeconds } : {};
  return new HttpStatusError(f.status, statusReasonFor(f.status), f.message, details);
}

/** An object as the request's version serves it, as JSON. */
export function served(sc: Scope, obj: JsonObject): string {
  return jsonOf(servedAs(sc.t, apiVersionOf(sc.t.group, sc.version), obj));
}
