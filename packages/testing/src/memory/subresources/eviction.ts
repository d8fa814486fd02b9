/**
 * `POST pods/{name}/eviction`: deletes the Pod with the Eviction's delete options and
 * answers a 201 Success Status, as kube-apiserver does for a Pod no PodDisruptionBudget
 * protects. (This server has no PodDisruptionBudgets, so an eviction is never refused
 * with 429.)
 */
import { deleteObject, deleteOptionsFrom } from '../deletion.js';
import { badRequest } from '../errors.js';
import { isObject, type Json, type JsonObject } from '../json.js';
import { metaOf } from '../object-meta.js';
import { getStored, type Scope } from '../write-scope.js';

/** Evicts the Pod `name`; the Status to answer with (HTTP 201). */
export function evictPod(
  s: Parameters<typeof deleteObject>[0],
  sc: Scope,
  name: string,
  body: Json,
  query: URLSearchParams,
): JsonObject {
  if (!isObject(body) || body.kind !== 'Eviction') {
    throw badRequest('the body of the request must be a policy/v1 Eviction');
  }
  const evictionName = metaOf(body).name;
  if (evictionName !== undefined && evictionName !== name) {
    throw badRequest('name in URL does not match name in Eviction object');
  }
  getStored(s, sc, name);
  const options = isObject(body.deleteOptions) ? body.deleteOptions : undefined;
  deleteObject(s, sc, name, deleteOptionsFrom(options, query));
  return { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', code: 201 };
}
