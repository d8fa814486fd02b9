/** `api.subresource(name, sub)`: get, create, replace and patch one subresource of an object. */
import type { CallOptions, KubeObject, PatchParams, PostParams } from '@kube-ts/core';
import type { Client } from './client.js';
import type { RequestOptions } from './client-options.js';
import type { Patch } from './patch.js';
import { postQuery } from './query.js';
import { control, patchRequest } from './request-options.js';

/**
 * One subresource of one object (e.g. `pods/p/status`, `serviceaccounts/sa/token`), typed
 * as `T`. Every method takes per-call control (`signal`, `timeoutMs`) and rejects (never
 * throws) on bad arguments.
 */
export class Subresource<T extends object> {
  /**
   * @param client the client requests go through
   * @param path the subresource's path (may throw for bad arguments: the call rejects)
   * @param explain turns a failure into the error to reject with
   */
  constructor(
    private readonly client: Client,
    private readonly path: () => string,
    private readonly explain: (err: unknown) => unknown,
  ) {}

  private async send<R>(build: () => RequestOptions): Promise<R> {
    try {
      return await this.client.request<R>(build());
    } catch (err) {
      throw this.explain(err);
    }
  }

  /** Reads the subresource. */
  get(options?: CallOptions): Promise<T> {
    return this.send(() => ({ method: 'GET', path: this.path(), ...control(options) }));
  }

  /**
   * Creates the subresource (POST), e.g. a TokenRequest or an Eviction; resolves with the
   * server's answer (type `R`, by default `T`).
   */
  create<R extends object = T>(body: T, params?: PostParams): Promise<R> {
    return this.send(() => ({
      method: 'POST',
      path: this.path(),
      query: postQuery(params),
      body,
      ...control(params),
    }));
  }

  /** Replaces the subresource (PUT). */
  replace(body: T, params?: PostParams): Promise<T> {
    return this.send(() => ({
      method: 'PUT',
      path: this.path(),
      query: postQuery(params),
      body,
      ...control(params),
    }));
  }

  /** Patches the subresource; the content type follows the patch type. */
  patch(patch: Patch<T & KubeObject>, params?: PatchParams): Promise<T> {
    return this.send(() => patchRequest(this.path(), patch, params));
  }
}
