/** One cause of a failure, as listed in `Status.details.causes`. */
export interface StatusCause {
  /** Machine-readable cause, e.g. `FieldValueRequired`. */
  reason?: string;
  /** Human-readable description. */
  message?: string;
  /** The field the cause refers to, e.g. `spec.replicas`. */
  field?: string;
}

/** Extra data of a {@link Status}: which object it is about and why it failed. */
export interface StatusDetails {
  /** The name of the object, when the status is about one object. */
  name?: string;
  /** The API group of the object. */
  group?: string;
  /** The kind (or resource) of the object. */
  kind?: string;
  /** The UID of the object. */
  uid?: string;
  /** The individual causes (e.g. each invalid field of a 422). */
  causes?: StatusCause[];
  /** How long the client should wait before retrying, in seconds. */
  retryAfterSeconds?: number;
}

/**
 * The API server's `Status` object: the body of every error response, and of some
 * successful ones (e.g. DELETE of an object that is gone at once).
 */
export interface Status {
  /** Always `'Status'`. */
  kind?: 'Status';
  /** `'v1'`. */
  apiVersion?: string;
  /** `'Success'` or `'Failure'`. */
  status?: 'Success' | 'Failure' | string;
  /** Human-readable description. */
  message?: string;
  /** Machine-readable reason, e.g. `NotFound`, `AlreadyExists`, `Conflict`, `Expired`. */
  reason?: string;
  /** The HTTP status code. */
  code?: number;
  /** Extra data about the failure. */
  details?: StatusDetails;
  /** List metadata (resourceVersion, continue); rarely set. */
  metadata?: { resourceVersion?: string; continue?: string };
}

/** Whether a parsed JSON value is a `Status` object (`kind: 'Status'`). */
export function isStatus(value: unknown): value is Status {
  return (
    typeof value === 'object' && value !== null && (value as { kind?: unknown }).kind === 'Status'
  );
}

const REASONS: Readonly<Record<number, string>> = {
  400: 'BadRequest',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'NotFound',
  405: 'MethodNotAllowed',
  406: 'NotAcceptable',
  409: 'Conflict',
  410: 'Gone',
  413: 'RequestEntityTooLarge',
  415: 'UnsupportedMediaType',
  422: 'Invalid',
  429: 'TooManyRequests',
  500: 'InternalError',
  503: 'ServiceUnavailable',
  504: 'Timeout',
};

/**
 * The `Status` reason the API server gives a bare HTTP code (`'Unknown'` when it names
 * none), e.g. to build a Status for an error response whose body is not one. Specific
 * errors carry more precise reasons: a too-old resourceVersion or continue token is
 * `410 Expired`, a name taken `409 AlreadyExists`.
 */
export function statusReasonFor(code: number): string {
  return REASONS[code] ?? 'Unknown';
}
