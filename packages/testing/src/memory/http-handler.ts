import type { IncomingMessage, ServerResponse } from 'node:http';
import { statusReasonFor } from '@kube-ts/core';
import { deletedStatus, deleteObject, deleteOptionsFrom } from './deletion.js';
import { coreVersions, group, groupList, resourceList, versionInfo } from './discovery.js';
import {
  badRequest,
  conflict,
  HttpStatusError,
  methodNotAllowed,
  notFound,
  PlainNotFound,
  pathNotFound,
  STALE_MESSAGE,
} from './errors.js';
import type { Faults } from './faults.js';
import { isObject, type Json, type JsonObject } from './json.js';
import { jsonPatch } from './json-patch.js';
import { listJson, listObjects } from './list.js';
import { parseListOptions } from './list-options.js';
import { mergePatch } from './merge-patch.js';
import { metaOf } from './object-meta.js';
import { openApiDocument, openApiIndex } from './openapi.js';
import {
  partialMetadataEventLine,
  partialMetadataForm,
  partialMetadataNotAcceptable,
  toPartialObjectMetadata,
  toPartialObjectMetadataList,
} from './output/partial-metadata.js';
import { type OptionsKind, writeOptions } from './request-options.js';
import { apiVersionOf, resourceKey } from './resource-types.js';
import { type ResourceRoute, route } from './router.js';
import { scaleOf, withScale } from './scale.js';
import { jsonOf, servedAs } from './serialize.js';
import type { ApiState } from './state.js';
import { serveReview, serveSubresource } from './subresources/routes.js';
import { toTable, wantsTable } from './table.js';
import { warningHeader } from './warnings.js';
import { serveWatch } from './watch.js';
import {
  commitUpdate,
  createObject,
  getStored,
  isApplyPatch,
  parseBody,
  patchObject,
  type Scope,
  updateObject,
  type WriteParams,
} from './writes.js';

function send(
  res: ServerResponse,
  code: number,
  body: string,
  headers: Record<string, string | string[]> = {},
): void {
  res.writeHead(code, {
    'Content-Type': 'application/json',
    'Content-Length': Buffer.byteLength(body),
    ...headers,
  });
  res.end(body);
}

/** Sends an error as a Status body (after the headers of a watch: as an ERROR event). */
export function sendError(res: ServerResponse, err: unknown): void {
  if (err instanceof PlainNotFound && !res.headersSent) {
    res.writeHead(404, {
      'Content-Type': 'text/plain; charset=utf-8',
      'X-Content-Type-Options': 'nosniff',
    });
    res.end('404 page not found\n');
    return;
  }
  const e =
    err instanceof HttpStatusError
      ? err
      : new HttpStatusError(
          500,
          'InternalError',
          `Internal error occurred: ${(err as Error)?.message ?? String(err)}`,
        );
  const status = e.toStatus();
  const listMeta = (e as HttpStatusError & { listMeta?: JsonObject }).listMeta;
  if (listMeta) status.metadata = listMeta;
  if (res.headersSent) {
    res.end(`{"type":"ERROR","object":${JSON.stringify(status)}}\n`);
    return;
  }
  const headers: Record<string, string> = {};
  if (e.details?.retryAfterSeconds !== undefined)
    headers['Retry-After'] = String(e.details.retryAfterSeconds);
  send(res, e.code, JSON.stringify(status), headers);
}

/** The failure a {@link Faults} rule injects, as an error. */
export function injected(f: {
  status: number;
  message: string;
  retryAfterSeconds?: number;
}): HttpStatusError {
  const details =
    f.retryAfterSeconds !== undefined ? { retryAfterSeconds: f.retryAfterSeconds } : {};
  return new HttpStatusError(f.status, statusReasonFor(f.status), f.message, details);
}

function writeParams(
  q: URLSearchParams,
  req: IncomingMessage,
  kind: OptionsKind,
  apply = false,
): WriteParams {
  const ua = req.headers['user-agent'] ?? '';
  const o = writeOptions(q, kind, apply);
  const p: WriteParams = {
    defaultManager: ua.split('/')[0] || 'unknown',
    fieldValidation: o.fieldValidation,
    warnings: [],
  };
  if (o.fieldManager) p.fieldManager = o.fieldManager;
  if (o.dryRun) p.dryRun = true;
  if (o.force) p.force = true;
  return p;
}

/** The `Warning` headers of a response (one per warning, as kube-apiserver sends them). */
function warningHeaders(p: WriteParams): Record<string, string[]> {
  return p.warnings?.length ? { Warning: p.warnings.map(warningHeader) } : {};
}

