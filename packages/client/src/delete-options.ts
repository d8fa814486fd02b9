import {
  type ApiResource,
  type DeleteParams,
  isStatus,
  type KubeObject,
  type Status,
} from '@kube-ts/core';

/**
 * The result of a delete: `deleting` when the object still exists (finalizers or graceful
 * deletion pending; `object` has `metadata.deletionTimestamp`), `deleted` when it is gone
 * (`status` is the server's Status, or one built from the returned object).
 */
export type DeleteResult<K extends KubeObject> =
  | { kind: 'deleting'; object: K }
  | { kind: 'deleted'; status: Status; object?: K };

/** The DeleteOptions body of a delete (or of an eviction). */
export function deleteOptions(p: DeleteParams = {}): Record<string, unknown> {
  const body: Record<string, unknown> = { kind: 'DeleteOptions', apiVersion: 'v1' };
  if (p.propagationPolicy) body.propagationPolicy = p.propagationPolicy;
  if (p.gracePeriodSeconds !== undefined) body.gracePeriodSeconds = p.gracePeriodSeconds;
  if (p.preconditions) body.preconditions = p.preconditions;
  if (p.dryRun) body.dryRun = [p.dryRun];
  return body;
}

/**
 * What a DELETE answered (HTTP `status`, `body`) as a {@link DeleteResult}: a Status means
 * gone; a 202 or an object with `deletionTimestamp` still exists; another object is gone
 * (its storage returned it), with a Success Status built for it.
 */
export function deleteResultOf<K extends KubeObject>(
  status: number,
  body: K | Status,
  name: string,
  resource: ApiResource<K>,
): DeleteResult<K> {
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
        group: resource.group,
        kind: resource.plural,
        uid: body?.metadata?.uid,
      },
    },
  };
}
