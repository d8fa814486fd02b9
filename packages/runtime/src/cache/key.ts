/**
 * The identity of a cached watch: which requests share one watch and one store.
 */
import { type ApiResource, apiVersionOf, renderSelector } from '@kube-ts/core';
import type { CacheOptions } from './source.js';

/** Distinct ids for clients, so that handles of two clients never share a watch. */
const clientIds = new WeakMap<object, number>();
let nextClientId = 1;

function clientId(client: object | undefined): number {
  if (client === undefined) return 0;
  let id = clientIds.get(client);
  if (id === undefined) {
    id = nextClientId++;
    clientIds.set(client, id);
  }
  return id;
}

/** What one cached watch is (see {@link cacheKey}). */
export interface CacheKey {
  /** Equal for requests that share the watch. */
  readonly id: string;
  /** For logs, errors and `/readyz`: e.g. `configmaps (v1) in namespace 'a', metadata only`. */
  readonly description: string;
  readonly resource: ApiResource;
  readonly namespace: string | undefined;
  readonly labelSelector: string | undefined;
  readonly fieldSelector: string | undefined;
  readonly metadataOnly: boolean;
}

/** Where a watch's objects come from, as far as its identity goes. */
export interface KeyedSource {
  readonly resource: ApiResource;
  readonly namespace?: string | undefined;
  readonly client?: object;
}

/**
 * The key of a watch of `source` with `options`: the client, the resource (group, version,
 * plural), the namespace, the rendered label and field selectors and whether it is
 * metadata only. Empty selectors are the same as none.
 */
export function cacheKey(
  source: KeyedSource,
  options: CacheOptions,
  metadataOnly: boolean,
): CacheKey {
  const { resource } = source;
  const namespace = source.namespace || undefined;
  const labelSelector = renderSelector(options.labelSelector) || undefined;
  const fieldSelector = renderSelector(options.fieldSelector) || undefined;
  const id = JSON.stringify([
    clientId(source.client),
    resource.group,
    resource.version,
    resource.plural,
    namespace ?? '',
    labelSelector ?? '',
    fieldSelector ?? '',
    metadataOnly,
  ]);
  const parts = [`${resource.plural} (${apiVersionOf(resource)})`];
  if (resource.namespaced) {
    parts.push(namespace === undefined ? 'in all namespaces' : `in namespace '${namespace}'`);
  }
  if (labelSelector !== undefined) parts.push(`labels '${labelSelector}'`);
  if (fieldSelector !== undefined) parts.push(`fields '${fieldSelector}'`);
  const description = parts.join(' ') + (metadataOnly ? ', metadata only' : '');
  return { id, description, resource, namespace, labelSelector, fieldSelector, metadataOnly };
}
