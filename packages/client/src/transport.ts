import type { IncomingHttpHeaders, IncomingMessage } from 'node:http';
import * as http from 'node:http';
import * as https from 'node:https';
import { createGunzip } from 'node:zlib';
import WebSocket from 'ws';
import { type ConnectionSettings, createAgent } from './agent.js';
import { type Credentials, sameTls, type TlsMaterial } from './credentials.js';
import { TransportError } from './errors.js';

/** One HTTP exchange to send. */
export interface HttpRequest {
  readonly method: string;
  readonly url: URL;
  /** Headers besides the credentials' ones. */
  readonly headers: Readonly<Record<string, string>>;
  readonly body?: Buffer | undefined;
  /**
   * Milliseconds until the exchange fails with a timeout; `0` means none. For buffered
   * requests it covers the whole response; for streams, until the response headers.
   */
  readonly timeoutMs: number;
  readonly signal?: AbortSignal | undefined;
}

/** A response whose body has been read completely. */
export interface BufferedResponse {
  readonly status: number;
  readonly headers: IncomingHttpHeaders;
  readonly body: Buffer;
}

/**
 * A {@link TransportError} raised by {@link Transport}, which also says whether the request
 * may have reached the server (a connection was established), so callers know whether a
 * non-idempotent request is safe to resend.
 */
export class SendError extends TransportError {
  /** `false` only when no connection was ever established for the request. */
  mayHaveBeenSent = true;
  /** Set when the request's own time limit ran out (the limit, in ms). */
  timeoutMs: number | undefined;
}

function closedError(method: string, where: string): SendError {
  return new SendError(method, where, new Error('the client is closed'), 'the client is closed');
}

function sendError(
  method: string,
  where: string,
  cause: unknown,
  what: string | undefined,
  connected: boolean,
  timeoutMs: number | undefined,
): SendError {
  const err = new SendError(method, where, cause, what);
  err.mayHaveBeenSent = connected;
  err.timeoutMs = timeoutMs;
  return err;
}

/** The cause of a request the caller's signal aborted. */
function abortCause(signal: AbortSignal | undefined): Error {
  return Object.assign(new Error('aborted'), { code: 'ABORT_ERR', cause: signal?.reason });
}

/**
 * The HTTP transport of one client: two keep-alive connection pools (Node `Agent`s) to the
 * cluster, one for ordinary requests and one for streams (watches).
 *
 * - Ordinary requests use at most `maxConnections` connections at once; more requests in
 *   flight wait for a free connection instead of opening (and TLS-handshaking) one each,
 *   which under a burst of writes would cost the server more than the writes themselves.
 * - Streams hold their connection for as long as they are open, so they get a pool of
 *   their own without a cap: open watches can never starve ordinary requests, and
 *   ordinary requests never wait behind watches.
 *
 * Both pools are built from the credentials' TLS material (TLS verification on unless the
 * kubeconfig says `insecure-skip-tls-verify`) and go through the cluster's `proxy-url`
 * when it has one (see {@link createAgent}); when that material changes (e.g. an exec
 * plugin issued a new client certificate), new pools are made and the old ones are
 * destroyed when the client closes.
 */
export class Transport {
  private pools: { requests: http.Agent; streams: http.Agent } | undefined;
  private tls: TlsMaterial | undefined;
  private readonly retired: http.Agent[] = [];
  private closed = false;

  private readonly secure: boolean;

  /**
   * @param settings the server URL and the cluster's proxy
   * @param maxConnections the cap on connections for ordinary (non-stream) requests
   */
  constructor(
    private readonly settings: ConnectionSettings,
    private readonly maxConnections: number,
  ) {
    this.secure = settings.server.protocol === 'https:';
  }

  /**
   * The pooled agent for the given TLS material: the streams' pool (no cap) or the
   * requests' pool. WebSocket upgrades use the streams' pool.
   */
  agentFor(tls: TlsMaterial, stream: boolean): http.Agent {
    if (!this.pools || !this.tls || !sameTls(this.tls, tls)) {
      if (this.pools) this.retired.push(this.pools.requests, this.pools.streams);
      this.tls = tls;
      this.pools = {
        requests: createAgent(this.settings, tls, { maxSockets: this.maxConnections }),
        streams: createAgent(this.settings, tls),
      };
    }
    return stream ? this.pools.streams : this.pools.requests;
  }

  /** Sends a request and reads the whole response body. Rejects only with {@link SendError}. */
  async send(req: HttpRequest, creds: Credentials): Promise<BufferedResponse> {
    const res = await this.exchange(req, creds, true);
    return res as BufferedResponse;
  }

  /**
   * Sends a request and resolves with the response as soon as its headers arrive; the
   * caller reads (or destroys) the body. Rejects only with {@link SendError}.
   */
  async open(req: HttpRequest, creds: Credentials): Promise<IncomingMessage> {
    return (await this.exchange(req, creds, false)) as IncomingMessage;
  }

