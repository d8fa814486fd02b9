import { userOf } from './auth/authenticate.js';
import { createObject } from './create-object.js';
import {
  type DeleteRequest,
  deletedStatus,
  deleteObject,
  requestDeleteOptions,
} from './deletion.js';
import { methodNotAllowed } from './errors.js';
import { goJson } from './go-json.js';
import type { JsonObject } from './json.js';
import { metaOf } from './object-meta.js';
import {
  partialMetadataNotAcceptable,
  toPartialObjectMetadata,
} from './output/partial-metadata.js';
import { isApplyPatch, patchObject } from './patch-object.js';
import { asObject, parseObjectBody } from './request-body.js';
import { type ResourceRequest, writeParams } from './resource-request.js';
import { resourceKey } from './resource-types.js';
import { sendAs, served } from './respond.js';
import { serveScale } from './scale-requests.js';
import { toTable } from './table.js';
import { createsOnUpdate, updateObject } from './update-object.js';
import { givenWarnings } from './warnings.js';
import { checkName } from './write-checks.js';
import { getStored, PATCH_SUBRESOURCES, type Scope, WRITE_SUBRESOURCES } from './write-scope.js';

/** Serves a request on one named object (or its status or scale subresource). */
export function serveObject(rr: ResourceRequest): void {
  const { s, sc, r, method, q, req, res, rawBody, contentType } = rr;
  const sub = r.subresource;
  const name = r.name!;
  if (sub === 'scale') {
    serveScale(rr, name);
    return;
  }
  // A Namespace's `finalize` takes a PUT of the Namespace and changes its spec only.
  if (sub === 'finalize' && method !== 'PUT') throw methodNotAllowed();
  const status = WRITE_SUBRESOURCES.find((w) => w === sub);
  switch (method) {
    case 'GET': {
      answerObject(rr, 200, getStored(s, sc, name));
      return;
    }
    case 'PUT': {
      const p = { ...writeParams(rr, 'UpdateOptions'), rawBody };
      const body = parseObjectBody(rawBody, contentType, r.t.kind);
      if (sub === undefined && createsOnUpdate(s, sc, name)) {
        checkName(asObject(body), name, true);
        answerObject(rr, 201, createObject(s, sc, body, p));
        return;
      }
      const obj = updateObject(s, sc, name, body, p, status);
      answerObject(rr, 200, obj);
      return;
    }
    case 'PATCH': {
      const p = writeParams(rr, 'PatchOptions', isApplyPatch(contentType));
      const out = patchObject(
        s,
        sc,
        name,
        contentType,
        rawBody,
        p,
        PATCH_SUBRESOURCES.find((w) => w === sub),
      );
      answerObject(rr, out.created ? 201 : 200, out.object);
      return;
    }
    case 'DELETE': {
      if (sub) throw methodNotAllowed();
      const opts = requestDeleteOptions(rawBody, contentType, q);
      const by: DeleteRequest = { user: userOf(req), name, warnings: givenWarnings(res) };
      const out = deleteObject(s, sc, name, opts, by);
      // Some storages answer with the object even once it is gone (see
      // RETURNS_DELETED_OBJECT), and every one with an object still held by finalizers.
      const answersObject = returnsDeletedObject(sc) || metaOf(out.object).deletionTimestamp;
      if (out.kind === 'deleted' && !answersObject) {
        sendAs(res, 200, rr.rep, JSON.stringify(deletedStatus(sc, out.object)));
        return;
      }
      answerObject(rr, 200, out.object);
      return;
    }
    default:
      throw methodNotAllowed();
  }
}

/**
 * Sends one object in the negotiated form: as is, as PartialObjectMetadata, or as a Table.
 * Asked for as a list, it is a 406 (after the write, as kube-apiserver transforms the answer
 * once the request is done).
 */
export function answerObject(
  { sc, r, q, res, rep }: ResourceRequest,
  code: number,
  obj: JsonObject,
): void {
  if (rep.as === 'PartialObjectMetadataList') {
    throw partialMetadataNotAcceptable(rep.as, false, r.t);
  }
  if (rep.as === 'PartialObjectMetadata') {
    sendAs(res, code, rep, goJson(toPartialObjectMetadata(obj)));
    return;
  }
  if (rep.as === 'Table') {
    const rv = { resourceVersion: String(metaOf(obj).resourceVersion) };
    sendAs(res, code, rep, goJson(toTable(r.t, sc.version, [obj], rv, q)));
    return;
  }
  sendAs(res, code, rep, served(sc, obj));
}

/**
 * The resources whose kube-apiserver storage answers a DELETE with the deleted object
 * (`ReturnDeletedObject`) instead of a Status.
 */
const RETURNS_DELETED_OBJECT = new Set([
  'namespaces',
  'persistentvolumeclaims',
  'persistentvolumes',
  'pods',
  'podtemplates',
  'resourcequotas',
  'serviceaccounts',
  'services',
  'csidrivers.storage.k8s.io',
  'csinodes.storage.k8s.io',
  'storageclasses.storage.k8s.io',
  'volumeattachments.storage.k8s.io',
  'volumeattributesclasses.storage.k8s.io',
  'deviceclasses.resource.k8s.io',
  'devicetaintrules.resource.k8s.io',
  'resourceclaims.resource.k8s.io',
  'resourceclaimtemplates.resource.k8s.io',
  'resourceslices.resource.k8s.io',
]);

function returnsDeletedObject(sc: Scope): boolean {
  return sc.t.builtin && RETURNS_DELETED_OBJECT.has(resourceKey(sc.t));
}
