import type { StatusCause, StatusDetails } from '@kube-ts/core';
import type { JsonObject } from './json.js';

export type { StatusCause, StatusDetails };

/**
 * An error that the server answers with a `Status` body and an HTTP code, like
 * kube-apiserver does for every failure.
 */
export class HttpStatusError extends Error {
  constructor(
    readonly code: number,
    readonly reason: string,
    message: string,
    readonly details?: StatusDetails,
    options?: ErrorOptions,
  ) {
    super(message, options);
    this.name = 'HttpStatusError';
  }

  /** The Status body sent to the client. */
  toStatus(): JsonObject {
    const body: JsonObject = {
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message: this.message,
    };
    if (this.reason) body.reason = this.reason;
    if (this.details) {
      // kube-apiserver's field order: name, group, kind, uid, causes, retryAfterSeconds (empty
      // strings are left out, as Go's omitempty does).
      const d: JsonObject = {};
      for (const k of ['name', 'group', 'kind', 'uid', 'causes', 'retryAfterSeconds'] as const) {
        const v = this.details[k];
        if (v !== undefined && v !== '') d[k] = v as unknown as JsonObject;
      }
      body.details = d;
    }
    body.code = this.code;
    return body;
  }
}

/** Identifies the object an error is about: resource plural + group + name. */
export interface Target {
  group: string;
  plural: string;
  name: string;
}

function qualified(t: Target): string {
  return t.group ? `${t.plural}.${t.group}` : t.plural;
}

function detailsOf(t: Target): StatusDetails {
  const d: StatusDetails = { name: t.name, kind: t.plural };
  if (t.group) d.group = t.group;
  return d;
}

/** 404 for a named object. */
export function notFound(t: Target): HttpStatusError {
  return new HttpStatusError(
    404,
    'NotFound',
    `${qualified(t)} "${t.name}" not found`,
    detailsOf(t),
  );
}

/** Raised for a path outside every served group/version: answered with Go's plain-text 404. */
export class PlainNotFound extends Error {
  constructor() {
    super('404 page not found');
    this.name = 'PlainNotFound';
  }
}

/** 404 for a path the server does not serve. */
export function pathNotFound(): HttpStatusError {
  return new HttpStatusError(
    404,
    'NotFound',
    'the server could not find the requested resource',
    {},
  );
}

/** 405 for a verb that the path does not support. */
export function methodNotAllowed(): HttpStatusError {
  return new HttpStatusError(
    405,
    'MethodNotAllowed',
    'the server does not allow this method on the requested resource',
    {},
  );
}

/** 409 AlreadyExists. */
export function alreadyExists(t: Target): HttpStatusError {
  return new HttpStatusError(
    409,
    'AlreadyExists',
    `${qualified(t)} "${t.name}" already exists`,
    detailsOf(t),
  );
}

/**
 * 409 for a create by `generateName` whose every generated name was taken
 * (apimachinery's NewGenerateNameConflict).
 */
export function generateNameConflict(t: Target): HttpStatusError {
  return new HttpStatusError(
    409,
    'AlreadyExists',
    `${qualified(t)} "${t.name}" already exists, the server was not able to generate a unique name for the object`,
    { ...detailsOf(t), retryAfterSeconds: 1 },
  );
}

/** 409 Conflict (stale resourceVersion, failed precondition, ...). */
export function conflict(t: Target, why: string): HttpStatusError {
  return new HttpStatusError(
    409,
    'Conflict',
    `Operation cannot be fulfilled on ${qualified(t)} "${t.name}": ${why}`,
    detailsOf(t),
  );
}

/** The why of a conflict on a stale resourceVersion. */
export const STALE_MESSAGE =
  'the object has been modified; please apply your changes to the latest version and try again';

/** 422 Invalid with field causes; `kind` is the Kind (e.g. ConfigMap), `group` its group. */
export function invalid(
  kind: string,
  group: string,
  name: string,
  causes: StatusCause[],
): HttpStatusError {
  const what = group ? `${kind}.${group}` : kind;
  // Go's ErrorList.ToAggregate drops repeated messages; the causes keep them.
  const list = [...new Set(causes.map((c) => (c.field ? `${c.field}: ${c.message}` : c.message)))];
  const joined = list.length === 1 ? list[0] : `[${list.join(', ')}]`;
  // Go leaves an empty name and kind out of the details (omitempty).
  const details: StatusDetails = {};
  if (name) details.name = name;
  if (group) details.group = group;
  if (kind) details.kind = kind;
  details.causes = causes;
  return new HttpStatusError(422, 'Invalid', `${what} "${name}" is invalid: ${joined}`, details);
}

/** 400 BadRequest. */
export function badRequest(message: string): HttpStatusError {
  return new HttpStatusError(400, 'BadRequest', message);
}

/** 410 Expired (too old resource version, expired continue token). */
export function expired(message: string): HttpStatusError {
  return new HttpStatusError(410, 'Expired', message);
}

/** 415 for a patch or body type the resource does not accept. */
export function unsupportedMediaType(accepted: string[]): HttpStatusError {
  return new HttpStatusError(
    415,
    'UnsupportedMediaType',
    `the body of the request was in an unknown format - accepted media types include: ${accepted.join(', ')}`,
  );
}

/** 403 Forbidden. */
export function forbidden(message: string, details?: StatusDetails): HttpStatusError {
  return new HttpStatusError(403, 'Forbidden', message, details);
}