  private exchange(
    req: HttpRequest,
    creds: Credentials,
    buffer: boolean,
  ): Promise<BufferedResponse | IncomingMessage> {
    const { method, url, signal } = req;
    const where = url.toString();
    return new Promise((resolve, reject) => {
      if (this.closed) {
        reject(closedError(method, where));
        return;
      }
      let settled = false;
      let connected = false;
      let timer: NodeJS.Timeout | undefined;
      const cleanup = () => {
        if (timer) clearTimeout(timer);
        signal?.removeEventListener('abort', onAbort);
      };
      const fail = (cause: unknown, what?: string, timeoutMs?: number) => {
        if (settled) return;
        settled = true;
        cleanup();
        const err = sendError(method, where, cause, what, connected, timeoutMs);
        request.destroy();
        reject(err);
      };
      const onAbort = () => fail(abortCause(signal), 'the request was aborted');

      const headers: Record<string, string> = { ...creds.headers, ...req.headers };
      if (req.body) headers['Content-Length'] = String(req.body.length);
      const request = (this.secure ? https : http).request(url, {
        method,
        headers,
        agent: this.agentFor(creds.tls, !buffer),
      });
      request.on('socket', (socket) => {
        if (request.reusedSocket || !socket.connecting) connected = true;
        else socket.once('connect', () => (connected = true));
      });
      request.on('error', (err) => fail(err));
      request.on('response', (res) => {
        if (!buffer) {
          settled = true;
          cleanup();
          resolve(res);
          return;
        }
        const chunks: Buffer[] = [];
        res.on('error', (err) => fail(err));
        res.on('aborted', () => fail(new Error('the connection closed before the response ended')));
        // A gzip body (asked for with Accept-Encoding by the client) is decoded as it arrives.
        const gzipped = res.headers['content-encoding'] === 'gzip';
        const body = gzipped ? res.pipe(createGunzip()) : res;
        if (gzipped) {
          body.on('error', (err) => fail(err, 'the gzip-encoded response body cannot be decoded'));
        }
        body.on('data', (c: Buffer) => chunks.push(c));
        body.on('end', () => {
          if (settled) return;
          settled = true;
          cleanup();
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            body: Buffer.concat(chunks),
          });
        });
      });
      if (req.timeoutMs > 0) {
        timer = setTimeout(() => {
          const err = Object.assign(new Error(`no response within ${req.timeoutMs} ms`), {
            code: 'ETIMEDOUT',
          });
          fail(
            err,
            `no ${buffer ? 'complete response' : 'response headers'} within ${req.timeoutMs} ms`,
            req.timeoutMs,
          );
        }, req.timeoutMs);
      }
      if (signal?.aborted) {
        onAbort();
        return;
      }
      signal?.addEventListener('abort', onAbort, { once: true });
      request.end(req.body);
    });
  }

  /**
   * Opens a WebSocket (`GET` with `Upgrade: websocket`) offering the subprotocols
   * `protocols`, through the stream pool's agent: the same TLS material (and whatever the
   * agent adds) as every other request. Resolves with the open socket, or with the buffered
   * response when the server answered without upgrading (e.g. a 403 Status). The socket
   * is paused: the caller resumes it once its listeners are on. Rejects only with
   * {@link SendError}; `req.timeoutMs` covers the handshake; errors after the handshake
   * are the caller's to listen for.
   */
  upgrade(
    req: HttpRequest,
    creds: Credentials,
    protocols: readonly string[],
  ): Promise<WebSocket | BufferedResponse> {
    const { method, url, signal } = req;
    const where = url.toString();
    return new Promise((resolve, reject) => {
      if (this.closed) {
        reject(closedError(method, where));
        return;
      }
      let settled = false;
      let connected = false;
      const wsUrl = new URL(url);
      wsUrl.protocol = this.secure ? 'wss:' : 'ws:';
      const socket = new WebSocket(wsUrl, [...protocols], {
        agent: this.agentFor(creds.tls, true),
        headers: { ...creds.headers, ...req.headers },
        perMessageDeflate: false,
        ...(req.timeoutMs > 0 ? { handshakeTimeout: req.timeoutMs } : {}),
      });
      const done = () => {
        settled = true;
        signal?.removeEventListener('abort', onAbort);
      };
      const fail = (cause: unknown, what?: string, timeoutMs?: number) => {
        if (settled) return;
        done();
        const err = sendError(method, where, cause, what, connected, timeoutMs);
        socket.terminate();
        reject(err);
      };
      const onAbort = () => fail(abortCause(signal), 'the request was aborted');
      const onError = (err: Error) => {
        if (/timed out/i.test(err.message) && req.timeoutMs > 0) {
          fail(
            Object.assign(err, { code: 'ETIMEDOUT' }),
            `no upgrade within ${req.timeoutMs} ms`,
            req.timeoutMs,
          );
        } else fail(err);
      };
      socket.on('error', onError);
      socket.on('upgrade', () => (connected = true));
      socket.once('open', () => {
        if (settled) return;
        done();
        // Paused until the caller has its listeners on: no early message is lost.
        socket.pause();
        resolve(socket);
      });
      socket.on('unexpected-response', (request, res) => {
        connected = true;
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('error', (err) => fail(err));
        res.on('end', () => {
          if (settled) return;
          done();
          request.destroy();
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            body: Buffer.concat(chunks),
          });
        });
      });
      if (signal?.aborted) {
        onAbort();
        return;
      }
      signal?.addEventListener('abort', onAbort, { once: true });
    });
  }

  /** Closes every pooled connection; later requests fail with a TransportError. */
  close(): void {
    this.closed = true;
    this.pools?.requests.destroy();
    this.pools?.streams.destroy();
    for (const a of this.retired) a.destroy();
    this.retired.length = 0;
  }
}
