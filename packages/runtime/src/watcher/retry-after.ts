/**
 * The wait a failed request's server asked for (HTTP `Retry-After`, or a Status's
 * `details.retryAfterSeconds`), so that the watcher's next attempt honours it.
 */

/**
 * The longest server-requested wait the watcher honours: 60 s (the client's own retry cap
 * for `Retry-After`). A server asking for more (e.g. 3600 s) gets the next attempt after
 * this long; the watcher never stays silent for longer than a minute because of one answer.
 */
export const MAX_RETRY_AFTER_MS = 60_000;

/**
 * The wait `failure` asks for in ms, capped at {@link MAX_RETRY_AFTER_MS}; 0 when it asks
 * for none. Reads `retryAfterMs` (an `ApiError` that saw the header) or
 * `details.retryAfterSeconds` (an `ApiError`, or a watch `ERROR` event's Status).
 */
export function serverRetryAfterMs(failure: unknown): number {
  if (typeof failure !== 'object' || failure === null) return 0;
  const f = failure as { retryAfterMs?: unknown; details?: { retryAfterSeconds?: unknown } };
  let ms: number | undefined;
  if (typeof f.retryAfterMs === 'number') ms = f.retryAfterMs;
  else if (typeof f.details?.retryAfterSeconds === 'number')
    ms = f.details.retryAfterSeconds * 1000;
  return ms !== undefined && ms > 0 ? Math.min(ms, MAX_RETRY_AFTER_MS) : 0;
}
