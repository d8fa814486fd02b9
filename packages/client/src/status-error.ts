import { ApiError, isStatus, type Status, statusReasonFor } from '@kube-ts/core';

/**
 * The {@link ApiError} for a non-2xx response. When the body is a `Status` it is used as is
 * (its `code` filled in from the HTTP status if missing); otherwise a Status is built from
 * the HTTP code (reason as the API server would name it) and the start of the body text.
 */
export function apiErrorFromResponse(
  code: number,
  body: Buffer,
  method: string,
  url: string,
  retryAfterSeconds?: number,
): ApiError {
  const text = body.toString('utf8');
  let parsed: unknown;
  try {
    parsed = text ? JSON.parse(text) : undefined;
  } catch {
    parsed = undefined;
  }
  if (isStatus(parsed)) return new ApiError({ ...parsed, code: parsed.code ?? code });
  const snippet = text.replace(/\s+/g, ' ').trim().slice(0, 200);
  const status: Status = {
    kind: 'Status',
    apiVersion: 'v1',
    status: 'Failure',
    code,
    reason: statusReasonFor(code),
    message: `${method} ${url} returned HTTP ${code}${snippet ? `: ${snippet}` : ' with an empty body'}`,
  };
  if (retryAfterSeconds !== undefined) status.details = { retryAfterSeconds };
  return new ApiError(status);
}
