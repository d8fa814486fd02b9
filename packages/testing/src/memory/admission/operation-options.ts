import type { DeleteOptions } from '../deletion.js';
import type { JsonObject } from '../json.js';

const META_V1 = 'meta.k8s.io/v1';

/**
 * The options a create or update's query sent, as kube-apiserver decodes them into its
 * CreateOptions/UpdateOptions (`dryRun`, `fieldManager`, `fieldValidation`, each only
 * when given: the fields are `omitempty`), for {@link operationOptions}.
 */
export function sentWriteOptions(q: URLSearchParams): JsonObject {
  const out: JsonObject = {};
  const dryRun = q.getAll('dryRun');
  if (dryRun.length) out.dryRun = dryRun;
  for (const key of ['fieldManager', 'fieldValidation']) {
    const value = q.get(key);
    if (value) out[key] = value;
  }
  return out;
}

/**
 * A create or update's options object as kube-apiserver's admission sees it (an
 * AdmissionRequest's `options`, a policy's `request.options`): the options the request
 * sent, typed `meta.k8s.io/v1` `CreateOptions` or `UpdateOptions` by the operation (a
 * patch's or an update's create is a `CreateOptions` with the same fields).
 */
export function operationOptions(operation: 'CREATE' | 'UPDATE', sent: JsonObject): JsonObject {
  const kind = operation === 'CREATE' ? 'CreateOptions' : 'UpdateOptions';
  return { kind, apiVersion: META_V1, ...sent };
}

/**
 * A DELETE's `meta.k8s.io/v1` DeleteOptions as kube-apiserver's admission sees it, after
 * its store's BeforeDelete: `gracePeriodSeconds` as given (a negative one made 1) or, for
 * a Pod, the period its strategy chose (`grace`).
 */
export function deleteOperationOptions(opts: DeleteOptions, grace?: number): JsonObject {
  const out: JsonObject = { kind: 'DeleteOptions', apiVersion: META_V1 };
  const period = grace ?? opts.gracePeriodSeconds;
  if (period !== undefined) out.gracePeriodSeconds = period;
  if (opts.preconditions) out.preconditions = { ...opts.preconditions };
  if (opts.orphanDependents !== undefined) out.orphanDependents = opts.orphanDependents;
  else if (opts.propagationPolicy) out.propagationPolicy = opts.propagationPolicy;
  if (opts.dryRun) out.dryRun = ['All'];
  return out;
}
