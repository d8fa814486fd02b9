import type { IncomingHttpHeaders } from 'node:http';
import type { Readable } from 'node:stream';
import type { HttpMethod } from './client-options.js';

/**
 * One HTTP request as middleware sees it. Credentials are not in `headers` (they are added
 * below the middleware, so a logging middleware cannot leak them); a header set here
 * replaces the credential's header of the same name (e.g. a custom `Authorization`).
 */
export interface MiddlewareRequest {
  /** The HTTP method. */
  readonly method: HttpMethod;
  /** The full URL, query included. */
  readonly url: URL;
  /** The request headers (`Accept`, `User-Agent`, `Content-Type`, `Accept-Encoding`, …). */
  readonly headers: Readonly<Record<string, string>>;
  /** The request body, when there is one. */
  readonly body: Buffer | undefined;
  /**
   * `true` for streams (watches, followed logs): the response body is then a `Readable`
   * that starts as soon as the headers arrive.
   */
  readonly stream: boolean;
  /**
   * For a WebSocket upgrade (exec, attach, port-forward): the subprotocols offered, best
   * first. The response is then `101` with the handshake's headers and an empty body (the
   * socket itself goes to the caller, not through the middleware), or the server's refusal
   * (e.g. a 403 Status). Absent for every other request.
   */
  readonly upgrade?: readonly string[];
}

/** One HTTP response as middleware sees it. */
export interface MiddlewareResponse {
  /** The HTTP status code. */
  readonly status: number;
  /** The response headers, as the server sent them. */
  readonly headers: IncomingHttpHeaders;
  /**
   * The body: complete and decoded (gzip undone) for ordinary requests, a `Readable` for
   * streams (`request.stream`), empty for a completed upgrade (`101`).
   */
  readonly body: Buffer | Readable;
}

/** Sends a request on to the next middleware, or to the server after the last one. */
export type MiddlewareNext = (request: MiddlewareRequest) => Promise<MiddlewareResponse>;

/**
 * A function around every HTTP exchange of a client (each attempt: a retried request
 * passes again; WebSocket upgrades too, see {@link MiddlewareRequest.upgrade}), for tracing, metrics or custom headers without forking the client. Call
 * `next` with the request (or a changed copy) and return its response (or a changed
 * one); throwing fails the call with that error. The first middleware of
 * `ClientOptions.middleware` is the outermost.
 */
export type Middleware = (
  request: MiddlewareRequest,
  next: MiddlewareNext,
) => Promise<MiddlewareResponse>;

/** `last` wrapped in `middleware`, the first one outermost. */
export function chain(middleware: readonly Middleware[], last: MiddlewareNext): MiddlewareNext {
  return middleware.reduceRight<MiddlewareNext>((next, m) => (request) => m(request, next), last);
}
