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

/**
 * A request that did not finish in time: the call's `timeoutMs` (or the client's) ran out,
 * or the caller's signal was an `AbortSignal.timeout()` that fired. A caller's own abort
 * is never reported as this: it rejects with the signal's reason. `errorCode` is
 * `ETIMEDOUT`; the request was not retried.
 */
export class RequestTimeoutError extends TransportError {
  /** The time limit in ms that ran out, when it was the call's or the client's own. */
  readonly timeoutMs: number | undefined;

  /**
   * @param method HTTP method
   * @param url request URL
   * @param timeoutMs the limit that ran out (`undefined` for a caller's timeout signal)
   * @param what what did not arrive in time
   * @param cause the underlying error or abort reason
   */
  constructor(
    method: string,
    url: string,
    timeoutMs: number | undefined,
    what: string,
    cause?: unknown,
  ) {
    super(method, url, Object.assign(new Error(what, { cause }), { code: 'ETIMEDOUT' }), what);
    this.name = 'RequestTimeoutError';
    this.timeoutMs = timeoutMs;
  }

  /** Whether `err` is a RequestTimeoutError. */
  static override is(err: unknown): err is RequestTimeoutError {
    return err instanceof RequestTimeoutError;
  }
}

/**
 * A 404 for a resource the API server does not serve at all (as opposed to an object that
 * does not exist): its CustomResourceDefinition is not installed, or the group, version or
 * plural is wrong. Still an {@link ApiError} with code 404 (`isNotFound` is true), but
 * `Api.getOpt` rejects with it instead of resolving `undefined`.
 */
export class ResourceNotServedError extends ApiError {
  /** The resource, as `plural.group/version` (`plural/version` for the core group). */
  readonly resource: string;

  /**
   * @param resource the resource's plural, group and version and its kind
   * @param answer what the server answered (the 404's message)
   */
  constructor(
    resource: { group: string; version: string; plural: string; kind: string },
    answer: string,
  ) {
    const name = resource.group
      ? `${resource.plural}.${resource.group}/${resource.version}`
      : `${resource.plural}/${resource.version}`;
    const hint = resource.group
      ? `install the CustomResourceDefinition that defines ${resource.kind} (${resource.plural}.${resource.group}), or check the group and version`
      : 'check the version and plural';
    super({
      kind: 'Status',
      apiVersion: 'v1',
      status: 'Failure',
      code: 404,
      reason: 'NotFound',
      message: `the API server does not serve ${resource.kind} (${name}): ${answer}; ${hint} ('kubectl api-resources' lists what it serves)`,
      details: { group: resource.group, kind: resource.plural },
    });
    this.name = 'ResourceNotServedError';
    this.resource = name;
  }
}

/**
 * An exec, attach or port-forward that the API server refused before the stream opened:
 * still the server's {@link ApiError} (same `code`, `reason` and Status, so `isForbidden`
 * and friends work), with a message that adds what to do — grant `create` on
 * `pods/exec`, wait for the Pod to run, or name one of its containers.
 */
export class PodStreamError extends ApiError {
  /** The subresource that was refused: `exec`, `attach` or `portforward`. */
  readonly subresource: string;
  /** What to do about it, when the failure is one of the known ones. */
  readonly hint: string | undefined;

  /**
   * @param err the server's error
   * @param subresource `exec`, `attach` or `portforward`
   * @param namespace the Pod's namespace
   */
  constructor(err: ApiError, subresource: string, namespace: string) {
    const hint = streamHint(err, subresource, namespace);
    const message = err.status.message || err.message;
    super(
      { ...err.status, code: err.code, message: hint ? `${message}; ${hint}` : message },
      { cause: err, ...(err.retryAfterMs === undefined ? {} : { retryAfterMs: err.retryAfterMs }) },
    );
    this.name = 'PodStreamError';
    this.subresource = subresource;
    this.hint = hint;
  }
}

function streamHint(err: ApiError, sub: string, namespace: string): string | undefined {
  const message = err.status.message ?? '';
  if (err.code === 403) {
    return `the user needs the 'create' and 'get' verbs on pods/${sub} in namespace ${namespace} (an RBAC Role rule: apiGroups [''], resources ['pods/${sub}'], verbs ['get', 'create'])`;
  }
  if (/does not have a host assigned/.test(message)) {
    return 'the Pod is not scheduled to a node yet: wait until it runs (awaitCondition with conditions.isPodRunning())';
  }
  if (/container name must be specified|is not valid for pod/.test(message)) {
    return "set options.container to one of the Pod's containers";
  }
  if (/container not found|not running|not created|completed pod/i.test(message)) {
    return 'the container is not running (the Pod is still starting, or it has finished): wait until the Pod is Running';
  }
  return undefined;
}
