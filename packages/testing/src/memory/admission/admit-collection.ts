import type { IncomingMessage } from 'node:http';
import { userOf } from '../auth/authenticate.js';
import { admittedDeleteOptions, type DeleteOptions } from '../deletion.js';
import { handle, type RequestContext } from '../http-handler.js';
import { isObject, type JsonObject } from '../json.js';
import { sendError } from '../respond.js';
import type { ResourceRoute } from '../router.js';
import { admitRequest, rewritten } from './admit-write.js';
import { convertObjects } from './conversion.js';
import type { AdmissionAttributes } from './matching.js';
import { Recorder } from './recorder.js';

function uidOf(obj: JsonObject): unknown {
  return isObject(obj.metadata) ? obj.metadata.uid : undefined;
}

/**
 * A deletecollection through the admission webhooks, as kube-apiserver's registry does it
 * with its default single delete-collection worker: the matching items, in key order,
 * are each admitted as a DELETE (the object as `oldObject`, the request's namespace, an
 * empty name: the attributes are the collection request's) and deleted; the first denial
 * or failed call ends the request with its error, leaving that item and the ones after it.
 */
export async function admitDeleteCollection(
  ctx: RequestContext,
  r: ResourceRoute,
  req: IncomingMessage,
  body: string,
  opts: DeleteOptions,
): Promise<{ rec: Recorder; warnings: string[] }> {
  const listed = new Recorder();
  handle(ctx, rewritten(req, { method: 'GET', accept: 'application/json' }), listed.response, '');
  if (listed.code !== 200) return { rec: listed, warnings: [] };
  const list = JSON.parse(listed.body) as JsonObject;
  const stored = Array.isArray(list.items) ? list.items.filter(isObject) : [];
  // Admitted at the request's version (converted from the storage version).
  const items = await convertObjects(ctx.state, r.t, stored, r.version);
  const admitted = new Set<unknown>();
  const warnings: string[] = [];
  let failure: unknown;
  for (const item of items) {
    const attrs: AdmissionAttributes = {
      operation: 'DELETE',
      t: r.t,
      version: r.version,
      namespace: r.namespace,
      name: '',
      subresource: '',
      object: undefined,
      oldObject: item,
      dryRun: opts.dryRun === true,
      options: admittedDeleteOptions(r, item, opts),
      user: userOf(req),
    };
    try {
      warnings.push(...(await admitRequest(ctx.state, attrs)).warnings);
      admitted.add(uidOf(item));
    } catch (err) {
      warnings.push(...((err as { warnings?: string[] }).warnings ?? []));
      failure = err;
      break;
    }
  }
  const rec = new Recorder();
  ctx.state.admittedDeletes = (obj) => admitted.has(uidOf(obj));
  try {
    handle(ctx, req, rec.response, body);
  } catch (err) {
    sendError(rec.response, err);
  } finally {
    ctx.state.admittedDeletes = undefined;
  }
  if (failure === undefined) return { rec, warnings };
  const denied = new Recorder();
  sendError(denied.response, failure);
  return { rec: denied, warnings };
}
