/** Building the {@link RequestOptions} of `Api` calls: per-call control and patches. */
import type { CallOptions, KubeObject, PatchParams } from '@kube-ts/core';
import type { RequestOptions } from './client-options.js';
import { PATCH_CONTENT_TYPES, type Patch } from './patch.js';
import { patchQuery } from './query.js';

/** The per-call fields of `options`, for a {@link RequestOptions}. */
export function control(
  options: CallOptions | undefined,
): Pick<RequestOptions, 'signal' | 'timeoutMs'> {
  const out: Pick<RequestOptions, 'signal' | 'timeoutMs'> = {};
  if (options?.signal !== undefined) out.signal = options.signal;
  if (options?.timeoutMs !== undefined) out.timeoutMs = options.timeoutMs;
  return out;
}

/** The request of a patch; the content type follows the patch type. Throws on bad params. */
export function patchRequest(
  path: string,
  patch: Patch<KubeObject>,
  params: PatchParams = {},
): RequestOptions {
  if (typeof patch !== 'object' || patch === null || !(patch.type in PATCH_CONTENT_TYPES)) {
    throw new TypeError(
      'patch: pass a Patch (Patch.merge, Patch.json, Patch.strategic, Patch.apply)',
    );
  }
  if (patch.type === 'apply' && !params.fieldManager) {
    throw new TypeError('Patch.apply needs params.fieldManager (the name of your controller)');
  }
  if (patch.type !== 'apply' && params.force !== undefined) {
    throw new TypeError('params.force applies to Patch.apply only');
  }
  return {
    method: 'PATCH',
    path,
    query: patchQuery(params),
    body: patch.body,
    contentType: PATCH_CONTENT_TYPES[patch.type],
    ...control(params),
  };
}
