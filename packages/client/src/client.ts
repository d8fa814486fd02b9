import type { IncomingHttpHeaders } from 'node:http';
import type { Readable } from 'node:stream';
import { ApiError, delay } from '@kube-ts/core';
import type { KubeConfig } from '@kubernetes/client-node/dist/config.js';
import type { Cluster } from '@kubernetes/client-node/dist/config_types.js';
import type WebSocket from 'ws';
import { SendError } from './attempt.js';
import { CallControl } from './call-control.js';
import type {
  ClientOptions,
  DefaultClientOptions,
  QueryParams,
  RequestOptions,
  ServerConnection,
} from './client-options.js';
import { clusterServer } from './cluster-server.js';
import { CredentialSource } from './credentials.js';
import { loadKubeConfigEngine } from './kubeconfig.js';
import { KubeConfigEngine, type KubeConfigLike } from './kubeconfig-engine.js';
import { chain, type Middleware, type MiddlewareResponse } from './middleware.js';
import {
  backoffDelayMs,
  DEFAULT_RETRY_POLICY,
  mayRetryFailure,
  mayRetryStatus,
  parseRetryAfter,
  type RetryInfo,
  type RetryPolicy,
} from './retry.js';
import { apiErrorFromResponse } from './status-error.js';
import { tlsExplained } from './tls-explained.js';
import { traced } from './tracing.js';
import { Transport } from './transport.js';

/** What an exchange resolves with: a buffered response, a streamed body, or a WebSocket. */
type ExchangeMode =
  | { kind: 'buffer' }
  | { kind: 'stream' }
  | { kind: 'upgrade'; protocols: readonly string[] };

/**
 * A connection to one Kubernetes API server, built from a client-node `KubeConfig` (its
 * current context). Requests share a keep-alive connection pool of at most
 * `maxConnections` connections, watches a pool of their own; close the client with
 * {@link close} when done.
 *
 * Guarantees:
 * - every non-2xx response becomes an `ApiError` carrying the server's Status (or one
 *   built from the HTTP code when the body is not a Status);
 * - every failure without a response becomes a `TransportError` naming the method and URL
 *   (never headers or tokens), with the Node error as `cause`;
 * - 429, 503 and 504 are retried up to `retry.maxRetries` times, waiting for `Retry-After`
 *   when the server sends it (header, or `details.retryAfterSeconds` of the Status) and
 *   with capped exponential backoff otherwise; 503/504 of POST and PATCH are retried only
 *   when the server sent `Retry-After`;
 * - a connection failure is retried only when the request cannot have reached the server
 *   (no connection was made) or the method is GET; timeouts and aborts are never retried;
 * - credentials come from client-node for each request (cached for at most 1 s), so
 *   rotated token files and renewed exec-plugin credentials are picked up.
 */
export class Client {
  /** The server URL, e.g. `https://10.0.0.1:6443`. */
  readonly baseUrl: string;
  /** The namespace of the kubeconfig's current context (`default` when it names none). */
  readonly defaultNamespace: string;
  private readonly base: URL;
  private readonly transport: Transport;
  private readonly credentials: CredentialSource;
  private readonly timeoutMs: number;
  private readonly retry: RetryPolicy;
  private readonly onRetry: ((info: RetryInfo) => void) | undefined;
  private readonly userAgent: string;
  private readonly cluster: Cluster;
  private readonly compression: boolean;
  private readonly middleware: readonly Middleware[];

