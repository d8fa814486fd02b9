import { createHash } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { userOf } from './auth/authenticate.js';
import { serveIssuerDiscovery } from './auth/issuer-discovery.js';
import { serveCollection } from './collection-requests.js';
import { serveComponentStatuses } from './component-statuses.js';
import {
  aggregatedDiscovery,
  coreVersions,
  group,
  groupList,
  ROOT_DISCOVERY_NEGOTIATION,
  resourceList,
  versionInfo,
} from './discovery.js';
import { methodNotAllowed, notFound, PlainNotFound, pathNotFound } from './errors.js';
import type { Faults } from './faults.js';
import { goHtmlEscape } from './go-json.js';
import { health } from './health.js';
import type { JsonObject } from './json.js';
import { serveObject } from './object-requests.js';
import { openApiDocuments } from './openapi/documents.js';
import { serveOpenApi } from './openapi/serve.js';
import { negotiate, negotiateJsonOnly, type Representation } from './output/negotiate.js';
import { hasProtobuf } from './protobuf/encode.js';
import { messageOf } from './protobuf/schema.js';
import { defaultManagerOf } from './resource-request.js';
import { apiVersionOf, type ResourceType, resourceKey } from './resource-types.js';
import { injected, send, sendAs, sendRawJson } from './respond.js';
import { type ResourceRoute, route } from './router.js';
import type { ApiState } from './state.js';
import { serveReview, serveSubresource } from './subresources/routes.js';
import { giveWarning } from './warnings.js';
import type { Scope } from './write-scope.js';

/** Everything one request needs. */
export interface RequestContext {
  state: ApiState;
  faults: Faults;
  host: string;
}

/** Handles one HTTP request against the in-memory API (body already read). */
export function handle(
  ctx: RequestContext,
  req: IncomingMessage,
  res: ServerResponse,
  rawBody: string,
): void {
  const s = ctx.state;
  const url = new URL(req.url ?? '/', 'http://localhost');
  const method = (req.method ?? 'GET').toUpperCase();
  const fault = ctx.faults.take(method, url.pathname);
  if (fault) throw injected(fault);
  const r = route(s.registry, url.pathname);
  if (!r && method === 'GET' && serveIssuerDiscovery(s, url.pathname, res)) return;
  if (!r) {
    if (method === 'GET' && serveOpenApi(openApiDocuments(s.registry), req, res, url)) return;
    if (servesGroupVersionOf(s, url.pathname)) throw pathNotFound();
    throw new PlainNotFound();
  }
  if (r.type === 'discovery') {
    // kube-apiserver's health handlers do not look at the method: any method answers as
    // GET does (HEAD without the body).
    if (r.what === 'health') {
      const answer = health(r.health!.endpoint, r.health!.check, url.searchParams);
      if (!answer) throw new PlainNotFound();
      res.writeHead(answer.code, {
        'Content-Type': 'text/plain; charset=utf-8',
        'X-Content-Type-Options': 'nosniff',
      });
      res.end(method === 'HEAD' ? undefined : answer.body);
      return;
    }
    if (method !== 'GET') throw methodNotAllowed();
    let body: JsonObject | undefined;
    let rep: Representation = { format: 'json' };
    switch (r.what) {
      case 'version':
        negotiateJsonOnly(req.headers.accept);
        sendRawJson(res, 200, versionInfo());
        return;
      case 'api':
      case 'apis':
        rep = negotiate(req.headers.accept, ROOT_DISCOVERY_NEGOTIATION);
        body =
          rep.as === 'APIGroupDiscoveryList'
            ? aggregatedDiscovery(s.registry, r.what === 'api')
            : r.what === 'api'
              ? coreVersions(ctx.host)
              : groupList(s.registry);
        break;
      case 'group':
        body = group(s.registry, r.group!);
        break;
      case 'groupVersion':
        body = resourceList(s.registry, r.group!, r.version!);
        break;
    }
    // Discovery documents have protobuf messages (APIVersions, APIGroup, …).
    if (r.what === 'group' || r.what === 'groupVersion') {
      rep = negotiate(req.headers.accept, { transforms: [], protobuf: true });
    }
    if (!body) {
      if (r.what === 'groupVersion' && r.group === '') throw pathNotFound();
      throw new PlainNotFound();
    }
    const headers = discoveryHeaders(rep, body);
    if (headers.ETag !== undefined && req.headers['if-none-match'] === headers.ETag) {
      res.writeHead(304, headers);
      res.end();
      return;
    }
    sendAs(res, 200, rep, JSON.stringify(body), headers);
    return;
  }
  handleResource(ctx, r, method, url.searchParams, req, res, rawBody);
}

/**
 * Aggregated discovery's caching headers, varying by Accept: its ETag is the SHA-512 of the
 * document's JSON without `kind` and `apiVersion` (kube-apiserver hashes its cached list,
 * whose type is only set when it is written), and a request whose `If-None-Match` names
 * it gets a 304.
 */
function discoveryHeaders(rep: Representation, body: JsonObject): Record<string, string> {
  if (rep.as !== 'APIGroupDiscoveryList') return {};
  const { kind: _kind, apiVersion: _apiVersion, ...untyped } = body;
  const etag = createHash('sha512').update(goHtmlEscape(JSON.stringify(untyped)));
  return {
    ETag: `"${etag.digest('hex').toUpperCase()}"`,
    Vary: 'Accept',
    'Cache-Control': 'public',
  };
}

