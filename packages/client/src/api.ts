import type { Readable } from 'node:stream';
import type {
  ApiResource,
  CallOptions,
  DeleteParams,
  KubeObject,
  ListParams,
  ObjectList,
  PartialObjectMetadata,
  PatchParams,
  PostParams,
  Status,
  WatchParams,
} from '@kube-ts/core';
import { isNotFound } from '@kube-ts/core';
import type { TokenRequest, TokenRequestSpec } from '@kube-ts/k8s/authentication/v1';
import type { Scale } from '@kube-ts/k8s/autoscaling/v1';
import type { Client } from './client.js';
import {
  checkScope,
  createRequest,
  deleteCollectionRequest,
  deleteObject,
  listPage,
  listRequest,
  watchBatches,
} from './collection-calls.js';
import type { DeleteResult } from './delete-options.js';
import { ResourceNotServedError } from './errors.js';
import { allPages, listPagesAhead, withItems } from './list-pages.js';
import type { LogOptions } from './logs.js';
import type { Patch } from './patch.js';
import { attachToPod, execInPod, forwardPodPorts, listenPodPort } from './pod-streams.js';
import type {
  PortForward,
  PortForwardListener,
  PortForwardListenerOptions,
  PortForwardOptions,
} from './port-forward.js';
import { postQuery } from './query.js';
import type { RemoteCommandOptions, RemoteProcess } from './remote-command.js';
import { control, patchRequest } from './request-options.js';
import { ResourceCalls } from './resource-calls.js';
import type { Subresource } from './subresource.js';
import { evictPod, podLogStream, podLogs, requestToken } from './typed-subresources.js';
import type { WatchEvent } from './watch-event.js';

/** The `scale` subresource (autoscaling/v1 `Scale`). */
export type { Scale } from '@kube-ts/k8s/autoscaling/v1';

/**
 * A typed handle on one resource, in one namespace, across all namespaces, or cluster-wide.
 * All methods go through the {@link Client} and reject with `ApiError` / `TransportError`
 * (never throw synchronously: bad arguments reject too). Every method takes per-call
 * {@link CallOptions} (`signal`, `timeoutMs`), directly or inside its params. A 404 for a
 * resource the server does not serve at all rejects with a `ResourceNotServedError`.
 */
export class Api<K extends KubeObject> {
  private constructor(
    /** The client requests go through. */
    readonly client: Client,
    /** The resource. */
    readonly resource: ApiResource<K>,
    /** The namespace, or `undefined` for cluster-scoped resources and `Api.all`. */
    readonly namespace: string | undefined,
    /**
     * Whether requests ask for metadata only (a handle made by {@link Api.metadata}); a
     * shared cache keys its watches by it.
     */
    readonly metadataOnly = false,
  ) {
    this.#calls = new ResourceCalls(client, resource, namespace, metadataOnly);
  }

  /** Paths, headers and error handling shared by every call. */
  readonly #calls: ResourceCalls<K>;

  /** A handle on a namespaced resource in namespace `namespace`. */
  static namespaced<K extends KubeObject>(
    client: Client,
    resource: ApiResource<K>,
    namespace: string,
  ): Api<K> {
    return new Api(client, resource, checkScope(resource, 'namespaced', namespace));
  }

  /** A handle on a cluster-scoped resource (e.g. Namespace, CustomResourceDefinition). */
  static cluster<K extends KubeObject>(client: Client, resource: ApiResource<K>): Api<K> {
    return new Api(client, resource, checkScope(resource, 'cluster', undefined));
  }

  /**
   * A handle on a resource across all namespaces (for list, watch and deleteCollection);
   * for a cluster-scoped resource it is the same as {@link Api.cluster}. Methods that
   * address one object by name need a namespace and throw a `TypeError` here.
   */
  static all<K extends KubeObject>(client: Client, resource: ApiResource<K>): Api<K> {
    return new Api(client, resource, undefined);
  }