  private constructor(kc: KubeConfigLike, options: ClientOptions) {
    const { cluster, base } = clusterServer(kc);
    this.cluster = cluster;
    this.base = base;
    this.baseUrl = base.toString().replace(/\/$/, '');
    const ctx = kc.getContextObject(kc.getCurrentContext());
    this.defaultNamespace = ctx?.namespace?.trim() || 'default';
    const maxConnections = options.maxConnections ?? 64;
    if (!Number.isInteger(maxConnections) || maxConnections < 1) {
      throw new RangeError(
        `Client: maxConnections must be a positive integer, got ${options.maxConnections}`,
      );
    }
    this.transport = new Transport({ server: base, proxyUrl: cluster.proxyUrl }, maxConnections);
    this.credentials = new CredentialSource(kc);
    this.timeoutMs = options.timeoutMs ?? 30_000;
    this.retry = { ...DEFAULT_RETRY_POLICY, ...options.retry };
    this.onRetry = options.onRetry;
    this.userAgent = options.userAgent ?? 'kube-ts';
    this.middleware = [...(options.middleware ?? [])];
    this.compression = !(
      options.disableCompression ??
      (kc instanceof KubeConfigEngine && kc.compressionDisabled.has(cluster.name))
    );
  }

  /**
   * A client for the kubeconfig found the usual way (`options.path`, `$KUBECONFIG`,
   * `~/.kube/config`, then the in-cluster service account). Throws a `KubeConfigError`
   * naming the file and what to do when none is usable.
   */
  static fromDefault(options: DefaultClientOptions = {}): Client {
    return new Client(loadKubeConfigEngine(options), options);
  }

  /** A client for the current context of a client-node KubeConfig. */
  static fromKubeConfig(kc: KubeConfig, options: ClientOptions = {}): Client {
    return new Client(kc, options);
  }

  /** The full URL of a path and query. */
  url(path: string, query?: QueryParams): URL {
    const url = new URL(this.base.toString());
    url.pathname = `${this.base.pathname.replace(/\/$/, '')}${path.startsWith('/') ? '' : '/'}${path}`;
    for (const [k, v] of Object.entries(query ?? {})) {
      if (v === undefined) continue;
      for (const one of Array.isArray(v) ? v : [v]) url.searchParams.append(k, String(one));
    }
    return url;
  }

  /**
   * Sends a request and parses the JSON response (`undefined` for an empty body). Rejects
   * with an `ApiError` (non-2xx) or a `TransportError` (no response).
   */
  async request<T>(options: RequestOptions): Promise<T> {
    return (await this.requestWithStatus<T>(options)).body;
  }

  /** Like {@link request}, and also gives the (2xx) HTTP status, e.g. to tell 200 from 202. */
  async requestWithStatus<T>(options: RequestOptions): Promise<{ status: number; body: T }> {
    const res = await this.requestRaw(options);
    return { status: res.status, body: this.parseJson<T>(res.body, res.status, options) };
  }

  /**
   * Like {@link request}, but resolves with the (2xx) status and the undecoded body, for
   * callers that look at the bytes before decoding them (see {@link Client.parseJson}).
   */
  async requestRaw(options: RequestOptions): Promise<{ status: number; body: Buffer }> {
    const res = (await this.exchange(options, { kind: 'buffer' })) as MiddlewareResponse;
    return { status: res.status, body: res.body as Buffer };
  }

  /**
   * Decodes a JSON response body of the request `options` (`undefined` when empty).
   * Throws a `TransportError` naming the request when it is not JSON.
   */
  parseJson<T>(body: Buffer, status: number, options: RequestOptions): T {
    if (body.length === 0) return undefined as T;
    try {
      return JSON.parse(body.toString('utf8')) as T;
    } catch (err) {
      throw new SendError(
        options.method,
        this.url(options.path, options.query).toString(),
        err,
        `the response (HTTP ${status}, ${body.length} bytes) is not JSON`,
      );
    }
  }

  /**
   * Sends a request and resolves with the response body as a stream as soon as a 2xx
   * response starts (used for watches). Non-2xx responses are read and rejected as
   * `ApiError`s (after the same retries as {@link request}). Destroy the stream, or abort
   * `options.signal`, to close the connection.
   */
  async requestStream(options: RequestOptions): Promise<Readable> {
    return ((await this.exchange(options, { kind: 'stream' })) as MiddlewareResponse)
      .body as Readable;
  }

