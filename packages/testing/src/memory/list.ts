import { decodeContinue, encodeContinue } from './continue-token.js';
import { expired, HttpStatusError } from './errors.js';
import { goJson } from './go-json.js';
import { sortedKeys } from './go-print.js';
import type { JsonObject } from './json.js';
import { type ListOptions, parseRv } from './list-options.js';
import { metaOf } from './object-meta.js';
import { apiVersionOf, resourceKey, viewAt } from './resource-types.js';
import { matchFields, matchLabels } from './selectors.js';
import { atVersion, itemJsonOf, jsonOf } from './serialize.js';
import type { ApiState } from './state.js';
import type { Scope } from './write-scope.js';

const CONTINUE_EXPIRED =
  'The provided continue parameter is too old to display a consistent list result. You can start a new list without the continue parameter, or use the continue token in this response to retrieve the remainder of the results. Continuing with the provided token results in an inconsistent list - objects that were created, modified, or deleted between the time the first chunk was returned and now may show up in the list.';

/** A list read: the items and the list metadata. */
export interface ListResult {
  items: JsonObject[];
  metadata: JsonObject;
}

/** kube-apiserver's 504 for a read from a resourceVersion its cache has not reached in time. */
export function tooLargeResourceVersion(rv: number, current: number): HttpStatusError {
  return new HttpStatusError(
    504,
    'Timeout',
    `Timeout: Too large resource version: ${rv}, current: ${current}`,
    {
      causes: [{ reason: 'ResourceVersionTooLarge', message: 'Too large resource version' }],
      retryAfterSeconds: 1,
    },
  );
}

/**
 * Reads a list like kube-apiserver: consistent pages at one resourceVersion (carried by
 * the continue token), `resourceVersionMatch=Exact` reads from history (410 when
 * compacted), `NotOlderThan`/unset read the latest state; selectors filter.
 */
export function listObjects(s: ApiState, sc: Scope, o: ListOptions): ListResult {
  const resKey = resourceKey(sc.t);
  const current = s.storage.rv;
  let atRv = current;
  let afterKey: string | undefined;
  if (o.continueToken) {
    const c = decodeContinue(o.continueToken);
    if (c.rv < s.storage.history.compactedRv) {
      const err = expired(CONTINUE_EXPIRED);
      (err as HttpStatusError & { listMeta?: JsonObject }).listMeta = {
        continue: encodeContinue({ rv: current, start: c.start }),
      };
      throw err;
    }
    atRv = c.rv;
    afterKey = c.start;
  } else if (o.resourceVersion !== undefined && o.resourceVersion !== '0') {
    const want = parseRv(o.resourceVersion);
    if (want > current) throw tooLargeResourceVersion(want, current);
    if (o.resourceVersionMatch === 'Exact') {
      s.storage.checkNotCompacted(want);
      atRv = want;
    }
  }
  const labels = o.labels;
  const fields = o.fields;
  const selectorless = labels.length === 0 && fields.length === 0;
  const accept = selectorless
    ? () => true
    : (obj: JsonObject) =>
        matchLabels(labels, metaOf(obj).labels as Record<string, string> | undefined) &&
        matchFields(fields, obj);
  const pageOpts: Parameters<typeof s.storage.page>[2] = {
    accept,
    countRemaining: selectorless ? 'fast' : false,
  };
  if (sc.t.namespaced && sc.namespace) pageOpts.namespace = sc.namespace;
  if (afterKey !== undefined) pageOpts.afterKey = afterKey;
  if (o.limit !== undefined) pageOpts.limit = o.limit;
  const page = s.storage.page(resKey, atRv, pageOpts);
  const metadata: JsonObject = { resourceVersion: String(atRv) };
  if (page.lastKey !== undefined) {
    metadata.continue = encodeContinue({ rv: atRv, start: page.lastKey });
    if (selectorless && page.remaining !== undefined) metadata.remainingItemCount = page.remaining;
  }
  return { items: page.items, metadata };
}

/** The JSON text of a list response, reusing each item's cached serialization. */
export function listJson(sc: Scope, r: ListResult): string {
  const av = apiVersionOf(sc.t.group, sc.version);
  const view = viewAt(sc.t, sc.version);
  const parts = view
    ? r.items.map((i) => itemJsonOf(view.fromStored(i)))
    : sc.t.builtin
      ? r.items.map(itemJsonOf)
      : r.items.map((i) => jsonOf(atVersion(i, av)));
  if (!sc.t.builtin) {
    // An unstructured list: a Go map, its keys sorted, `continue` set even when empty.
    const meta = goJson(sortedKeys({ continue: '', ...r.metadata }));
    return `{"apiVersion":"${av}","items":[${parts.join(',')}],"kind":"${sc.t.listKind}","metadata":${meta}}`;
  }
  return `{"kind":"${sc.t.listKind}","apiVersion":"${av}","metadata":${JSON.stringify(r.metadata)},"items":[${parts.join(',')}]}`;
}
