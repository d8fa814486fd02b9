import type { Agent } from 'node:http';
import type { LoadKubeConfigOptions } from './kubeconfig.js';
import type { Middleware } from './middleware.js';
import type { RetryInfo, RetryPolicy } from './retry.js';

/** HTTP methods the client sends. */
export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/** Query parameters; `undefined` values are left out, an array repeats its key (`command=a&command=b`). */
export type QueryParams = Readonly<
  Record<string, string | number | boolean | readonly (string | number)[] | undefined>
>;

/** One request through {@link Client.request} or {@link Client.requestStream}. */
export interface RequestOptions {
  /** The HTTP method. */
  method: HttpMethod;
  /** The path below the server URL, e.g. `/api/v1/namespaces/default/configmaps`. */
  path: string;
  /** Query parameters. */
  query?: QueryParams;
  /** The body: sent as JSON unless it is a string or a Buffer (sent as is). */
  body?: unknown;
  /** Content type of the body (default `application/json`). */
  contentType?: string;
  /**
   * Time limit of this call in ms, retries included: until the whole response has arrived
   * (for streams, until it starts). It also replaces `ClientOptions.timeoutMs` as the limit
   * of each attempt; `0` disables both. Running out rejects with a `RequestTimeoutError`.
   */
  timeoutMs?: number;
  /**
   * Aborting it cancels the request (and any wait before a retry): the promise rejects with
   * the signal's reason (a `RequestTimeoutError` when that reason is a `TimeoutError`, as
   * from `AbortSignal.timeout()`).
   */
  signal?: AbortSignal;
  /** The `Accept` header (default `application/json`). */
  accept?: string;
}

/** Options of a {@link Client}. */
export interface ClientOptions {
  /**
   * Timeout of a request in ms (default 30 000): until the whole response has arrived for
   * ordinary requests, until the response headers for streams (watches). `0` disables it.
   */
  timeoutMs?: number;
  /** Retry policy for 429/503/504 responses and connection failures; see {@link RetryPolicy}. */
  retry?: Partial<RetryPolicy>;
  /** Called before each retry (for logging or metrics). Receives no headers or credentials. */
  onRetry?: (info: RetryInfo) => void;
  /** The `User-Agent` header (default `kube-ts`). */
  userAgent?: string;
  /**
   * The most connections ordinary requests use at once (default 64); further requests wait
   * for a free one. Watches have a pool of their own without a cap, so open watches never
   * hold up other requests.
   */
  maxConnections?: number;
  /**
   * Do not ask for gzip-compressed responses. By default requests other than streams send
   * `Accept-Encoding: gzip` (kube-apiserver compresses responses above 128 KiB, such as
   * large lists: less network, a little more CPU on both ends); the default is the
   * kubeconfig cluster's `disable-compression` when the client was made by
   * `Client.fromDefault`, else `false`.
   */
  disableCompression?: boolean;
  /**
   * Functions around every HTTP exchange (requests, watches, each retry), the first one
   * outermost: see {@link Middleware}.
   */
  middleware?: readonly Middleware[];
}

/** What {@link Client.connection} gives: how to open a connection of one's own to the server. */
export interface ServerConnection {
  /**
   * A keep-alive agent with the kubeconfig's TLS settings and proxy; pass it as the `agent`
   * of `ws`, `http.request` or `https.request`.
   */
  readonly agent: Agent;
  /** Headers to send: credentials and `User-Agent`. Never log them. */
  readonly headers: Readonly<Record<string, string>>;
}

/** Options of {@link Client.fromDefault}: where to find the kubeconfig, plus client options. */
export interface DefaultClientOptions extends ClientOptions, LoadKubeConfigOptions {}
