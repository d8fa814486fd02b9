import type { IncomingMessage, ServerResponse } from 'node:http';
import { requestVersionOf } from './admission/converted-writes.js';
import { sentWriteOptions } from './admission/operation-options.js';
import { userOf } from './auth/authenticate.js';
import { methodVerb } from './auth/request-attributes.js';
import type { Representation } from './output/negotiate.js';
import { type OptionsKind, writeOptions } from './request-options.js';
import type { ResourceRoute } from './router.js';
import type { ApiState } from './state.js';
import { givenWarnings } from './warnings.js';
import type { Scope, WriteParams } from './write-scope.js';

/** One request on a resource's objects, as routed. */
export interface ResourceRequest {
  s: ApiState;
  sc: Scope;
  r: ResourceRoute;
  method: string;
  q: URLSearchParams;
  req: IncomingMessage;
  res: ServerResponse;
  rawBody: string;
  contentType: string;
  /** The negotiated representation of the answer (encoding and `as=` transformation). */
  rep: Representation;
}

/** The field manager of a request that names none: its User-Agent's program name. */
export function defaultManagerOf(req: IncomingMessage): string {
  return (req.headers['user-agent'] ?? '').split('/')[0] || 'unknown';
}

/**
 * The write parameters of a request (query options, the User-Agent's default manager); its
 * warnings are those given for the answer on `res` (sent with it, see givenWarnings).
 */
export function writeParams(
  { q, req, res }: Pick<ResourceRequest, 'q' | 'req' | 'res'>,
  kind: OptionsKind,
  apply = false,
): WriteParams {
  const o = writeOptions(q, kind, apply);
  const p: WriteParams = {
    defaultManager: defaultManagerOf(req),
    fieldValidation: o.fieldValidation,
    warnings: givenWarnings(res),
    user: userOf(req),
    verb: methodVerb(req.method ?? ''),
    sentOptions: sentWriteOptions(q),
  };
  if (o.fieldManager) p.fieldManager = o.fieldManager;
  if (o.dryRun) p.dryRun = true;
  if (o.force) p.force = true;
  const requestVersion = requestVersionOf(req);
  if (requestVersion) p.requestVersion = requestVersion;
  return p;
}
