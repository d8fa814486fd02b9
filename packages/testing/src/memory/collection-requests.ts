import { userOf } from './auth/authenticate.js';
import { createObject } from './create-object.js';
import { type DeleteRequest, deleteObject, requestDeleteOptions } from './deletion.js';
import { HttpStatusError, methodNotAllowed } from './errors.js';
import { pendingRv, waitForRv } from './fresh-wait.js';
import { goEncoded, goJson } from './go-json.js';
import type { JsonObject } from './json.js';
import { type ListResult, listJson, listObjects } from './list.js';
import { type ListOptions, parseListOptions } from './list-options.js';
import { metaOf } from './object-meta.js';
import { answerObject } from './object-requests.js';
import {
  partialMetadataEventLine,
  partialMetadataNotAcceptable,
  toPartialObjectMetadataList,
} from './output/partial-metadata.js';
import { parseObjectBody } from './request-body.js';
import { type ResourceRequest, writeParams } from './resource-request.js';
import { resourceKey } from './resource-types.js';
import { sendAs, sendError } from './respond.js';
import { toTable } from './table.js';
import { givenWarnings } from './warnings.js';
import { serveWatch } from './watch.js';

/** Serves a request on a collection: list, watch, create (POST) or delete collection. */
export function serveCollection(rr: ResourceRequest): void {
  const { s, sc, r, method, q, req, res, rawBody, contentType, rep } = rr;
  if (method === 'GET') {
    const o = parseListOptions(
      q,
      resourceKey(r.t),
      r.watchPath,
      r.t.selectableFields?.[r.version],
      r.t.view?.fieldLabels,
    );
    if (rep.as === (o.watch ? 'PartialObjectMetadataList' : 'PartialObjectMetadata')) {
      throw partialMetadataNotAcceptable(rep.as, !o.watch, r.t);
    }
    // A version the store has not reached yet is waited for, as kube-apiserver's watch
    // cache waits, then served (or refused with its 504).
    const pending = pendingRv(s, o);
    if (pending === undefined) serveRead(rr, o);
    else {
      void waitForRv(s, pending).then(() => {
        try {
          serveRead(rr, o);
        } catch (err) {
          sendError(res, err);
        }
      });
    }
    return;
  }
  if (method === 'POST') {
    const p = { ...writeParams(rr, 'CreateOptions'), rawBody };
    const obj = createObject(s, sc, parseObjectBody(rawBody, contentType, r.t.kind), p);
    answerObject(rr, 201, obj);
    return;
  }
  if (method === 'DELETE') {
    const opts = requestDeleteOptions(rawBody, contentType, q);
    const o = parseListOptions(
      q,
      resourceKey(r.t),
      false,
      r.t.selectableFields?.[r.version],
      r.t.view?.fieldLabels,
    );
    const { items } = listObjects(s, sc, {
      ...o,
      limit: undefined,
      continueToken: undefined,
    } as typeof o);
    const deleted: JsonObject[] = [];
    // Each item is admitted as a DELETE of the collection request (no name); the first
    // refusal ends the request, as with kube-apiserver's single delete-collection worker.
    const by: DeleteRequest = { user: userOf(req), name: '', warnings: givenWarnings(res) };
    for (const item of items) {
      if (s.admittedDeletes && !s.admittedDeletes(item)) continue;
      try {
        const out = deleteObject(
          s,
          { ...sc, namespace: String(metaOf(item).namespace ?? '') },
          String(metaOf(item).name),
          opts,
          by,
        );
        deleted.push(out.object);
      } catch (err) {
        // Deleted concurrently: nothing to report.
        if (!(err instanceof HttpStatusError) || err.code !== 404) throw err;
      }
    }
    // Asked for as one object, a 406 once the items are deleted (as kube-apiserver does).
    if (rep.as === 'PartialObjectMetadata') throw partialMetadataNotAcceptable(rep.as, true, r.t);
    answerList(rr, { items: deleted, metadata: { resourceVersion: String(s.storage.rv) } });
    return;
  }
  throw methodNotAllowed();
}

/** Sends a list in the negotiated form: as is, as PartialObjectMetadataList, or as a Table. */
function answerList({ sc, r, q, res, rep }: ResourceRequest, result: ListResult): void {
  if (rep.as === 'PartialObjectMetadataList') {
    const list = toPartialObjectMetadataList(result.items, result.metadata);
    sendAs(res, 200, rep, goJson(list));
    return;
  }
  if (rep.as === 'Table') {
    sendAs(res, 200, rep, goJson(toTable(r.t, sc.version, result.items, result.metadata, q)));
    return;
  }
  sendAs(res, 200, rep, listJson(sc, result));
}

/** Answers a list or a watch. */
function serveRead(rr: ResourceRequest, o: ListOptions): void {
  const { s, sc, r, q, res, rep } = rr;
  if (o.watch) {
    const protobuf = rep.format === 'protobuf';
    const render =
      rep.as === 'PartialObjectMetadata'
        ? (type: string, obj: JsonObject) => partialMetadataEventLine(type, obj, protobuf)
        : rep.as === 'Table'
          ? (type: string, obj: JsonObject) => {
              const rv = { resourceVersion: metaOf(obj).resourceVersion ?? '' };
              const body = type === 'BOOKMARK' ? obj : toTable(r.t, sc.version, [obj], rv, q);
              return Buffer.from(goEncoded(`{"type":"${type}","object":${goJson(body)}}`));
            }
          : undefined;
    serveWatch(s, sc, o, res, render, protobuf);
    return;
  }
  answerList(rr, listObjects(s, sc, o));
}
