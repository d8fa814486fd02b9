import { isStatus, type Status, type StatusDetails } from './status.js';

/**
 * An error returned by the API server: every non-2xx response becomes one. It carries the
 * server's {@link Status} (code, reason, message, details); when the response body was not
 * a Status, the client builds one from the HTTP status code and the body text.
 */
export class ApiError extends Error {
  /** The HTTP status code, e.g. 404. */
  readonly code: number;
  /** The machine-readable reason, e.g. `NotFound`; `''` when the server gave none. */
  readonly reason: string;
  /** The full Status object. */
  readonly status: Status;
  /** `status.details`, when present. */
  readonly details: StatusDetails | undefined;
  /**
   * How long the server asked the client to wait before retrying, in ms: the response's
   * `Retry-After` header, else `details.retryAfterSeconds` of the Status; `undefined` when
   * the server said nothing (e.g. on a 429 or 503).
   */
  readonly retryAfterMs: number | undefined;

  /**
   * @param status the server's Status; `code` defaults to 500 when it has none.
   * @param options standard `Error` options (`cause`), and the `Retry-After` header's delay
   *   in ms when the response had one (it wins over `details.retryAfterSeconds`).
   */
  constructor(status: Status, options?: { cause?: unknown; retryAfterMs?: number }) {
    const code = status.code ?? 500;
    const reason = status.reason ?? '';
    super(
      `${status.message || 'the API server returned an error'} (${code}${reason ? ` ${reason}` : ''})`,
      options?.cause === undefined ? undefined : { cause: options.cause },
    );
    this.name = 'ApiError';
    this.code = code;
    this.reason = reason;
    this.status = status;
    this.details = status.details;
    const seconds = status.details?.retryAfterSeconds;
    this.retryAfterMs =
      options?.retryAfterMs ?? (typeof seconds === 'number' ? seconds * 1000 : undefined);
  }

  /** Builds an ApiError from a Status body. */
  static fromStatus(status: Status): ApiError {
    return new ApiError(status);
  }

  /**
   * Whether `err` is an ApiError. Also true for errors from another copy of this package
   * (checked by name and shape), so it is safe across duplicated installs.
   */
  static is(err: unknown): err is ApiError {
    if (err instanceof ApiError) return true;
    return (
      err instanceof Error &&
      err.name === 'ApiError' &&
      typeof (err as { code?: unknown }).code === 'number' &&
      isStatus((err as { status?: unknown }).status)
    );
  }

  /** 404: the object (or the resource type) does not exist. See {@link isNotFound}. */
  isNotFound(): boolean {
    return isNotFound(this);
  }

  /** 409 `AlreadyExists`: a create of a name that is taken. See {@link isAlreadyExists}. */
  isAlreadyExists(): boolean {
    return isAlreadyExists(this);
  }

  /** 409 `Conflict`: a write with a stale `resourceVersion`. See {@link isConflict}. */
  isConflict(): boolean {
    return isConflict(this);
  }

  /** 410: the requested resourceVersion is too old (compacted); relist. See {@link isGone}. */
  isGone(): boolean {
    return isGone(this);
  }

  /** 401: no valid credentials. See {@link isUnauthorized}. */
  isUnauthorized(): boolean {
    return isUnauthorized(this);
  }

  /** 403: the credentials are not allowed to do this (RBAC). See {@link isForbidden}. */
  isForbidden(): boolean {
    return isForbidden(this);
  }

  /** 422: the object is invalid; `details.causes` lists the fields. See {@link isInvalid}. */
  isInvalid(): boolean {
    return isInvalid(this);
  }

  /** 429: the server is throttling; see {@link ApiError.retryAfterMs}. */
  isTooManyRequests(): boolean {
    return isTooManyRequests(this);
  }

  /** The server could not finish in time (`ServerTimeout`, `Timeout`, 504). See {@link isServerTimeout}. */
  isServerTimeout(): boolean {
    return isServerTimeout(this);
  }
}

/** The code and reason of `err` when it is an {@link ApiError} (or a copy's look-alike). */
function codeAndReason(err: unknown): { code: number; reason: string } | undefined {
  if (!ApiError.is(err)) return undefined;
  return { code: err.code, reason: err.reason };
}

/**
 * Whether `err` is an {@link ApiError} with HTTP 404: the object does not exist — or the
 * resource type is not served at all (the client then says so in the message; `Api.getOpt`
 * rejects instead of resolving `undefined`).
 */
export function isNotFound(err: unknown): boolean {
  return codeAndReason(err)?.code === 404;
}

/** Whether `err` is a 409 `AlreadyExists`: a create of a name that is taken. */
export function isAlreadyExists(err: unknown): boolean {
  const e = codeAndReason(err);
  return e?.code === 409 && e.reason === 'AlreadyExists';
}

/**
 * Whether `err` is a 409 `Conflict`: a write whose `resourceVersion` (or precondition) is
 * stale; read the object again and retry. Not true for `AlreadyExists` (also a 409): use
 * {@link isAlreadyExists} for that.
 */
export function isConflict(err: unknown): boolean {
  const e = codeAndReason(err);
  return e?.code === 409 && e.reason !== 'AlreadyExists';
}

/** Whether `err` is a 422 `Invalid`: `details.causes` lists the invalid fields. */
export function isInvalid(err: unknown): boolean {
  return codeAndReason(err)?.code === 422;
}

/**
 * Whether `err` says the requested resourceVersion is too old (410, or reason `Expired` /
 * `Gone` as watch ERROR events carry it): list again.
 */
export function isGone(err: unknown): boolean {
  const e = codeAndReason(err);
  return e !== undefined && (e.code === 410 || e.reason === 'Expired' || e.reason === 'Gone');
}

/** Whether `err` is a 403 `Forbidden`: RBAC (or an admission rule) does not allow the request. */
export function isForbidden(err: unknown): boolean {
  return codeAndReason(err)?.code === 403;
}

/** Whether `err` is a 401 `Unauthorized`: the server did not accept the credentials. */
export function isUnauthorized(err: unknown): boolean {
  return codeAndReason(err)?.code === 401;
}

/** Whether `err` is a 429 `TooManyRequests`; `ApiError.retryAfterMs` says how long to wait. */
export function isTooManyRequests(err: unknown): boolean {
  return codeAndReason(err)?.code === 429;
}

/**
 * Whether `err` says the server could not finish the request in time: reason
 * `ServerTimeout` (the server gave up, usually with a retry delay), or `Timeout` / HTTP 504
 * (a gateway or the server timed out). The request may be retried. (A request the client
 * itself gave up on is the client's `RequestTimeoutError`, not an ApiError.)
 */
export function isServerTimeout(err: unknown): boolean {
  const e = codeAndReason(err);
  return (
    e !== undefined && (e.reason === 'ServerTimeout' || e.reason === 'Timeout' || e.code === 504)
  );
}
