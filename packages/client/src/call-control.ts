/**
 * The per-call control of one request: the caller's signal plus the call's own time limit,
 * and how their firing is reported. A timeout (the call's `timeoutMs`, the client's
 * per-attempt limit, or a caller's `AbortSignal.timeout()`) rejects with a
 * {@link RequestTimeoutError}; a caller's abort rejects with the signal's reason, as
 * `fetch` does, so the two are never confused.
 */

import type { SendError } from './attempt.js';
import { RequestTimeoutError } from './errors.js';

/** Whether an abort reason says "timed out" (the reason `AbortSignal.timeout()` gives). */
function isTimeoutReason(reason: unknown): boolean {
  return (
    typeof reason === 'object' &&
    reason !== null &&
    (reason as { name?: unknown }).name === 'TimeoutError'
  );
}

/** One call's signal and deadline; {@link dispose} it when the call settles. */
export class CallControl {
  /** The signal the request runs under: the caller's, and the deadline's when there is one. */
  readonly signal: AbortSignal | undefined;
  private readonly own: AbortController | undefined;
  private readonly timer: NodeJS.Timeout | undefined;
  private timedOut = false;
  private readonly link = () => this.own?.abort(this.outer?.reason);

  /**
   * @param outer the caller's signal
   * @param timeoutMs the call's time limit (`undefined` or `0`: none)
   * @param what what must arrive within it, for the message (e.g. `a complete response`)
   */
  constructor(
    private readonly outer: AbortSignal | undefined,
    private readonly timeoutMs: number | undefined,
    private readonly what: string,
  ) {
    if (timeoutMs === undefined || timeoutMs <= 0) {
      this.signal = outer;
      return;
    }
    const own = new AbortController();
    this.own = own;
    this.signal = own.signal;
    if (outer?.aborted) own.abort(outer.reason);
    else outer?.addEventListener('abort', this.link, { once: true });
    this.timer = setTimeout(() => {
      this.timedOut = true;
      own.abort();
    }, timeoutMs);
  }

  /**
   * The error to reject the call with, for `err` raised while it ran: a
   * {@link RequestTimeoutError} when a time limit ran out, the caller's abort reason when
   * the caller aborted, else `err` itself.
   */
  explain(err: unknown, method: string, url: string): unknown {
    const timeout = (limitMs: number | undefined, message: string, cause: unknown) =>
      new RequestTimeoutError(method, url, limitMs, message, cause);
    if (this.timedOut) {
      return timeout(
        this.timeoutMs,
        `no ${this.what} within ${this.timeoutMs} ms (the call's timeoutMs)`,
        err,
      );
    }
    if (this.outer?.aborted) {
      const reason: unknown = this.outer.reason;
      if (isTimeoutReason(reason)) {
        return timeout(
          undefined,
          `the caller's signal timed out before ${this.what} arrived`,
          reason,
        );
      }
      return reason;
    }
    const send = err as Partial<SendError> | undefined;
    if (send?.errorCode === 'ETIMEDOUT' && send.timeoutMs !== undefined) {
      const limit = send.timeoutMs;
      return timeout(limit, `no ${this.what} within ${limit} ms (the client's timeoutMs)`, err);
    }
    return err;
  }

  /** Stops the deadline and unlinks the caller's signal. */
  dispose(): void {
    if (this.timer) clearTimeout(this.timer);
    this.outer?.removeEventListener('abort', this.link);
  }
}
