import { ApiError, isStatus, type Status, statusReasonFor } from '@kube-ts/core';

/**
 * The {@link ApiError} for a non-2xx response. When the body is a `Status` it is used as is
 * (its `code` filled in from the HTTP status if missing); otherwise a Status is built from
 * the HTTP code (reason as the API server would name it) and the start of the body text.
 * `retryAfterMs` is the delay of the response's `Retry-After` header, if it had one: it
 * becomes the error's `retryAfterMs` (and `details.retryAfterSeconds` of a built Status).
 */
export function apiErrorFromResponse(
  code: number,
  body: Buffer,
  method: string,
  url: string,
  retryAfterMs?: number,
): ApiError {
  const options = retryAfterMs === undefined ? undefined : { retryAfterMs };
  const text = body.toString('utf8');
  let parsed: unknown;
  try {
    parsed = text ? JSON.parse(text) : undefined;
  } catch {
    parsed = undefined;
  }
  if (isStatus(parsed)) return new ApiError({ ...parsed, code: parsed.code ?? code }, options);
  const snippet = text.replace(/\s+/g, ' ').trim().slice(0, 200);
  const status: Status = {
    kind: 'Status',
    apiVersion: 'v1',
    status: 'Failure',
    code,
    reason: statusReasonFor(code),
    message: `${method} ${url} returned HTTP ${code}${snippet ? `: ${snippet}` : ' with an empty body'}`,
  };
  if (retryAfterMs !== undefined) {
    status.details = { retryAfterSeconds: Math.ceil(retryAfterMs / 1000) };
  }
  return new ApiError(status, options);
}
