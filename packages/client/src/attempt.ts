/**
 * One attempt at sending a request (an HTTP exchange or a WebSocket upgrade): it settles
 * exactly once, with a value or with a {@link SendError} that says whether a connection
 * was made; the caller's abort signal and time limit end it, and whatever it opened is
 * released when it fails.
 */
import { TransportError } from './errors.js';

/**
 * A {@link TransportError} raised by the transport, which also says whether the request
 * may have reached the server (a connection was established), so callers know whether a
 * non-idempotent request is safe to resend.
 */
export class SendError extends TransportError {
  /** `false` only when no connection was ever established for the request. */
  mayHaveBeenSent = true;
  /** Set when the request's own time limit ran out (the limit, in ms). */
  timeoutMs: number | undefined;
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

/** The settling of one attempt; handed to the code that sends the request. */
export class Attempt<T> {
  /** Whether a connection to the server was made (the request may have reached it). */
  connected = false;
  #settled = false;
  #timer: NodeJS.Timeout | undefined;
  #release: (() => void) | undefined;
  readonly #onAbort = () => this.fail(abortCause(this.signal), 'the request was aborted');

  constructor(
    private readonly method: string,
    private readonly where: string,
    private readonly signal: AbortSignal | undefined,
    private readonly resolve: (value: T) => void,
    private readonly reject: (err: SendError) => void,
  ) {}

  /** Whether the attempt has succeeded or failed already. */
  get settled(): boolean {
    return this.#settled;
  }

  /** Resolves the attempt (nothing happens once it is settled). */
  succeed(value: T): void {
    if (this.#settled) return;
    this.#finish();
    this.resolve(value);
  }

  /**
   * Fails the attempt with a SendError (`what` says what went wrong, `timeoutMs` marks a
   * time limit that ran out) and releases what it opened; nothing happens once settled.
   */
  fail(cause: unknown, what?: string, timeoutMs?: number): void {
    if (this.#settled) return;
    this.#finish();
    const err = sendError(this.method, this.where, cause, what, this.connected, timeoutMs);
    this.#release?.();
    this.reject(err);
  }

  /** Fails the attempt as timed out after `ms` ms; `what` names what did not come in time. */
  timedOut(ms: number, what: string, cause?: Error): void {
    const err = cause ?? new Error(`no response within ${ms} ms`);
    this.fail(Object.assign(err, { code: 'ETIMEDOUT' }), `no ${what} within ${ms} ms`, ms);
  }

  /** Starts a timer that fails the attempt with {@link timedOut} unless it settles first. */
  limit(ms: number, what: string): void {
    if (ms > 0) this.#timer = setTimeout(() => this.timedOut(ms, what), ms);
  }

  /** @internal Called by {@link startAttempt} once the request is open. */
  listen(release: () => void): void {
    this.#release = release;
    this.signal?.addEventListener('abort', this.#onAbort, { once: true });
  }

  #finish(): void {
    this.#settled = true;
    if (this.#timer) clearTimeout(this.#timer);
    this.signal?.removeEventListener('abort', this.#onAbort);
  }
}

/**
 * Runs one attempt: rejects at once when the transport is `closed` or `req.signal` has
 * aborted (nothing is opened then); otherwise `open` sends the request, wires its events
 * to the attempt, and returns how to release it (destroy the request, terminate the
 * socket) when the attempt fails. Rejects only with {@link SendError}.
 */
export function startAttempt<T>(
  req: { readonly method: string; readonly url: URL; readonly signal?: AbortSignal | undefined },
  closed: boolean,
  open: (attempt: Attempt<T>) => () => void,
): Promise<T> {
  const { method, url, signal } = req;
  const where = url.toString();
  return new Promise<T>((resolve, reject) => {
    if (closed) {
      reject(
        new SendError(method, where, new Error('the client is closed'), 'the client is closed'),
      );
      return;
    }
    if (signal?.aborted) {
      const aborted = abortCause(signal);
      reject(sendError(method, where, aborted, 'the request was aborted', false, undefined));
      return;
    }
    const attempt = new Attempt<T>(method, where, signal, resolve, reject);
    attempt.listen(open(attempt));
  });
}
