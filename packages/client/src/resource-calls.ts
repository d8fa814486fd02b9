import { type ApiError, type ApiResource, isNotFound, type KubeObject } from '@kube-ts/core';
import type { Client } from './client.js';
import type { RequestOptions } from './client-options.js';
import { ResourceNotServedError } from './errors.js';
import { resourcePath } from './resource-path.js';
import { Subresource } from './subresource.js';

/** The Accept header of metadata-only reads of one object and of watches. */
const METADATA_ACCEPT = 'application/json;as=PartialObjectMetadata;g=meta.k8s.io;v=v1';
/** The Accept header of metadata-only lists. */
const METADATA_LIST_ACCEPT = 'application/json;as=PartialObjectMetadataList;g=meta.k8s.io;v=v1';

/**
 * What every call of one `Api` shares: its paths, the metadata-only Accept header, and
 * failures turned into rejections (bad arguments) or a ResourceNotServedError.
 */
export class ResourceCalls<K extends KubeObject> {
  constructor(
    readonly client: Client,
    readonly resource: ApiResource<K>,
    readonly namespace: string | undefined,
    private readonly metadataOnly: boolean,
  ) {}

  /** The Accept header of a metadata-only call (`list`: the List form); none otherwise. */
  accept(list: boolean): string | undefined {
    if (!this.metadataOnly) return undefined;
    return list ? METADATA_LIST_ACCEPT : METADATA_ACCEPT;
  }

  /**
   * Runs one call: a synchronous failure (bad arguments) becomes a rejection, and a 404
   * that is not about an object (the resource is not served) a ResourceNotServedError.
   */
  async run<T>(what: () => Promise<T>): Promise<T> {
    try {
      return await what();
    } catch (err) {
      throw this.explain(err);
    }
  }

  /** A {@link ResourceNotServedError} for a 404 that names no object; `err` otherwise. */
  explain(err: unknown): unknown {
    if (!isNotFound(err) || err instanceof ResourceNotServedError) return err;
    const { details, status } = err as ApiError;
    // A missing object's 404 names it; a path the server does not serve names nothing.
    if (details?.name || details?.kind) return err;
    return new ResourceNotServedError(this.resource, status.message ?? '404 page not found');
  }

  /** The collection's path. */
  collection(): string {
    return resourcePath(this.resource, this.namespace);
  }

  /** The path of the object `name` (or of its subresource); throws for bad arguments. */
  item(name: string, subresource?: string): string {
    if (this.resource.namespaced && !this.namespace) {
      throw new TypeError(
        `${this.resource.kind} '${name}': this Api spans all namespaces; use Api.namespaced(client, resource, ns) to address one object`,
      );
    }
    if (typeof name !== 'string' || !name) {
      throw new TypeError(`${this.resource.kind}: the name must be a non-empty string`);
    }
    return resourcePath(this.resource, this.namespace, name, subresource);
  }

  /** Sends one request (see {@link run}); `list` picks the metadata list form. */
  send<T>(build: () => RequestOptions, list = false): Promise<T> {
    return this.run(() => {
      const accept = this.accept(list);
      const options = build();
      return this.client.request<T>(accept ? { ...options, accept } : options);
    });
  }

  /** A handle on the subresource `sub` of the object `name`. */
  subresource<T extends object>(name: string, sub: string): Subresource<T> {
    return new Subresource<T>(
      this.client,
      () => {
        if (!sub || sub.includes('/')) {
          throw new TypeError(`${this.resource.kind}: '${sub}' is not a subresource name`);
        }
        return this.item(name, sub);
      },
      (err) => this.explain(err),
    );
  }

  /** Rejects a helper that the resource does not have (e.g. `logs` on ConfigMaps). */
  expect(plural: string, sub: string): void {
    if (this.resource.plural !== plural || this.resource.group !== '') {
      throw new TypeError(
        `${this.resource.kind} has no '${sub}' subresource helper; it is for ${plural} (use api.subresource(name, '${sub}') for other resources)`,
      );
    }
  }
}