function served(sc: Scope, obj: JsonObject): string {
  return jsonOf(servedAs(sc.t, apiVersionOf(sc.t.group, sc.version), obj));
}

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
  if (!r) {
    const doc = openApi(s, url.pathname);
    if (!doc || method !== 'GET') {
      if (servesGroupVersionOf(s, url.pathname)) throw pathNotFound();
      throw new PlainNotFound();
    }
    send(res, 200, JSON.stringify(doc));
    return;
  }
  if (r.type === 'discovery') {
    if (method !== 'GET') throw methodNotAllowed();
    let body: JsonObject | undefined;
    switch (r.what) {
      case 'health':
        res.writeHead(200, { 'Content-Type': 'text/plain; charset=utf-8' });
        res.end('ok');
        return;
      case 'version':
        body = versionInfo();
        break;
      case 'api':
        body = coreVersions(ctx.host);
        break;
      case 'apis':
        body = groupList(s.registry);
        break;
      case 'group':
        body = group(s.registry, r.group!);
        break;
      case 'groupVersion':
        body = resourceList(s.registry, r.group!, r.version!);
        break;
    }
    if (!body) {
      if (r.what === 'groupVersion' && r.group === '') throw pathNotFound();
      throw new PlainNotFound();
    }
    send(res, 200, JSON.stringify(body));
    return;
  }
  handleResource(ctx, r, method, url.searchParams, req, res, rawBody);
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

function openApi(s: ApiState, path: string): JsonObject | undefined {
  if (path === '/openapi/v3' || path === '/openapi/v3/') return openApiIndex(s.registry);
  if (path.startsWith('/openapi/v3/'))
    return openApiDocument(s.registry, path.slice('/openapi/v3/'.length));
  return undefined;
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
  if (r.t.createOnly) {
    if (named) throw methodNotAllowed();
    const review = serveReview(s, sc, method, rawBody, contentType);
    send(res, review.code, review.body, { 'Content-Type': review.contentType });
    return;
  }
  const extra =
    sub !== undefined && named
      ? serveSubresource(s, sc, r.name!, sub, method, q, rawBody, contentType)
      : undefined;
  if (extra) {
    send(res, extra.code, extra.body, { 'Content-Type': extra.contentType });
    return;
  }
  if (sub !== undefined && !((sub === 'status' && r.t.status) || (sub === 'scale' && r.t.scale))) {
    // kube-apiserver's CRD handler answers as if the object were missing; built-ins have no route.
    if (!r.t.builtin && r.name !== undefined) {
      throw notFound({ group: r.t.group, plural: r.t.plural, name: r.name });
    }
    throw pathNotFound();
  }
  if (r.watchPath && (named || method !== 'GET')) throw methodNotAllowed();
  const partial = method === 'GET' ? partialMetadataForm(req.headers.accept) : undefined;
  if (!named) {
    if (method === 'GET') {
      const o = parseListOptions(q, resourceKey(r.t), r.watchPath);
      if (partial === (o.watch ? 'PartialObjectMetadataList' : 'PartialObjectMetadata')) {
        throw partialMetadataNotAcceptable(partial, !o.watch);
      }
      if (o.watch) {
        const table = wantsTable(req.headers.accept);
        const render = partial
          ? partialMetadataEventLine
          : table
            ? (type: string, obj: JsonObject) => {
                const body =
                  type === 'BOOKMARK'
                    ? obj
                    : toTable(r.t, [obj], { resourceVersion: metaOf(obj).resourceVersion ?? '' });
                return Buffer.from(`{"type":"${type}","object":${JSON.stringify(body)}}\n`);
              }
            : undefined;
        serveWatch(s, sc, o, res, render);
        return;
      }
      const result = listObjects(s, sc, o);
      if (partial) {
        send(res, 200, JSON.stringify(toPartialObjectMetadataList(result.items, result.metadata)));
        return;
      }
      if (wantsTable(req.headers.accept)) {
        send(res, 200, JSON.stringify(toTable(r.t, result.items, result.metadata)));
        return;
      }
      send(res, 200, listJson(sc, result));
      return;
    }
    if (method === 'POST') {
      const p = { ...writeParams(q, req, 'CreateOptions'), rawBody };
      const obj = createObject(s, sc, parseBody(rawBody, contentType), p);
      send(res, 201, served(sc, obj), warningHeaders(p));
      return;
    }
    if (method === 'DELETE') {
      const body = rawBody ? parseBody(rawBody, contentType) : undefined;
      const opts = deleteOptionsFrom(body, q);
      const o = parseListOptions(q, resourceKey(r.t), false);
      const { items } = listObjects(s, sc, {
        ...o,
        limit: undefined,
        continueToken: undefined,
      } as typeof o);
      const deleted: JsonObject[] = [];
      for (const item of items) {
        try {
          const out = deleteObject(
            s,
            { ...sc, namespace: String(metaOf(item).namespace ?? '') },
            String(metaOf(item).name),
            opts,
          );
          deleted.push(out.object);
        } catch {
          // Deleted concurrently: nothing to report.
        }
      }
      send(
        res,
        200,
        listJson(sc, { items: deleted, metadata: { resourceVersion: String(s.storage.rv) } }),
      );
      return;
    }
    throw methodNotAllowed();
  }
  const name = r.name!;
  if (sub === 'scale') {
    handleScale(s, sc, name, method, contentType, rawBody, q, req, res);
    return;
  }
  const status = sub === 'status' ? ('status' as const) : undefined;
  switch (method) {
    case 'GET': {
      const obj = getStored(s, sc, name);
      if (partial === 'PartialObjectMetadataList')
        throw partialMetadataNotAcceptable(partial, false);
      if (partial) {
        send(res, 200, JSON.stringify(toPartialObjectMetadata(obj)));
        return;
      }
      if (wantsTable(req.headers.accept)) {
        send(
          res,
          200,
          JSON.stringify(
            toTable(r.t, [obj], { resourceVersion: String(metaOf(obj).resourceVersion) }),
          ),
        );
        return;
      }
      send(res, 200, served(sc, obj));
      return;
    }
    case 'PUT': {
      const p = { ...writeParams(q, req, 'UpdateOptions'), rawBody };
      const obj = updateObject(s, sc, name, parseBody(rawBody, contentType), p, status);
      send(res, 200, served(sc, obj), warningHeaders(p));
      return;
    }
    case 'PATCH': {
      const p = writeParams(q, req, 'PatchOptions', isApplyPatch(contentType));
      const out = patchObject(s, sc, name, contentType, rawBody, p, status);
      send(res, out.created ? 201 : 200, served(sc, out.object), warningHeaders(p));
      return;
    }
    case 'DELETE': {
      if (status) throw methodNotAllowed();
      const body = rawBody ? parseBody(rawBody, contentType) : undefined;
      const out = deleteObject(s, sc, name, deleteOptionsFrom(body, q));
      // Pods answer with the pod even once it is gone (their storage returns the deleted object).
      if (out.kind === 'deleted' && !returnsDeletedObject(sc)) {
        send(res, 200, JSON.stringify(deletedStatus(sc, out.object)));
        return;
      }
      send(res, 200, served(sc, out.object));
      return;
    }
    default:
      throw methodNotAllowed();
  }
}