  /**
   * Opens a WebSocket to `options.path` (a `GET` with `Upgrade: websocket`) offering the
   * subprotocols `protocols` in order of preference, with the same credentials, TLS
   * settings, retries and errors as {@link request}: a server that answers without
   * upgrading rejects with an `ApiError` (e.g. 403, or 400 for a Pod without a node). The
   * socket resolves paused (`socket.resume()` once its listeners are on) and its
   * negotiated subprotocol is `socket.protocol`. `options.timeoutMs` covers the handshake;
   * after it the socket is the caller's to close. Used for exec, attach and port-forward.
   */
  async upgrade(options: RequestOptions, protocols: readonly string[]): Promise<WebSocket> {
    return (await this.exchange(options, { kind: 'upgrade', protocols })) as WebSocket;
  }

  private async exchange(
    options: RequestOptions,
    mode: ExchangeMode,
  ): Promise<MiddlewareResponse | WebSocket> {
    const url = this.url(options.path, options.query);
    const call = new CallControl(
      options.signal,
      options.timeoutMs,
      mode.kind === 'buffer'
        ? 'complete response'
        : mode.kind === 'stream'
          ? 'response headers'
          : 'upgrade',
    );
    return traced(options.method, url, async () => {
      try {
        return await this.attempts(options, url, mode, call.signal);
      } catch (err) {
        throw call.explain(err, options.method, url.toString());
      } finally {
        call.dispose();
      }
    });
  }

  private async attempts(
    options: RequestOptions,
    url: URL,
    mode: ExchangeMode,
    signal: AbortSignal | undefined,
  ): Promise<MiddlewareResponse | WebSocket> {
    const { method } = options;
    const headers: Record<string, string> = { 'User-Agent': this.userAgent };
    // An upgrade asks for no representation: kubelet's (and kwok's) go-restful routes for
    // exec, attach and port-forward declare none, so an Accept of application/json, passed
    // through by kube-apiserver for a WebSocket port-forward, is refused there with 406.
    if (mode.kind !== 'upgrade' || options.accept !== undefined) {
      headers.Accept = options.accept ?? 'application/json';
    }
    // kube-apiserver gzips responses above 128 KiB (large lists) when asked; streams (watches)
    // are never compressed, as client-go does.
    if (mode.kind === 'buffer' && this.compression) headers['Accept-Encoding'] = 'gzip';
    let body: Buffer | undefined;
    if (options.body !== undefined) {
      body = Buffer.isBuffer(options.body)
        ? options.body
        : Buffer.from(
            typeof options.body === 'string' ? options.body : JSON.stringify(options.body),
          );
      headers['Content-Type'] = options.contentType ?? 'application/json';
    }
    const timeoutMs = options.timeoutMs ?? this.timeoutMs;
    let retry = 0;
    for (;;) {
      let creds: Awaited<ReturnType<CredentialSource['get']>>;
      try {
        creds = await this.credentials.get();
      } catch (err) {
        // A CredentialError's message is safe to show; its cause is not kept (it may quote
        // a credential).
        throw new SendError(method, url.toString(), err, (err as Error).message);
      }
      let status: number;
      let resHeaders: IncomingHttpHeaders;
      let resBody: Buffer;
      // The socket of a completed upgrade: it goes to the caller, past the middleware.
      let opened: WebSocket | undefined;
      try {
        const send = chain(this.middleware, async (r) => {
          const req = { ...r, timeoutMs, signal };
          if (r.upgrade !== undefined) {
            const res = await this.transport.upgrade(req, creds, r.upgrade);
            if (!('socket' in res)) return res;
            opened?.terminate();
            opened = res.socket;
            return { status: res.status, headers: res.headers, body: Buffer.alloc(0) };
          }
          if (!r.stream) return this.transport.send(req, creds);
          const res = await this.transport.open(req, creds);
          return { status: res.statusCode ?? 0, headers: res.headers, body: res };
        });
        const request = { method, url, headers, body, stream: mode.kind === 'stream' };
        const res = await send(
          mode.kind === 'upgrade' ? { ...request, upgrade: mode.protocols } : request,
        ).catch((err: unknown) => {
          opened?.terminate();
          throw err;
        });
        if (mode.kind === 'upgrade') {
          if (res.status === 101 && opened !== undefined) return opened;
          opened?.terminate();
          if (res.status === 101) {
            throw new SendError(
              method,
              url.toString(),
              undefined,
              'a middleware answered the upgrade with 101 without opening it (call next)',
            );
          }
        } else if (res.status >= 200 && res.status < 300) return res;
        status = res.status;
        resHeaders = res.headers;
        resBody = Buffer.isBuffer(res.body)
          ? res.body
          : await readAll(res.body, method, url.toString());
      } catch (err) {
        const e = tlsExplained(err as SendError, this.cluster);
        if (!mayRetryFailure(e, method, retry, this.retry)) throw e;
        retry++;
        await this.wait(
          retry,
          backoffDelayMs(retry, this.retry),
          undefined,
          false,
          method,
          url,
          signal,
        );
        continue;
      }
      const headerRetry = parseRetryAfter(firstHeader(resHeaders['retry-after']));
      let error = apiErrorFromResponse(status, resBody, method, url.toString(), headerRetry);
      if (status === 401) {
        // The next request looks the credentials up again (a rotated token, a renewed plugin).
        this.credentials.invalidate();
        error = new ApiError(
          {
            ...error.status,
            message: `${error.status.message || 'Unauthorized'}: the server did not accept ${this.credentials.describe()}`,
          },
          { retryAfterMs: error.retryAfterMs },
        );
      }
      const retryAfter = error.retryAfterMs;
      if (!mayRetryStatus(status, method, retryAfter, retry, this.retry)) throw error;
      retry++;
      const delay = retryAfter ?? backoffDelayMs(retry, this.retry);
      await this.wait(retry, delay, status, retryAfter !== undefined, method, url, signal);
    }
  }

