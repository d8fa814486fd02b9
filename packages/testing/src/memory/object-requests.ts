import { deletedStatus, deleteObject, deleteOptionsFrom } from './deletion.js';
import { methodNotAllowed } from './errors.js';
import { metaOf } from './object-meta.js';
import {
  partialMetadataNotAcceptable,
  toPartialObjectMetadata,
} from './output/partial-metadata.js';
import { isApplyPatch, patchObject } from './patch-object.js';
import { parseBody } from './request-body.js';
import { type ResourceRequest, warningHeaders, writeParams } from './resource-request.js';
import { send, served } from './respond.js';
import { serveScale } from './scale-requests.js';
import { toTable, wantsTable } from './table.js';
import { updateObject } from './update-object.js';
import { getStored, type Scope } from './write-scope.js';

/** Serves a request on one named object (or its status or scale subresource). */
export function serveObject(rr: ResourceRequest): void {
  const { s, sc, r, method, q, req, res, rawBody, contentType, partial } = rr;
  const sub = r.subresource;
  const name = r.name!;
  if (sub === 'scale') {
    serveScale(rr, name);
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
