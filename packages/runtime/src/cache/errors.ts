/**
 * The errors of a cache read that cannot be answered from the cache.
 */
import { type ApiResource, apiVersionOf } from '@kube-ts/core';

/** What a cache read asked for: the call, the resource, the namespace and the form. */
export interface CacheReadTarget {
  /** The call, e.g. `cache.get`. */
  readonly call: string;
  /** The resource read. */
  readonly resource: ApiResource;
  /** The namespace read, or `undefined` for all (or a cluster-scoped resource). */
  readonly namespace: string | undefined;
  /** Whether a metadata-only watch was asked for. */
  readonly metadataOnly: boolean;
}

function what({ resource, namespace, metadataOnly }: CacheReadTarget): string {
  const where = !resource.namespaced
    ? ''
    : namespace === undefined
      ? ' in all namespaces'
      : ` in namespace '${namespace}'`;
  return `${metadataOnly ? 'metadata of ' : ''}${resource.plural} (${apiVersionOf(resource)})${where}`;
}

/**
 * A cache read of a resource that no watch of the cache covers. The cache never starts a
 * watch on a read (it would run unseen, unowned and never stopped): register it first.
 */
export class CacheNotRegisteredError extends Error {
  /** The error for a read of `target`; `hint` is added to the message. */
  constructor(target: CacheReadTarget, hint?: string) {
    const handle = target.namespace
      ? `Api.namespaced(client, resource, '${target.namespace}')`
      : 'Api.all(client, resource)';
    super(
      `${target.call}: nothing in this cache watches ${what(target)}. Register the watch ` +
        `before reading: manager.cache.acquire(${handle}` +
        `${target.metadataOnly ? ', { metadataOnly: true }' : ''}) (keep the lease while ` +
        'you read), or have a controller of this manager own or watch it ' +
        `(.owns(...) / .watches(...)${target.metadataOnly ? ' with { metadataOnly: true }' : ''}).` +
        (hint === undefined ? '' : ` ${hint}`),
    );
    this.name = 'CacheNotRegisteredError';
  }
}

/** A cache read of a watch that has not finished its initial list yet. */
export class CacheNotSyncedError extends Error {
  /** The error for `call` on the watch described by `description`. */
  constructor(call: string, description: string) {
    super(
      `${call}: the watch of ${description} has not finished its initial list yet; ` +
        'await manager.cache.waitUntilReady() (a controller waits for its own watches ' +
        'before its first reconcile)',
    );
    this.name = 'CacheNotSyncedError';
  }
}
