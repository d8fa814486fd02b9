import {
  ApiError,
  type ApiResource,
  type DeleteParams,
  isStatus,
  type KubeObject,
  type ListParams,
  type ObjectList,
  type PatchParams,
  type PostParams,
  type Status,
  type WatchParams,
} from '@kube-ts/core';
import type { V1Scale } from '@kubernetes/client-node';
import type { Client, RequestOptions } from './client.js';
import { listPagesAhead } from './list-pages.js';
import { PATCH_CONTENT_TYPES, type Patch } from './patch.js';
import { listQuery, patchQuery, postQuery, watchQuery } from './query.js';
import { resourcePath } from './resource-path.js';
import type { WatchEvent } from './watch-event.js';
import { WatchBatches } from './watch-stream.js';

/**
 * The result of a delete: `deleting` when the object still exists (finalizers or graceful
 * deletion pending; `object` has `metadata.deletionTimestamp`), `deleted` when it is gone
 * (`status` is the server's Status, or one built from the returned object).
 */
export type DeleteResult<K extends KubeObject> =
  | { kind: 'deleting'; object: K }
  | { kind: 'deleted'; status: Status; object?: K };

/** The `scale` subresource (client-node's model type). */
export type Scale = V1Scale;

/**
 * A typed handle on one resource, in one namespace, across all namespaces, or cluster-wide.
 * All methods go through the {@link Client} and reject with `ApiError` / `TransportError`.
 */
export class Api<K extends KubeObject> {
  private constructor(
    /** The client requests go through. */
    readonly client: Client,
    /** The resource. */
    readonly resource: ApiResource<K>,
    /** The namespace, or `undefined` for cluster-scoped resources and `Api.all`. */
    readonly namespace: string | undefined,
  ) {}

  /** A handle on a namespaced resource in namespace `namespace`. */
  static namespaced<K extends KubeObject>(
    client: Client,
    resource: ApiResource<K>,
    namespace: string,
  ): Api<K> {
    if (!resource.namespaced) {
      throw new TypeError(`${resource.kind} is cluster-scoped; use Api.cluster(client, resource)`);
    }
    if (!namespace)
      throw new TypeError('Api.namespaced needs a namespace; use Api.all for all namespaces');
    return new Api(client, resource, namespace);
  }

  /** A handle on a cluster-scoped resource (e.g. Namespace, CustomResourceDefinition). */
  static cluster<K extends KubeObject>(client: Client, resource: ApiResource<K>): Api<K> {
    if (resource.namespaced) {
      throw new TypeError(
        `${resource.kind} is namespaced; use Api.namespaced(client, resource, ns) or Api.all(client, resource)`,
      );
    }
    return new Api(client, resource, undefined);
  }

  /**
   * A handle on a resource across all namespaces (for list, watch and deleteCollection);
   * for a cluster-scoped resource it is the same as {@link Api.cluster}. Methods that
   * address one object by name need a namespace and throw a `TypeError` here.
   */
  static all<K extends KubeObject>(client: Client, resource: ApiResource<K>): Api<K> {
    return new Api(client, resource, undefined);
  }

  private collection(): string {
    return resourcePath(this.resource, this.namespace);
  }

  private item(name: string, subresource?: string): string {
    if (this.resource.namespaced && !this.namespace) {
      throw new TypeError(
        `${this.resource.kind} '${name}': this Api spans all namespaces; use Api.namespaced(client, resource, ns) to address one object`,
      );
    }
    if (!name) throw new TypeError(`${this.resource.kind}: the name must not be empty`);
    return resourcePath(this.resource, this.namespace, name, subresource);
  }

  /** Reads an object. Rejects with an ApiError (404 when it does not exist). */
  get(name: string): Promise<K> {
    return this.client.request<K>({ method: 'GET', path: this.item(name) });
  }

  /** Reads an object, or resolves `undefined` when it does not exist (404). */
  async getOpt(name: string): Promise<K | undefined> {
    try {
      return await this.get(name);
    } catch (err) {
      if (ApiError.is(err) && err.isNotFound()) return undefined;
      throw err;
    }
  }

  /** Lists one page of objects (see `limit` / `continue` in {@link ListParams}). */
  list(params?: ListParams): Promise<ObjectList<K>> {
    return this.client.request<ObjectList<K>>(this.listRequest(params));
  }

