import type { Status } from '@kube-ts/k8s/meta/v1';

// The API server's `Status` (the body of every error response, and of some successful ones,
// e.g. DELETE of an object that is gone at once) is generated into @kube-ts/k8s.
export type { Status, StatusCause, StatusDetails } from '@kube-ts/k8s/meta/v1';

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
