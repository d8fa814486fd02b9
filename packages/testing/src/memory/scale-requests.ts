import { badRequest, conflict, methodNotAllowed, STALE_MESSAGE } from './errors.js';
import { isObject, type Json, type JsonObject } from './json.js';
import { jsonPatch } from './json-patch.js';
import { serverSideApply } from './managed-fields.js';
import { mergePatch } from './merge-patch.js';
import { metaOf } from './object-meta.js';
import { isApplyPatch } from './patch-object.js';
import { parseApplyBody, parseBody } from './request-body.js';
import { type ResourceRequest, writeParams } from './resource-request.js';
import { apiVersionOf } from './resource-types.js';
import { send } from './respond.js';
import { scaleOf, setReplicas, withScale } from './scale.js';
import { commitUpdate } from './update-object.js';
import { getStored, ownership, type WriteParams } from './write-scope.js';

/**
 * A server-side apply of a Scale, as kube-apiserver's scale handler makes it: an apply of
 * the replicas to the workload whose entries own them (seen as `autoscaling/v1`, so a
 * conflict names its manager `using autoscaling/v1`), recorded as an `Apply` entry with
 * `subresource: scale`; a forced apply takes the replicas from their other managers.
 */
function applyScale(rr: ResourceRequest, obj: JsonObject, name: string): JsonObject {
  const { s, sc, rawBody } = rr;
  const spec = sc.t.scale!;
  const p = writeParams(rr, 'PatchOptions', true);
  const applied = parseApplyBody(rawBody);
  if (!isObject(applied)) throw badRequest('invalid object type: /, Kind=');
  const body: JsonObject = {
    apiVersion: apiVersionOf(sc.t.group, sc.version),
    kind: sc.t.kind,
    metadata: { name },
  };
  if (isObject(applied.spec) && applied.spec.replicas !== undefined)
    setReplicas(body, spec, applied.spec.replicas);
  const ctx = { ...ownership(s, sc, p, 'scale'), conflictApiVersion: 'autoscaling/v1' };
  const { object, managedFields } = serverSideApply(obj, body, ctx, p.force === true);
  const scale = scaleOf(object, spec, sc.t.builtin);
  return commitUpdate(s, sc, obj, object, p, { subresource: 'scale', scale, managedFields });
}

/** Serves the scale subresource: GET, PUT or PATCH (JSON or merge patch, or apply) of a Scale. */
export function serveScale(rr: ResourceRequest, name: string): void {
  const { s, sc, method, contentType, rawBody, res } = rr;
  const spec = sc.t.scale!;
  const obj = getStored(s, sc, name);
  if (method === 'GET') {
    send(res, 200, JSON.stringify(scaleOf(obj, spec, sc.t.builtin)));
    return;
  }
  if (method === 'PATCH' && isApplyPatch(contentType)) {
    const updated = applyScale(rr, obj, name);
    send(res, 200, JSON.stringify(scaleOf(updated, spec, sc.t.builtin)));
    return;
  }
  let scale: Json;
  let p: WriteParams;
  if (method === 'PUT') {
    p = writeParams(rr, 'UpdateOptions');
    scale = parseBody(rawBody, contentType);
  } else if (method === 'PATCH') {
    p = writeParams(rr, 'PatchOptions', isApplyPatch(contentType));
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
  const updated = commitUpdate(s, sc, obj, next, p, { subresource: 'scale', scale });
  send(res, 200, JSON.stringify(scaleOf(updated, spec, sc.t.builtin)));
}
