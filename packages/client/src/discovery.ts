import {
  ApiError,
  type ApiResource,
  apiResource,
  apiVersionOf,
  type DynamicObject,
  type GroupVersionKind,
  type KubeObject,
} from '@kube-ts/core';
import type { Client } from './client.js';

interface ApiResourceListBody {
  resources?: { name: string; kind: string; namespaced: boolean }[];
}

/**
 * Resolves a group/version/kind to the {@link ApiResource} that serves it (plural, scope),
 * from the API server's discovery documents (`/api/v1`, `/apis/GROUP/VERSION`). Works for
 * built-ins and CRDs alike. Each group/version is fetched once and cached; a kind that is
 * not in the cache triggers a refresh of its group/version (so a CRD installed after the
 * first lookup is found), and concurrent lookups share one fetch.
 */
export class Discovery {
  private readonly cache = new Map<string, Map<string, ApiResource<DynamicObject>>>();
  private readonly inflight = new Map<string, Promise<Map<string, ApiResource<DynamicObject>>>>();

  /** @param client the client discovery requests go through */
  constructor(private readonly client: Client) {}

  /**
   * The resource for `gvk`. Rejects with an `ApiError` 404 (`isNotFound()`) naming the kind
   * when the server does not serve it (e.g. the CRD is not installed), or with the
   * request's ApiError/TransportError when discovery itself fails.
   */
  async resolve<K extends KubeObject = DynamicObject>(
    gvk: GroupVersionKind,
  ): Promise<ApiResource<K>> {
    const found = await this.resolveOpt<K>(gvk);
    if (found) return found;
    const gv = apiVersionOf(gvk);
    throw new ApiError({
      kind: 'Status',
      apiVersion: 'v1',
      status: 'Failure',
      code: 404,
      reason: 'NotFound',
      message: `the API server has no resource of kind ${gvk.kind} in ${gv}; install its CustomResourceDefinition or check the apiVersion and kind`,
      details: { group: gvk.group, kind: gvk.kind },
    });
  }

  /** Like {@link resolve}, but resolves `undefined` when the kind is not served. */
  async resolveOpt<K extends KubeObject = DynamicObject>(
    gvk: GroupVersionKind,
  ): Promise<ApiResource<K> | undefined> {
    const gv = apiVersionOf(gvk);
    const cached = this.cache.get(gv)?.get(gvk.kind);
    if (cached) return cached as unknown as ApiResource<K>;
    const fresh = await this.refresh(gvk);
    return fresh.get(gvk.kind) as unknown as ApiResource<K> | undefined;
  }

  /** Forgets everything; the next lookups fetch again. */
  invalidate(): void {
    this.cache.clear();
  }

  private refresh(gv: {
    group: string;
    version: string;
  }): Promise<Map<string, ApiResource<DynamicObject>>> {
    const key = apiVersionOf(gv);
    let p = this.inflight.get(key);
    if (!p) {
      p = this.fetch(gv).finally(() => this.inflight.delete(key));
      this.inflight.set(key, p);
    }
    return p;
  }

  private async fetch(gv: {
    group: string;
    version: string;
  }): Promise<Map<string, ApiResource<DynamicObject>>> {
    const path = gv.group ? `/apis/${gv.group}/${gv.version}` : `/api/${gv.version}`;
    const byKind = new Map<string, ApiResource<DynamicObject>>();
    let body: ApiResourceListBody;
    try {
      body = await this.client.request<ApiResourceListBody>({ method: 'GET', path });
    } catch (err) {
      if (ApiError.is(err) && err.isNotFound()) {
        this.cache.set(apiVersionOf(gv), byKind);
        return byKind;
      }
      throw err;
    }
    for (const r of body.resources ?? []) {
      if (r.name.includes('/')) continue;
      byKind.set(
        r.kind,
        apiResource({
          group: gv.group,
          version: gv.version,
          kind: r.kind,
          plural: r.name,
          namespaced: r.namespaced,
        }),
      );
    }
    this.cache.set(apiVersionOf(gv), byKind);
    return byKind;
  }
}
