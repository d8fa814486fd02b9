/**
 * Paginated LIST with one page of lookahead: while the caller handles page k, page k+1 is
 * already being prepared by the server and transferred. The `continue` token of page k is
 * read from the head of its response body — Kubernetes writes the list's `metadata`
 * (resourceVersion, continue, remainingItemCount) before `items` — so the next request is
 * sent before page k is decoded. When the head cannot be read that way (another field
 * order, a proxy), pages are simply fetched one after the other; and a token peeked from
 * the head is checked against the decoded page, so the lookahead can never change what is
 * returned, only when it is requested.
 */
import type { KubeObject, ListParams, ObjectList } from '@kube-ts/core';

/** How far into a response body to look for the list metadata. */
const HEAD_BYTES = 4096;
const METADATA = Buffer.from('"metadata":');
const ITEMS = Buffer.from('"items"');

/**
 * The `continue` token written in the head of a list response body: a string, `''` when
 * the head says there is no next page, or `undefined` when the head could not be read
 * (the caller then waits for the decoded page).
 */
export function peekListContinue(body: Buffer): string | undefined {
  const head = body.subarray(0, HEAD_BYTES);
  const at = head.indexOf(METADATA);
  if (at === -1) return undefined;
  // `items` before the metadata would mean the first `"metadata":` is an item's.
  const items = head.indexOf(ITEMS);
  if (items !== -1 && items < at) return undefined;
  // ListMeta holds only strings and numbers, so it ends at its first `}`.
  const start = at + METADATA.length;
  const end = head.indexOf(0x7d /* } */, start);
  if (end === -1) return undefined;
  let meta: unknown;
  try {
    meta = JSON.parse(head.toString('utf8', start, end + 1));
  } catch {
    return undefined;
  }
  if (typeof meta !== 'object' || meta === null) return undefined;
  const token = (meta as { continue?: unknown }).continue;
  if (token === undefined || token === '') return '';
  return typeof token === 'string' ? token : undefined;
}

/** One page as it arrived: its undecoded body, and how to decode it. */
export interface RawPage<K extends KubeObject> {
  readonly body: Buffer;
  decode(): ObjectList<K>;
}

function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/** A page request in flight, abortable on its own. */
interface InFlight<K extends KubeObject> {
  readonly page: Promise<RawPage<K>>;
  abort(): void;
}

/**
 * Yields the pages of a list in order, requesting each next page as soon as the previous
 * one's token is known (see the module comment). Errors of a page are thrown when that
 * page is reached, never earlier. Stopping early (`break`, `return()`) aborts the request
 * in flight; so does `params.signal`.
 */
export async function* listPagesAhead<K extends KubeObject>(
  fetch: (params: ListParams) => Promise<RawPage<K>>,
  params: ListParams,
): AsyncGenerator<ObjectList<K>, void, undefined> {
  const outer = params.signal;
  const request = (token: string | undefined): InFlight<K> => {
    const own = new AbortController();
    const onAbort = () => own.abort(outer?.reason);
    if (outer?.aborted) own.abort(outer.reason);
    else outer?.addEventListener('abort', onAbort, { once: true });
    const page = fetch({ ...params, continue: token, signal: own.signal });
    const done = () => outer?.removeEventListener('abort', onAbort);
    // A failure is thrown when its page is reached, not as an unhandled rejection.
    page.then(done, done);
    return { page, abort: () => own.abort() };
  };
  let next: InFlight<K> | undefined = request(params.continue);
  try {
    while (next !== undefined) {
      const raw: RawPage<K> = await next.page;
      const peeked = peekListContinue(raw.body);
      if (peeked) {
        next = request(peeked);
        // Let the request reach the socket before decoding (which blocks this thread).
        await yieldToEventLoop();
      } else next = undefined;
      const page = raw.decode();
      const actual = page.metadata?.continue || undefined;
      if (actual !== (peeked || undefined)) {
        // The head was unreadable or misleading: follow the decoded page instead.
        next?.abort();
        next = actual === undefined ? undefined : request(actual);
      }
      yield page;
    }
  } finally {
    next?.abort();
  }
}

/** Every item of `pages`, with the first page's apiVersion, kind and resourceVersion. */
export async function allPages<K extends KubeObject>(
  pages: AsyncIterable<ObjectList<K>>,
): Promise<ObjectList<K>> {
  let first: ObjectList<K> | undefined;
  const items: K[] = [];
  for await (const page of pages) {
    first ??= page;
    for (const item of page.items) items.push(item);
  }
  return {
    apiVersion: first?.apiVersion,
    kind: first?.kind,
    metadata: { resourceVersion: first?.metadata?.resourceVersion },
    items,
  };
}

/**
 * The list with `items` always an array: kube-apiserver sends an empty
 * PartialObjectMetadataList with `"items": null` (a nil Go slice), full lists with `[]`.
 */
export function withItems<K extends KubeObject>(list: ObjectList<K>): ObjectList<K> {
  if (!Array.isArray(list.items)) list.items = [];
  return list;
}