  /**
   * The same handle, metadata only: get, list and watch answer `PartialObjectMetadata`
   * objects (the `metadata` of each object, never spec, status or data), as kube-apiserver
   * serves them for `Accept: application/json;as=PartialObjectMetadata;g=meta.k8s.io;v=v1`
   * (`as=PartialObjectMetadataList` for lists). Use it as a watcher source or as the source
   * of `Controller.owns(...)` to cache only what ownership needs; `patch` and `delete` work
   * too (a patch answers the patched object's metadata).
   */
  metadata(): Api<PartialObjectMetadata> {
    return new Api<PartialObjectMetadata>(
      this.client,
      this.resource as ApiResource<KubeObject> as ApiResource<PartialObjectMetadata>,
      this.namespace,
      true,
    );
  }

  /** Reads an object. Rejects with an ApiError (404 when it does not exist). */
  get(name: string, options?: CallOptions): Promise<K> {
    return this.#calls.send(() => ({
      method: 'GET',
      path: this.#calls.item(name),
      ...control(options),
    }));
  }

  /**
   * Reads an object, or resolves `undefined` when it does not exist (404). A resource the
   * server does not serve rejects with a `ResourceNotServedError` instead.
   */
  async getOpt(name: string, options?: CallOptions): Promise<K | undefined> {
    try {
      return await this.get(name, options);
    } catch (err) {
      if (isNotFound(err) && !(err instanceof ResourceNotServedError)) return undefined;
      throw err;
    }
  }

  /** Lists one page of objects (see `limit` / `continue` in {@link ListParams}). */
  list(params?: ListParams): Promise<ObjectList<K>> {
    return this.#calls
      .send<ObjectList<K>>(() => listRequest(this.#calls, params), true)
      .then(withItems);
  }

  /**
   * Lists page by page (`params.limit` items per page, following `continue` tokens),
   * yielding each page as it is read. Each next page is requested as soon as the current
   * one arrives, before it is decoded (the token is read from the head of the response,
   * where Kubernetes writes the list metadata), so the server prepares page k+1 while the
   * caller handles page k; at most one page is read ahead. The pages are exactly those of
   * calling {@link Api.list} with each token in turn. A failing page (e.g. 410 when a
   * continue token expired) throws when it is reached. Breaking out of the loop, or
   * aborting `params.signal`, aborts the request in flight; `params.timeoutMs` applies to
   * each page.
   */
  listPages(params: ListParams = {}): AsyncIterable<ObjectList<K>> {
    return listPagesAhead<K>((p) => listPage(this.#calls, p), params);
  }

  /**
   * Lists every object, following `continue` tokens page by page (`params.limit` is the
   * page size). The result has all items and the list's resourceVersion (all pages are
   * one consistent snapshot). A token that expired mid-way rejects with a 410 ApiError.
   */
  listAll(params: ListParams = {}): Promise<ObjectList<K>> {
    return allPages(this.listPages(params));
  }

  /** Creates an object (409 `AlreadyExists` when the name is taken). */
  create(obj: K, params?: PostParams): Promise<K> {
    return this.#calls.send(() => createRequest(this.#calls, obj, params));
  }

  /**
   * Replaces an object. With `metadata.resourceVersion` set, fails with 409 `Conflict` when
   * the object changed since that version (optimistic concurrency).
   */
  replace(name: string, obj: K, params?: PostParams): Promise<K> {
    return this.#calls.send(() => ({
      method: 'PUT',
      path: this.#calls.item(name),
      query: postQuery(params),
      body: obj,
      ...control(params),
    }));
  }

  /**
   * Patches an object; the content type follows the patch type. `Patch.apply` requires
   * `params.fieldManager` (the promise rejects with a TypeError otherwise).
   */
  patch(name: string, patch: Patch<K>, params?: PatchParams): Promise<K> {
    return this.#calls.send(() => patchRequest(this.#calls.item(name), patch, params));
  }

  /**
   * Server-side apply: `patch(name, Patch.apply(obj), { fieldManager, force })`. The
   * object needs `apiVersion` and `kind`; `params.fieldManager` is required.
   */
  apply(name: string, obj: K, params: PatchParams & { fieldManager: string }): Promise<K> {
    return this.#calls.send(() =>
      patchRequest(this.#calls.item(name), { type: 'apply', body: obj }, params),
    );
  }

  /**
   * Deletes an object. Resolves `{ kind: 'deleting', object }` when the object still exists
   * (HTTP 202, or an object with `deletionTimestamp`: finalizers or graceful deletion are
   * pending) and `{ kind: 'deleted', status }` when it is gone. Rejects with 404 when it did
   * not exist, 409 when a precondition fails.
   */
  delete(name: string, params?: DeleteParams): Promise<DeleteResult<K>> {
    return deleteObject(this.#calls, name, params);
  }

  /**
   * Deletes every object that matches `params` (selectors) in this Api's scope. Resolves with
   * what the server returns: the list of deleted objects, or a Status.
   */
  deleteCollection(params: ListParams & DeleteParams = {}): Promise<ObjectList<K> | Status> {
    return this.#calls.send(() => deleteCollectionRequest(this.#calls, params), true);
  }

  /**
   * Watches objects: an async iterable of events, decoded incrementally from the chunked
   * response (blank lines are skipped; a complete last event without its newline is kept;
   * a line that is not a watch event, or one cut off by the end of the response, fails
   * the iteration after the events before it).
   * The request starts on the first `next()`. Iteration ends when the server ends the
   * response, or quietly when `params.signal` aborts; breaking out of `for await` closes
   * the connection. Failures reject the iterator: `ApiError` for a non-2xx response (e.g.
   * 410 when `resourceVersion` is too old; ERROR events are yielded, not thrown),
   * `WatchDecodeError` for malformed data, `TransportError` when the connection breaks,
   * `RequestTimeoutError` when the response does not start within `params.timeoutMs`.
   */
  async *watch(params: WatchParams = {}): AsyncIterable<WatchEvent<K>> {
    for await (const batch of this.watchBatches(params)) yield* batch;
  }

  /**
   * The same watch as {@link Api.watch}, yielding the events in batches: each batch holds
   * the events decoded from one chunk of the response, in order, and is never empty. For consumers that handle events synchronously (the runtime's
   * watcher does), this costs one async step per chunk instead of one per event. Failures,
   * the end of the response and `params.signal` behave as in `watch`; the events before a
   * malformed line are yielded before the failure.
   */
  watchBatches(params: WatchParams = {}): AsyncIterable<WatchEvent<K>[]> {
    return watchBatches(this.#calls, params);
  }

  /**
   * A handle on the subresource `sub` of the object `name` (e.g. `status`, `scale`,
   * `token`, `eviction`, `binding`), for the subresources without a helper of their own.
   * `T` is the type the subresource reads and writes.
   */
  subresource<T extends object = KubeObject>(name: string, sub: string): Subresource<T> {
    return this.#calls.subresource<T>(name, sub);
  }

  /** Reads the `status` subresource (the whole object). */
  getStatus(name: string, options?: CallOptions): Promise<K> {
    return this.subresource<K>(name, 'status').get(options);
  }

  /** Replaces the `status` subresource; changes outside `status` are ignored by the server. */
  replaceStatus(name: string, obj: K, params?: PostParams): Promise<K> {
    return this.subresource<K>(name, 'status').replace(obj, params);
  }

  /** Patches the `status` subresource. */
  patchStatus(name: string, patch: Patch<K>, params?: PatchParams): Promise<K> {
    return this.subresource<K>(name, 'status').patch(patch, params);
  }

  /** Reads the `scale` subresource. */
  getScale(name: string, options?: CallOptions): Promise<Scale> {
    return this.subresource<Scale>(name, 'scale').get(options);
  }

  /** Replaces the `scale` subresource. */
  replaceScale(name: string, scale: Scale, params?: PostParams): Promise<Scale> {
    return this.subresource<Scale>(name, 'scale').replace(scale, params);
  }

  /** Patches the `scale` subresource (e.g. `Patch.merge({ spec: { replicas: 3 } })`). */
  patchScale(name: string, patch: Patch<Scale>, params?: PatchParams): Promise<Scale> {
    return this.subresource<Scale>(name, 'scale').patch(patch, params);
  }

  /**
   * Requests a token for the ServiceAccount `name` (the `token` subresource; this Api must
   * be one of `serviceaccounts`). Resolves with the answered TokenRequest: the token is
   * `status.token`, valid until `status.expirationTimestamp`. Never log it.
   */
  token(name: string, spec: TokenRequestSpec = {}, params?: PostParams): Promise<TokenRequest> {
    return requestToken(this.#calls, name, spec, params);
  }

  /**
   * Evicts the Pod `name` (the `eviction` subresource; this Api must be one of `pods`): the
   * API server deletes it unless a PodDisruptionBudget forbids it, which rejects with a
   * 429 ApiError (retry later). `params.deleteOptions` are passed on to the deletion.
   */
  evict(
    name: string,
    params: CallOptions & { deleteOptions?: DeleteParams; dryRun?: 'All' } = {},
  ): Promise<Status> {
    return evictPod(this.#calls, name, params);
  }

  /**
   * The log of a container of the Pod `name` (the `log` subresource; this Api must be one
   * of `pods`). Without `follow`, resolves with the log text. With `follow: true`, an async
   * iterable of lines as the kubelet writes them, read as the consumer asks for them
   * (back-pressure); it ends when the container ends its log, quietly when `signal`
   * aborts, and breaking out of the loop closes the connection. Needs a kubelet: a Pod that
   * is not scheduled has an empty log.
   */
  logs(name: string, options?: LogOptions & { follow?: false }): Promise<string>;
  /** The log of a container, followed: an async iterable of its lines (see above). */
  logs(name: string, options: LogOptions & { follow: true }): AsyncIterable<string>;
  logs(name: string, options: LogOptions = {}): Promise<string> | AsyncIterable<string> {
    return podLogs(this.#calls, name, options);
  }

  /**
   * The log of a container of the Pod `name` as a Readable of bytes (the `log`
   * subresource; with `follow: true` it stays open as the container writes). The socket
   * is read only as fast as the Readable is (back-pressure: `pipe` it, or read it in a
   * `for await`); aborting `options.signal` ends it quietly without reconnecting, and
   * destroying it closes the connection. Resolves once the response starts.
   */
  logStream(name: string, options: LogOptions = {}): Promise<Readable> {
    return podLogStream(this.#calls, name, options);
  }

  /**
   * Runs `command` (the program and its arguments, no shell) in a container of the Pod
   * `name` (the `exec` subresource over WebSocket, `v5.channel.k8s.io` or
   * `v4.channel.k8s.io`; this Api must be one of `pods`). Resolves once the command is
   * connected, with its streams (`stdin` with `stdin: true`; `stdout` and `stderr` by
   * default; `tty: true` merges them and allows `resize`) and `exit`, a promise of its exit
   * code. A refused request rejects with a `PodStreamError` saying what to do (a Pod not
   * scheduled or not running, a container that does not exist, a user without `create`
   * on `pods/exec`).
   */
  exec(
    name: string,
    command: readonly string[],
    options: RemoteCommandOptions = {},
  ): Promise<RemoteProcess> {
    return execInPod(this.#calls, name, command, options);
  }

  /**
   * Attaches to the main process of a container of the Pod `name` (the `attach`
   * subresource; this Api must be one of `pods`): its output, its stdin (the container
   * needs `stdin: true` in its spec) and, with `tty`, its terminal. Streams, `exit` and
   * errors as in {@link Api.exec}; `exit` resolves when the process ends.
   */
  attach(name: string, options: RemoteCommandOptions = {}): Promise<RemoteProcess> {
    return attachToPod(this.#calls, name, options);
  }

  /**
   * Forwards `ports` of the Pod `name` over one WebSocket (the `portforward` subresource;
   * this Api must be one of `pods`): `stream(port)` is a Duplex connected to that port in
   * the Pod, one TCP connection per port. For a local port that any program can connect
   * to, use {@link Api.portForwardListener}.
   */
  portForward(
    name: string,
    ports: readonly number[],
    options: PortForwardOptions = {},
  ): Promise<PortForward> {
    return forwardPodPorts(this.#calls, name, ports, options);
  }

  /**
   * Listens on a local TCP port (`options.localPort`, by default a free one on
   * 127.0.0.1) and forwards every connection to `port` of the Pod `name`, each through a
   * port-forward of its own (as `kubectl port-forward` does). Close it when done.
   */
  portForwardListener(
    name: string,
    port: number,
    options: PortForwardListenerOptions = {},
  ): Promise<PortForwardListener> {
    return listenPodPort(this.#calls, name, port, options);
  }
}