function returnsDeletedObject(sc: Scope): boolean {
  return sc.t.builtin && sc.t.group === '' && sc.t.plural === 'pods';
}

function handleScale(
  s: ApiState,
  sc: Scope,
  name: string,
  method: string,
  contentType: string,
  rawBody: string,
  q: URLSearchParams,
  req: IncomingMessage,
  res: ServerResponse,
): void {
  const spec = sc.t.scale!;
  const obj = getStored(s, sc, name);
  if (method === 'GET') {
    send(res, 200, JSON.stringify(scaleOf(obj, spec, sc.t.builtin)));
    return;
  }
  let scale: Json;
  let p: WriteParams;
  if (method === 'PUT') {
    p = writeParams(q, req, 'UpdateOptions');
    scale = parseBody(rawBody, contentType);
  } else if (method === 'PATCH') {
    p = writeParams(q, req, 'PatchOptions', isApplyPatch(contentType));
    const ct = contentType.split(';')[0]!.trim();
    const current = scaleOf(obj, spec, sc.t.builtin);
    const patch = parseBody(rawBody, 'application/json');
    scale =
      ct === 'application/json-patch+json' ? jsonPatch(current, patch) : mergePatch(current, patch);
  } else throw methodNotAllowed();
  const next = withScale(obj, spec, scale);
  const wantRv = metaOf(next).resourceVersion;
  if (wantRv !== metaOf(obj).resourceVersion) {
    throw conflict({ group: sc.t.group, plural: sc.t.plural, name }, STALE_MESSAGE);
  }
  if (!isObject(scale)) throw badRequest('Scale must be an object');
  const updated = commitUpdate(s, sc, obj, next, p);
  send(res, 200, JSON.stringify(scaleOf(updated, spec, sc.t.builtin)));
}