/**
 * Whether a resource's objects are served in protobuf: built-in kinds that have a message
 * (kube-apiserver's handler of custom resources encodes them in JSON and YAML only).
 */
function servesProtobuf(t: ResourceType, version: string): boolean {
  return t.builtin && messageOf(apiVersionOf(t.group, version), t.kind) !== undefined;
}

/**
 * Sends a review's or a subresource's answer: a JSON object whose kind has a protobuf
 * message in protobuf when the request asks for protobuf first, as is otherwise.
 */
function sendAnswer(
  req: IncomingMessage,
  res: ServerResponse,
  answer: { code: number; body: string; contentType: string },
): void {
  if (answer.code === 204) {
    res.writeHead(204);
    res.end();
    return;
  }
  if (answer.contentType === 'application/json') {
    const rep = negotiate(req.headers.accept, { transforms: [], protobuf: true });
    if (rep.format === 'protobuf' && hasProtobuf(JSON.parse(answer.body) as JsonObject)) {
      sendAs(res, answer.code, rep, answer.body);
      return;
    }
  }
  send(res, answer.code, answer.body, { 'Content-Type': answer.contentType });
}

/** True when the path lies under a served `/api/v1` or `/apis/{g}/{v}` (else Go's mux 404s). */
function servesGroupVersionOf(s: ApiState, path: string): boolean {
  if (path === '/api' || path.startsWith('/api/')) return true;
  const m = /^\/(?:api\/([^/]+)|apis\/([^/]+)\/([^/]+))\/./.exec(path);
  if (!m) return false;
  const group = m[2] ?? '';
  const version = m[1] ?? m[3]!;
  return (s.registry.groups().get(group) ?? []).includes(version);
}

function handleResource(
  ctx: RequestContext,
  r: ResourceRoute,
  method: string,
  q: URLSearchParams,
  req: IncomingMessage,
  res: ServerResponse,
  rawBody: string,
): void {
  const s = ctx.state;
  const sc: Scope = { t: r.t, version: r.version, namespace: r.namespace };
  const named = r.name !== undefined;
  if (r.t.namespaced && !r.namespaced && (named || !['GET', 'LIST'].includes(method))) {
    if (named) throw pathNotFound();
    throw methodNotAllowed();
  }
  const sub = r.subresource;
  const contentType = String(req.headers['content-type'] ?? 'application/json');
  // Sent with every answer, errors and watches included, before the request's own warnings.
  if (r.t.deprecation) giveWarning(res, r.t.deprecation);
  if (r.t.readOnly) {
    const rep = negotiate(req.headers.accept, {
      transforms: ['Table', 'PartialObjectMetadata', 'PartialObjectMetadataList'],
      list: !named,
    });
    serveComponentStatuses({ s, sc, r, method, q, req, res, rawBody, contentType, rep });
    return;
  }
  if (r.t.createOnly) {
    if (named) throw methodNotAllowed();
    // A review has no Table or metadata form: `as=Table` alone is 406, as on kube-apiserver.
    negotiate(req.headers.accept, { transforms: [], protobuf: true });
    const manager = q.get('fieldManager') || defaultManagerOf(req);
    const review = serveReview(s, sc, method, q, rawBody, contentType, userOf(req), manager);
    sendAnswer(req, res, review);
    return;
  }
  const extra =
    sub !== undefined && named
      ? serveSubresource(s, sc, r.name!, sub, method, q, rawBody, contentType, req)
      : undefined;
  if (extra?.stream) {
    res.writeHead(extra.code, { 'Content-Type': extra.contentType });
    extra.stream(res);
    return;
  }
  if (extra) {
    sendAnswer(req, res, extra);
    return;
  }
  const finalize =
    (sub === 'finalize' && r.t.builtin && resourceKey(r.t) === 'namespaces') ||
    ((sub === 'ephemeralcontainers' || sub === 'resize') &&
      r.t.builtin &&
      resourceKey(r.t) === 'pods') ||
    (sub === 'approval' &&
      r.t.builtin &&
      resourceKey(r.t) === 'certificatesigningrequests.certificates.k8s.io');
  if (
    sub !== undefined &&
    !((sub === 'status' && r.t.status) || (sub === 'scale' && r.t.scale) || finalize)
  ) {
    // kube-apiserver's CRD handler answers as if the object were missing; built-ins have no route.
    if (!r.t.builtin && r.name !== undefined) {
      throw notFound({ group: r.t.group, plural: r.t.plural, name: r.name });
    }
    throw pathNotFound();
  }
  if (r.watchPath && (named || method !== 'GET')) throw methodNotAllowed();
  // kube-apiserver transforms the answer of every verb (a metadata-only client's create,
  // patch or delete gets PartialObjectMetadata back); a Status answer stays a Status.
  const rep = negotiate(req.headers.accept, {
    transforms: ['Table', 'PartialObjectMetadata', 'PartialObjectMetadataList'],
    list: !named && (method === 'GET' || method === 'DELETE'),
    protobuf: servesProtobuf(r.t, r.version),
  });
  const rr = { s, sc, r, method, q, req, res, rawBody, contentType, rep };
  if (named) serveObject(rr);
  else serveCollection(rr);
}