  /**
   * Lists page by page (`params.limit` items per page, following `continue` tokens),
   * yielding each page as it is read. Each next page is requested as soon as the current
   * one arrives, before it is decoded (the token is read from the head of the response,
   * where Kubernetes writes the list metadata), so the server prepares page k+1 while the
   * caller handles page k; at most one page is read ahead. The pages are exactly those of
   * calling {@link Api.list} with each token in turn. A failing page (e.g. 410 when a
   * continue token expired) throws when it is reached. Breaking out of the loop, or
   * aborting `params.signal`, aborts the request in flight.
   */
  listPages(params: ListParams = {}): AsyncIterable<ObjectList<K>> {
    return listPagesAhead<K>(async (p) => {
      const request = this.listRequest(p);
      const { status, body } = await this.client.requestRaw(request);
      return { body, decode: () => this.client.parseJson<ObjectList<K>>(body, status, request) };
    }, params);
  }

  private listRequest(params: ListParams | undefined): RequestOptions {
    return {
      method: 'GET',
      path: this.collection(),
      query: listQuery(params),
      signal: params?.signal,
    };
  }

  /**
   * Lists every object, following `continue` tokens page by page (`params.limit` is the
   * page size). The result has all items and the list's resourceVersion (all pages are
   * one consistent snapshot). A token that expired mid-way rejects with a 410 ApiError.
   */
  async listAll(params: ListParams = {}): Promise<ObjectList<K>> {
    let first: ObjectList<K> | undefined;
    const items: K[] = [];
    for await (const page of this.listPages(params)) {
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

  /** Creates an object (409 `AlreadyExists` when the name is taken). */
  create(obj: K, params?: PostParams): Promise<K> {
    return this.client.request<K>({
      method: 'POST',
      path: this.createPath(obj),
      query: postQuery(params),
      body: obj,
    });
  }

  private createPath(obj: K): string {
    if (this.resource.namespaced && !this.namespace) {
      const ns = obj.metadata?.namespace;
      if (!ns) {
        throw new TypeError(
          `${this.resource.kind}: this Api spans all namespaces; set metadata.namespace or use Api.namespaced`,
        );
      }
      return resourcePath(this.resource, ns);
    }
    return this.collection();
  }

  /**
   * Replaces an object. With `metadata.resourceVersion` set, fails with 409 `Conflict` when
   * the object changed since that version (optimistic concurrency).
   */
  replace(name: string, obj: K, params?: PostParams): Promise<K> {
    return this.client.request<K>({
      method: 'PUT',
      path: this.item(name),
      query: postQuery(params),
      body: obj,
    });
  }

  /**
   * Patches an object; the content type follows the patch type. `Patch.apply` requires
   * `params.fieldManager` (a TypeError otherwise).
   */
  patch(name: string, patch: Patch<K>, params?: PatchParams): Promise<K> {
    return this.sendPatch<K>(this.item(name), patch, params);
  }

  private sendPatch<T>(
    path: string,
    patch: Patch<KubeObject>,
    params: PatchParams = {},
  ): Promise<T> {
    if (patch.type === 'apply' && !params.fieldManager) {
      throw new TypeError('Patch.apply needs params.fieldManager (the name of your controller)');
    }
    if (patch.type !== 'apply' && params.force !== undefined) {
      throw new TypeError('params.force applies to Patch.apply only');
    }
    return this.client.request<T>({
      method: 'PATCH',
      path,
      query: patchQuery(params),
      body: patch.body,
      contentType: PATCH_CONTENT_TYPES[patch.type],
    });
  }

  /**
   * Deletes an object. Resolves `{ kind: 'deleting', object }` when the object still exists
   * (HTTP 202, or an object with `deletionTimestamp`: finalizers or graceful deletion are
   * pending) and `{ kind: 'deleted', status }` when it is gone. Rejects with 404 when it did
   * not exist, 409 when a precondition fails.
   */
  async delete(name: string, params?: DeleteParams): Promise<DeleteResult<K>> {
    const { status, body } = await this.client.requestWithStatus<K | Status>({
      method: 'DELETE',
      path: this.item(name),
      body: deleteOptions(params),
    });
    if (isStatus(body)) return { kind: 'deleted', status: body };
    if (status === 202 || body?.metadata?.deletionTimestamp)
      return { kind: 'deleting', object: body };
    return {
      kind: 'deleted',
      object: body,
      status: {
        kind: 'Status',
        apiVersion: 'v1',
        status: 'Success',
        details: {
          name: body?.metadata?.name ?? name,
          group: this.resource.group,
          kind: this.resource.plural,
          uid: body?.metadata?.uid,
        },
      },
    };
  }

  /**
   * Deletes every object that matches `params` (selectors) in this Api's scope. Resolves with
   * what the server returns: the list of deleted objects, or a Status.
   */
  deleteCollection(params: ListParams & DeleteParams = {}): Promise<ObjectList<K> | Status> {
    return this.client.request<ObjectList<K> | Status>({
      method: 'DELETE',
      path: this.collection(),
      query: listQuery(params),
      body: deleteOptions(params),
    });
  }

  /**
   * Watches objects: an async iterable of events, decoded incrementally from the chunked
   * response (see `decodeWatchStream` for the handling of malformed and truncated lines).
   * The request starts on the first `next()`. Iteration ends when the server ends the
   * response, or quietly when `params.signal` aborts; breaking out of `for await` closes
   * the connection. Failures reject the iterator: `ApiError` for a non-2xx response (e.g.
   * 410 when `resourceVersion` is too old; ERROR events are yielded, not thrown),
   * `WatchDecodeError` for malformed data, `TransportError` when the connection breaks.
   */
  async *watch(params: WatchParams = {}): AsyncIterable<WatchEvent<K>> {
    for await (const batch of this.watchBatches(params)) yield* batch;
  }

  /**
   * The same watch as {@link Api.watch}, yielding the events in batches: each batch holds
   * the events decoded from one chunk of the response, in order, and is never empty (see
   * `decodeWatchBatches`). For consumers that handle events synchronously (the runtime's
   * watcher does), this costs one async step per chunk instead of one per event. Failures,
   * the end of the response and `params.signal` behave as in `watch`; the events before a
   * malformed line are yielded before the failure.
   */
  watchBatches(params: WatchParams = {}): AsyncIterable<WatchEvent<K>[]> {
    const path = this.collection();
    const query = watchQuery(params);
    const signal = params.signal;
    return new WatchBatches<K>(
      () => this.client.requestStream({ method: 'GET', path, query, signal }),
      this.client.url(path, query).toString(),
      signal,
    );
  }

  /** Reads the `status` subresource (the whole object). */
  getStatus(name: string): Promise<K> {
    return this.client.request<K>({ method: 'GET', path: this.item(name, 'status') });
  }

  /** Replaces the `status` subresource; changes outside `status` are ignored by the server. */
  replaceStatus(name: string, obj: K, params?: PostParams): Promise<K> {
    return this.client.request<K>({
      method: 'PUT',
      path: this.item(name, 'status'),
      query: postQuery(params),
      body: obj,
    });
  }

  /** Patches the `status` subresource. */
  patchStatus(name: string, patch: Patch<K>, params?: PatchParams): Promise<K> {
    return this.sendPatch<K>(this.item(name, 'status'), patch, params);
  }

  /** Reads the `scale` subresource. */
  getScale(name: string): Promise<Scale> {
    return this.client.request<Scale>({ method: 'GET', path: this.item(name, 'scale') });
  }

  /** Replaces the `scale` subresource. */
  replaceScale(name: string, scale: Scale, params?: PostParams): Promise<Scale> {
    return this.client.request<Scale>({
      method: 'PUT',
      path: this.item(name, 'scale'),
      query: postQuery(params),
      body: scale,
    });
  }

  /** Patches the `scale` subresource (e.g. `Patch.merge({ spec: { replicas: 3 } })`). */
  patchScale(name: string, patch: Patch<Scale>, params?: PatchParams): Promise<Scale> {
    return this.sendPatch<Scale>(this.item(name, 'scale'), patch, params);
  }
}

function deleteOptions(p: DeleteParams = {}): Record<string, unknown> {
  const body: Record<string, unknown> = { kind: 'DeleteOptions', apiVersion: 'v1' };
  if (p.propagationPolicy) body.propagationPolicy = p.propagationPolicy;
  if (p.gracePeriodSeconds !== undefined) body.gracePeriodSeconds = p.gracePeriodSeconds;
  if (p.preconditions) body.preconditions = p.preconditions;
  if (p.dryRun) body.dryRun = [p.dryRun];
  return body;
}
