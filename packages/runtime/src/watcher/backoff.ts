/**
 * Backoff policies: how long to wait before the next retry.
 *
 * A policy is a small stateful object (`next()` / `reset()`), so the watcher, the
 * `backoff()` stream operator and a controller's error policy can all use the same one.
 */

/** A stateful retry delay generator. */
export interface BackoffPolicy {
  /** Records a failure and returns how long to wait before the next attempt, in ms. */
  next(): number;
  /** Forgets past failures: the next delay is the initial one again. */
  reset(): void;
}

/** Settings of {@link exponentialBackoff}. All times are milliseconds. */
export interface ExponentialBackoffOptions {
  /** The first delay (before jitter). Default 800. */
  initialMs?: number;
  /** The largest delay; jitter never goes past it. Default 30 000. */
  maxMs?: number;
  /** Growth per failure. Default 2. */
  factor?: number;
  /**
   * Random extra delay, as a fraction of the base delay: the delay is drawn uniformly from
   * `[base, base * (1 + jitter)]`, then capped at `maxMs`. Default 1 (as client-go), 0 disables it.
   */
  jitter?: number;
  /**
   * When this long has passed since the previous `next()` without another failure, the
   * next delay starts over from `initialMs`. Default 120 000. `Infinity` disables it.
   */
  resetAfterMs?: number;
  /** Source of randomness in [0, 1). Default `Math.random`. */
  random?: () => number;
  /** Clock in ms. Default `Date.now` (so fake timers control it). */
  now?: () => number;
}

/**
 * An exponential backoff with jitter and a quiet-period reset.
 *
 * Guarantees: the n-th consecutive delay has base `min(initialMs * factor^(n-1), maxMs)`;
 * every delay lies in `[base, min(base * (1 + jitter), maxMs)]`, so never above `maxMs`;
 * after `resetAfterMs` without a `next()` call, or after `reset()`, the base is `initialMs` again.
 */
export function exponentialBackoff(options: ExponentialBackoffOptions = {}): BackoffPolicy {
  const initialMs = options.initialMs ?? 800;
  const maxMs = options.maxMs ?? 30_000;
  const factor = options.factor ?? 2;
  const jitter = options.jitter ?? 1;
  const resetAfterMs = options.resetAfterMs ?? 120_000;
  const random = options.random ?? Math.random;
  const now = options.now ?? Date.now;
  if (!(initialMs >= 0) || !(maxMs >= initialMs) || !(factor >= 1) || !(jitter >= 0)) {
    throw new RangeError(
      `exponentialBackoff: invalid options (need 0 <= initialMs <= maxMs, factor >= 1, jitter >= 0; got initialMs=${initialMs}, maxMs=${maxMs}, factor=${factor}, jitter=${jitter})`,
    );
  }
  let base = initialMs;
  let last: number | undefined;
  return {
    next() {
      const t = now();
      if (last !== undefined && t - last >= resetAfterMs) base = initialMs;
      last = t;
      const current = Math.min(base, maxMs);
      base = Math.min(base * factor, maxMs);
      return Math.min(current * (1 + jitter * random()), maxMs);
    },
    reset() {
      base = initialMs;
      last = undefined;
    },
  };
}

/**
 * The watcher's default backoff, client-go's reflector values: exponential from 800 ms to
 * 30 s, factor 2, jitter, reset after 120 s without a failure.
 */
export function defaultBackoff(): BackoffPolicy {
  return exponentialBackoff();
}