  private async wait(
    retry: number,
    delayMs: number,
    status: number | undefined,
    fromRetryAfter: boolean,
    method: string,
    url: URL,
    signal: AbortSignal | undefined,
  ): Promise<void> {
    this.onRetry?.({ method, url: url.toString(), retry, delayMs, status, fromRetryAfter });
    try {
      await delay(delayMs, signal);
    } catch (err) {
      throw new SendError(method, url.toString(), err, 'the request was aborted');
    }
  }

  /**
   * What a connection to the server needs besides its URL, for protocols the client does
   * not speak itself (a WebSocket upgrade for exec, attach or port-forward with `ws`): the
   * `http.Agent` of the streams' pool, which carries the TLS settings (CA, client
   * certificate, `tls-server-name`, `insecure-skip-tls-verify`) and the cluster's
   * `proxy-url`, and the headers to send (the credentials, fresh as for any request, and
   * `User-Agent`). The headers hold credentials: never log them.
   */
  async connection(): Promise<ServerConnection> {
    const creds = await this.credentials.get();
    return {
      agent: this.transport.agentFor(creds.tls, true),
      headers: { ...creds.headers, 'User-Agent': this.userAgent },
    };
  }

  /** Closes the connection pool: open watches and later requests fail with a TransportError. */
  close(): void {
    this.transport.close();
  }
}

function firstHeader(v: string | string[] | undefined): string | undefined {
  return Array.isArray(v) ? v[0] : v;
}

async function readAll(res: Readable, method: string, url: string): Promise<Buffer> {
  const chunks: Buffer[] = [];
  try {
    for await (const c of res) chunks.push(c as Buffer);
  } catch (err) {
    throw new SendError(method, url, err);
  }
  return Buffer.concat(chunks);
}
