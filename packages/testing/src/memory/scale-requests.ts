import { badRequest, conflict, methodNotAllowed, STALE_MESSAGE } from './errors.js';
import { isObject, type Json } from './json.js';
import { jsonPatch } from './json-patch.js';
import { mergePatch } from './merge-patch.js';
import { metaOf } from './object-meta.js';
import { isApplyPatch } from './patch-object.js';
import { parseBody } from './request-body.js';
import { type ResourceRequest, writeParams } from './resource-request.js';
import { send } from './respond.js';
import { scaleOf, withScale } from './scale.js';
import { commitUpdate } from './update-object.js';
import { getStored, type WriteParams } from './write-scope.js';

/** Serves the scale subresource: GET, PUT or PATCH (JSON or merge patch) of a Scale. */
export function serveScale(rr: ResourceRequest, name: string): void {
  const { s, sc, method, contentType, rawBody, res } = rr;
  const spec = sc.t.scale!;
  const obj = getStored(s, sc, name);
  if (method === 'GET') {
    send(res, 200, JSON.stringify(scaleOf(obj, spec, sc.t.builtin)));
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
