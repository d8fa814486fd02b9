import type { IncomingHttpHeaders, IncomingMessage } from 'node:http';
import * as http from 'node:http';
import * as https from 'node:https';
import type WebSocket from 'ws';
import { type ConnectionSettings, createAgent } from './agent.js';
import { type Attempt, startAttempt } from './attempt.js';
import { type Credentials, sameTls, type TlsMaterial } from './credentials.js';
import { gunzipBody } from './gunzip-body.js';

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

/** A completed WebSocket handshake: `101` with the server's headers, and the open socket. */
export interface UpgradedResponse {
  readonly status: 101;
  readonly headers: IncomingHttpHeaders;
  readonly socket: WebSocket;
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

  /** Sends a request and reads the whole response body. Rejects only with `SendError`. */
  async send(req: HttpRequest, creds: Credentials): Promise<BufferedResponse> {
    const res = await this.exchange(req, creds, true);
    return res as BufferedResponse;
  }

  /**
   * Sends a request and resolves with the response as soon as its headers arrive; the
   * caller reads (or destroys) the body. Rejects only with `SendError`.
   */
  async open(req: HttpRequest, creds: Credentials): Promise<IncomingMessage> {
    return (await this.exchange(req, creds, false)) as IncomingMessage;
  }

  private exchange(
    req: HttpRequest,
    creds: Credentials,
    buffer: boolean,
  ): Promise<BufferedResponse | IncomingMessage> {
    return startAttempt<BufferedResponse | IncomingMessage>(req, this.closed, (attempt) => {
      const headers: Record<string, string> = { ...creds.headers, ...req.headers };
      if (req.body) headers['Content-Length'] = String(req.body.length);
      const request = (this.secure ? https : http).request(req.url, {
        method: req.method,
        headers,
        agent: this.agentFor(creds.tls, !buffer),
      });
      request.on('socket', (socket) => {
        if (request.reusedSocket || !socket.connecting) attempt.connected = true;
        else socket.once('connect', () => (attempt.connected = true));
      });
      request.on('error', (err) => attempt.fail(err));
      request.on('response', (res) => {
        if (!buffer) {
          attempt.succeed(res);
          return;
        }
        res.on('aborted', () =>
          attempt.fail(new Error('the connection closed before the response ended')),
        );
        const done = (data: Buffer) =>
          attempt.succeed({ status: res.statusCode ?? 0, headers: res.headers, body: data });
        // A gzip body (asked for with Accept-Encoding by the client) is decoded once complete.
        if (res.headers['content-encoding'] !== 'gzip') readBody(res, attempt, done);
        else {
          readBody(res, attempt, (compressed) => {
            if (attempt.settled) return;
            gunzipBody(compressed).then(done, (err: unknown) =>
              attempt.fail(err, 'the gzip-encoded response body cannot be decoded'),
            );
          });
        }
      });
      attempt.limit(req.timeoutMs, buffer ? 'complete response' : 'response headers');
      request.end(req.body);
      return () => request.destroy();
    });
  }

  /**
   * Opens a WebSocket (`GET` with `Upgrade: websocket`) offering the subprotocols
   * `protocols`, through the stream pool's agent: the same TLS material (and whatever the
   * agent adds) as every other request. Resolves with the open socket and the handshake's
   * headers, or with the buffered response when the server answered without upgrading
   * (e.g. a 403 Status). The socket is paused: the caller resumes it once its listeners are on. Rejects only with
   * `SendError`; `req.timeoutMs` covers the handshake; errors after the handshake
   * are the caller's to listen for. `ws` is loaded on the first upgrade, not when the
   * client is imported: most programs never open a WebSocket (exec, attach, port-forward).
   */
  async upgrade(
    req: HttpRequest,
    creds: Credentials,
    protocols: readonly string[],
  ): Promise<UpgradedResponse | BufferedResponse> {
    const { default: WebSocket } = await import('ws');
    return startAttempt<UpgradedResponse | BufferedResponse>(req, this.closed, (attempt) => {
      let upgradeHeaders: IncomingHttpHeaders = {};
      const wsUrl = new URL(req.url);
      wsUrl.protocol = this.secure ? 'wss:' : 'ws:';
      const socket = new WebSocket(wsUrl, [...protocols], {
        agent: this.agentFor(creds.tls, true),
        headers: { ...creds.headers, ...req.headers },
        perMessageDeflate: false,
        ...(req.timeoutMs > 0 ? { handshakeTimeout: req.timeoutMs } : {}),
      });
      socket.on('error', (err) => {
        if (/timed out/i.test(err.message) && req.timeoutMs > 0) {
          attempt.timedOut(req.timeoutMs, 'upgrade', err);
        } else attempt.fail(err);
      });
      socket.on('upgrade', (res) => {
        attempt.connected = true;
        upgradeHeaders = res.headers;
      });
      socket.once('open', () => {
        if (attempt.settled) return;
        // Paused until the caller has its listeners on: no early message is lost.
        socket.pause();
        attempt.succeed({ status: 101, headers: upgradeHeaders, socket });
      });
      socket.on('unexpected-response', (request, res) => {
        attempt.connected = true;
        readBody(res, attempt, (data) => {
          if (attempt.settled) return;
          request.destroy();
          attempt.succeed({ status: res.statusCode ?? 0, headers: res.headers, body: data });
        });
      });
      return () => socket.terminate();
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

/** Reads all of `body` (an error fails `attempt`), then calls `end` with it. */
function readBody<T>(
  body: NodeJS.ReadableStream,
  attempt: Attempt<T>,
  end: (data: Buffer) => void,
): void {
  const chunks: Buffer[] = [];
  body.on('data', (c: Buffer) => chunks.push(c));
  body.on('error', (err) => attempt.fail(err));
  body.on('end', () => end(chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks)));
}
