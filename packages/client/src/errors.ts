import { ApiError } from '@kube-ts/core';

/**
 * A request that got no HTTP response: connection refused or reset, DNS failure, TLS
 * failure, a timeout, or an abort. Names the method and URL (never headers or tokens) and
 * keeps the underlying Node error as `cause`.
 */
export class TransportError extends Error {
  /** The HTTP method of the request. */
  readonly method: string;
  /** The full request URL (it never contains credentials). */
  readonly url: string;
  /** The Node error code when there is one, e.g. `ECONNREFUSED`, `ETIMEDOUT`, `ABORT_ERR`. */
  readonly errorCode: string | undefined;

  /**
   * @param method HTTP method
   * @param url request URL
   * @param cause the underlying error
   * @param what a short description of what went wrong (defaults to the cause's message)
   */
  constructor(method: string, url: string, cause: unknown, what?: string) {
    const code = (cause as { code?: unknown } | undefined)?.code;
    const detail = what ?? (cause instanceof Error ? cause.message : String(cause));
    super(`${method} ${url} failed: ${detail}`, { cause });
    this.name = 'TransportError';
    this.method = method;
    this.url = url;
    this.errorCode = typeof code === 'string' ? code : undefined;
  }

  /** Whether `err` is a TransportError. */
  static is(err: unknown): err is TransportError {
    return err instanceof TransportError;
  }
}

/**
 * A kubeconfig that cannot be used: the file does not exist, does not parse, or names no
 * usable cluster. The message names the file and says what to do.
 */
export class KubeConfigError extends Error {
  /** The kubeconfig file concerned, when there is one. */
  readonly path: string | undefined;

  /**
   * @param message what happened and what to do
   * @param path the file concerned
   * @param cause the underlying error (e.g. the YAML parse error)
   */
  constructor(message: string, path?: string, cause?: unknown) {
    super(message, cause === undefined ? undefined : { cause });
    this.name = 'KubeConfigError';
    this.path = path;
  }
}

/**
 * A watch stream that carried data which is not a watch event: a line that is not JSON or
 * not `{type, object}`, or a last line cut off when the stream ended. An {@link ApiError}
 * with code 500 and reason `InternalError` (as client-go reports watch decode errors), so
 * code that handles ApiErrors handles it too. The message gives the line's length, never
 * its content (it may hold Secret data).
 */
export class WatchDecodeError extends ApiError {
  /**
   * @param url the watch URL
   * @param problem what is wrong with the line
   * @param cause the JSON parse error, if any
   */
  constructor(url: string, problem: string, cause?: unknown) {
    super(
      {
        kind: 'Status',
        apiVersion: 'v1',
        status: 'Failure',
        code: 500,
        reason: 'InternalError',
        message: `watch ${url}: ${problem}; the event was dropped — watch again from the last resourceVersion`,
      },
      cause === undefined ? undefined : { cause },
    );
    this.name = 'WatchDecodeError';
  }
}
