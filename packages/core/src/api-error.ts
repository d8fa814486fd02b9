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
   * @param status the server's Status; `code` defaults to 500 when it has none.
   * @param options standard `Error` options (`cause`).
   */
  constructor(status: Status, options?: { cause?: unknown }) {
    const code = status.code ?? 500;
    const reason = status.reason ?? '';
    super(
      `${status.message || 'the API server returned an error'} (${code}${reason ? ` ${reason}` : ''})`,
      options,
    );
    this.name = 'ApiError';
    this.code = code;
    this.reason = reason;
    this.status = status;
    this.details = status.details;
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

  /** 404: the object (or the resource type) does not exist. */
  isNotFound(): boolean {
    return this.code === 404;
  }

  /**
   * 409: a conflict — a write with a stale `resourceVersion` (reason `Conflict`) or a
   * create of an object that exists (reason `AlreadyExists`).
   */
  isConflict(): boolean {
    return this.code === 409;
  }

  /** 410: the requested resourceVersion is too old (compacted); relist. */
  isGone(): boolean {
    return this.code === 410 || this.reason === 'Expired' || this.reason === 'Gone';
  }

  /** 403: the credentials are not allowed to do this (RBAC). */
  isForbidden(): boolean {
    return this.code === 403;
  }

  /** 422: the object is invalid; `details.causes` lists the fields. */
  isInvalid(): boolean {
    return this.code === 422;
  }

  /** 429: the server is throttling; `details.retryAfterSeconds` says how long to wait. */
  isTooManyRequests(): boolean {
    return this.code === 429;
  }
}
