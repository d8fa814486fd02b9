/** How a client retries requests that the server throttled or could not serve. */
export interface RetryPolicy {
  /** Retries after the first attempt (default 3); `0` disables retries. */
  maxRetries: number;
  /** First backoff delay when the server gave no `Retry-After` (default 500 ms). */
  baseDelayMs: number;
  /** Cap of the backoff delay (default 10 s). */
  maxDelayMs: number;
  /**
   * The longest `Retry-After` the client waits for (default 60 s). When the server asks for
   * more, the request is not retried and the ApiError (with `details.retryAfterSeconds`)
   * is returned to the caller.
   */
  maxRetryAfterMs: number;
}

/** The default {@link RetryPolicy}. */
export const DEFAULT_RETRY_POLICY: Readonly<RetryPolicy> = Object.freeze({
  maxRetries: 3,
  baseDelayMs: 500,
  maxDelayMs: 10_000,
  maxRetryAfterMs: 60_000,
});

/** HTTP codes that are retried: 429 Too Many Requests, 503 Unavailable, 504 Gateway Timeout. */
export function isRetryableStatus(code: number): boolean {
  return code === 429 || code === 503 || code === 504;
}

/**
 * Methods whose repetition has the same effect as one request (RFC 9110): GET, HEAD,
 * PUT, DELETE, OPTIONS. POST and PATCH are not.
 */
export function isIdempotent(method: string): boolean {
  return ['GET', 'HEAD', 'PUT', 'DELETE', 'OPTIONS'].includes(method.toUpperCase());
}

/**
 * Parses a `Retry-After` header: delay-seconds (`"3"`) or an HTTP date. Returns
 * milliseconds (never negative), or `undefined` when absent or unparseable.
 */
export function parseRetryAfter(
  value: string | undefined,
  now: number = Date.now(),
): number | undefined {
  if (value === undefined) return undefined;
  const text = value.trim();
  if (/^\d+$/.test(text)) return Number(text) * 1000;
  if (!/^[A-Za-z]{3}, /.test(text)) return undefined;
  const date = Date.parse(text);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, date - now);
}

/**
 * Exponential backoff with jitter for retry number `retry` (1-based): a random delay between
 * half and all of `min(baseDelayMs * 2^(retry-1), maxDelayMs)`.
 */
export function backoffDelayMs(
  retry: number,
  policy: Pick<RetryPolicy, 'baseDelayMs' | 'maxDelayMs'>,
  random: () => number = Math.random,
): number {
  const ceiling = Math.min(policy.baseDelayMs * 2 ** Math.max(0, retry - 1), policy.maxDelayMs);
  return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}

/** Why the client waits before sending a request again; passed to `ClientOptions.onRetry`. */
export interface RetryInfo {
  /** The HTTP method. */
  method: string;
  /** The request URL. */
  url: string;
  /** Which retry this is (1 for the first). */
  retry: number;
  /** How long the client waits before it. */
  delayMs: number;
  /** The HTTP status that caused it, or `undefined` for a network error. */
  status: number | undefined;
  /** Whether the delay came from the server's `Retry-After`. */
  fromRetryAfter: boolean;
}

/** Node error codes of a connection that failed; retried as {@link mayRetryFailure} says. */
const NETWORK_RETRY_CODES = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'EPIPE',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ECONNABORTED',
  'EHOSTUNREACH',
  'ENETUNREACH',
]);

/**
 * Whether a request that failed without a response is sent again (after `retry` retries):
 * only for a network error code, and only when the request cannot have reached the server
 * or the method is GET.
 */
export function mayRetryFailure(
  failure: { errorCode?: string | undefined; mayHaveBeenSent: boolean },
  method: string,
  retry: number,
  policy: Pick<RetryPolicy, 'maxRetries'>,
): boolean {
  return (
    retry < policy.maxRetries &&
    failure.errorCode !== undefined &&
    NETWORK_RETRY_CODES.has(failure.errorCode) &&
    (!failure.mayHaveBeenSent || method === 'GET')
  );
}

/**
 * Whether a response with HTTP `status` is retried (after `retry` retries): 429, 503 and
 * 504; POST and PATCH only on 429 or with a `Retry-After` (`retryAfterMs`), and never
 * when the server asks to wait longer than `maxRetryAfterMs`.
 */
export function mayRetryStatus(
  status: number,
  method: string,
  retryAfterMs: number | undefined,
  retry: number,
  policy: Pick<RetryPolicy, 'maxRetries' | 'maxRetryAfterMs'>,
): boolean {
  return (
    isRetryableStatus(status) &&
    retry < policy.maxRetries &&
    (isIdempotent(method) || status === 429 || retryAfterMs !== undefined) &&
    (retryAfterMs === undefined || retryAfterMs <= policy.maxRetryAfterMs)
  );
}
