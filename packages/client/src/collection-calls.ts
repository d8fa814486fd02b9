/**
 * The requests of `Api` that are more than one line, and its scope check: a list page (decoded on demand, for
 * the lookahead of `listPages`), a watch, a create (whose path may come from the object)
 * and a delete (whose answer is a {@link DeleteResult}).
 */
import type {
  ApiResource,
  DeleteParams,
  KubeObject,
  ListParams,
  ObjectList,
  PostParams,
  Status,
  WatchParams,
} from '@kube-ts/core';
import type { RequestOptions } from './client-options.js';
import { type DeleteResult, deleteOptions, deleteResultOf } from './delete-options.js';
import { type RawPage, withItems } from './list-pages.js';
import { listQuery, postQuery, watchQuery } from './query.js';
import { control } from './request-options.js';
import type { ResourceCalls } from './resource-calls.js';
import { resourcePath } from './resource-path.js';
import { WatchBatches } from './watch-stream.js';

/**
 * The namespace of a new `Api` handle of scope `scope` (`Api.namespaced` / `Api.cluster`);
 * throws a TypeError naming the right constructor when the resource's scope differs.
 */
export function checkScope(
  resource: ApiResource,
  scope: 'namespaced' | 'cluster',
  namespace: string | undefined,
): string | undefined {
  if (scope === 'namespaced' && !resource.namespaced) {
    throw new TypeError(`${resource.kind} is cluster-scoped; use Api.cluster(client, resource)`);
  }
  if (scope === 'namespaced' && !namespace) {
    throw new TypeError('Api.namespaced needs a namespace; use Api.all for all namespaces');
  }
  if (scope === 'cluster' && resource.namespaced) {
    throw new TypeError(
      `${resource.kind} is namespaced; use Api.namespaced(client, resource, ns) or Api.all(client, resource)`,
    );
  }
  return namespace;
}

/** The request of one list page (the metadata List form for a metadata-only handle). */
export function listRequest<K extends KubeObject>(
  calls: ResourceCalls<K>,
  params: ListParams | undefined,
): RequestOptions {
  const accept = calls.accept(true);
  return {
    method: 'GET',
    path: calls.collection(),
    query: listQuery(params),
    ...control(params),
    ...(accept ? { accept } : {}),
  };
}

/** One list page, undecoded, with how to decode it (`Api.listPages`' lookahead). */
export function listPage<K extends KubeObject>(
  calls: ResourceCalls<K>,
  params: ListParams,
): Promise<RawPage<K>> {
  return calls.run(async () => {
    const request = listRequest(calls, params);
    const { status, body } = await calls.client.requestRaw(request);
    return {
      body,
      decode: () => withItems(calls.client.parseJson<ObjectList<K>>(body, status, request)),
    };
  });
}

/** `Api.create`'s request; the namespace comes from the object on an all-namespaces handle. */
export function createRequest<K extends KubeObject>(
  calls: ResourceCalls<K>,
  obj: K,
  params: PostParams | undefined,
): RequestOptions {
  const { resource, namespace } = calls;
  if (typeof obj !== 'object' || obj === null) {
    throw new TypeError(`${resource.kind}: create needs an object, got ${typeof obj}`);
  }
  let path = calls.collection();
  if (resource.namespaced && !namespace) {
    const ns = obj.metadata?.namespace;
    if (!ns) {
      throw new TypeError(
        `${resource.kind}: this Api spans all namespaces; set metadata.namespace or use Api.namespaced`,
      );
    }
    path = resourcePath(resource, ns);
  }
  return { method: 'POST', path, query: postQuery(params), body: obj, ...control(params) };
}

/** `Api.deleteCollection`'s request: every object that matches `params` in the handle's scope. */
export function deleteCollectionRequest<K extends KubeObject>(
  calls: ResourceCalls<K>,
  params: ListParams & DeleteParams,
): RequestOptions {
  return {
    method: 'DELETE',
    path: calls.collection(),
    query: listQuery(params),
    body: deleteOptions(params),
    ...control(params),
  };
}

/** `Api.delete`: deletes the object `name` and says whether it is gone or still deleting. */
export function deleteObject<K extends KubeObject>(
  calls: ResourceCalls<K>,
  name: string,
  params: DeleteParams | undefined,
): Promise<DeleteResult<K>> {
  return calls.run(async () => {
    const accept = calls.accept(false);
    const { status, body } = await calls.client.requestWithStatus<K | Status>({
      method: 'DELETE',
      path: calls.item(name),
      body: deleteOptions(params),
      ...control(params),
      ...(accept ? { accept } : {}),
    });
    return deleteResultOf(status, body, name, calls.resource);
  });
}

/** `Api.watchBatches`: the watch request, opened on the first `next()`. */
export function watchBatches<K extends KubeObject>(
  calls: ResourceCalls<K>,
  params: WatchParams,
): WatchBatches<K> {
  const path = calls.collection();
  const query = watchQuery(params);
  const accept = calls.accept(false);
  return new WatchBatches<K>(
    () =>
      calls.run(() =>
        calls.client.requestStream({
          method: 'GET',
          path,
          query,
          ...control(params),
          ...(accept ? { accept } : {}),
        }),
      ),
    calls.client.url(path, query).toString(),
    params.signal,
  );
}
