import { controllerOf, type KubeObject, ObjectRef, parseApiVersion } from '@kube-ts/core';
import type { Observable } from 'rxjs';
import { eachOf } from '../operators/each-of.js';
import { appliedObjects, touchedObjects } from '../operators/objects.js';
import type { WatcherEvent } from '../watcher/events.js';
import type { ReconcileReason } from './reason.js';

/** A request to reconcile the object `ref`, for `reason`. */
export interface ReconcileRequest {
  readonly ref: ObjectRef;
  readonly reason: ReconcileReason;
}

/** Maps a related object to the objects to reconcile (none, one or several). */
export type RelationMapper<W> = (obj: W) => ObjectRef | readonly ObjectRef[] | undefined;

/** The kind of the owner objects: what an ownerReference must name to match. */
export interface OwnerType {
  readonly group: string;
  readonly kind: string;
  readonly namespaced: boolean;
}

/**
 * Requests for the controller's own objects: one per object of each `Applied` and
 * `Restarted` (reason `objectUpdated`). Deletions request nothing: a deleted object is
 * gone from the store, and cleanup belongs in a finalizer.
 */
export function selfRequests<K extends KubeObject>(
  events: Observable<WatcherEvent<K>>,
): Observable<ReconcileRequest> {
  return events.pipe(
    appliedObjects(),
    eachOf((obj) => (obj.metadata?.name ? [{ ref: ObjectRef.from(obj), reason: UPDATED }] : [])),
  );
}

const UPDATED: ReconcileReason = { type: 'objectUpdated' };

/**
 * Requests for the owners of changed (created, updated or deleted) children: the child's
 * ownerReference with `controller: true`, if it names an object of `owner`'s kind and API
 * group (any version: versions of a kind are views of the same objects). The owner is
 * looked up in the child's namespace (or cluster-wide for a cluster-scoped owner kind).
 */
export function ownerRequests<C extends KubeObject>(
  events: Observable<WatcherEvent<C>>,
  owner: OwnerType,
): Observable<ReconcileRequest> {
  return events.pipe(
    touchedObjects(),
    eachOf((child): ReconcileRequest[] => {
      const ref = controllerOf(child);
      if (ref === undefined || ref.kind !== owner.kind || !ref.apiVersion) return [];
      if (parseApiVersion(ref.apiVersion).group !== owner.group) return [];
      const namespace = owner.namespaced ? child.metadata?.namespace : undefined;
      return [
        {
          ref: { name: ref.name, ...(namespace ? { namespace } : {}) },
          reason: { type: 'relatedObjectUpdated', related: relatedRef(child) },
        },
      ];
    }),
  );
}

/**
 * Requests from a watched relation: `mapper` gives, for each changed (created, updated or
 * deleted) object, the objects to reconcile. A mapper that throws is reported through
 * `onMapperError` and the object is skipped; the stream goes on.
 */
export function relatedRequests<W extends KubeObject>(
  events: Observable<WatcherEvent<W>>,
  mapper: RelationMapper<W>,
  onMapperError: (error: unknown, obj: W) => void,
): Observable<ReconcileRequest> {
  return events.pipe(
    touchedObjects(),
    eachOf((obj): ReconcileRequest[] => {
      let mapped: ObjectRef | readonly ObjectRef[] | undefined;
      try {
        mapped = mapper(obj);
      } catch (error) {
        onMapperError(error, obj);
        return [];
      }
      if (mapped === undefined) return [];
      const refs: readonly ObjectRef[] = isRefList(mapped) ? mapped : [mapped];
      const reason: ReconcileReason = { type: 'relatedObjectUpdated', related: relatedRef(obj) };
      return refs.map((ref) => ({ ref, reason }));
    }),
  );
}

function isRefList(value: ObjectRef | readonly ObjectRef[]): value is readonly ObjectRef[] {
  return Array.isArray(value);
}

/** The related object's ref, falling back to a name-only ref if it has no name. */
function relatedRef(obj: KubeObject): ObjectRef {
  return obj.metadata?.name ? ObjectRef.from(obj) : { name: '(unnamed)' };
}
