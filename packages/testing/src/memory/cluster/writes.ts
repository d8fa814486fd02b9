/**
 * How the simulated cluster components (scheduler, kubelet, workload controllers) write:
 * through the server's own create, status-update and delete paths, as the real components
 * write through kube-apiserver, under their own field manager, so defaults, validation,
 * managedFields and watch events are those of any client write.
 */
import { createObject } from '../create-object.js';
import { deleteObject } from '../deletion.js';
import { deepEqual, isObject, type JsonObject } from '../json.js';
import { metaOf } from '../object-meta.js';
import type { ApiState } from '../state.js';
import { commitUpdate } from '../update-object.js';
import type { Scope } from '../write-scope.js';

/** A built-in resource the simulation writes. */
export interface Resource {
  readonly group: string;
  readonly version: string;
  readonly plural: string;
}

/** Pods (core/v1). */
export const PODS: Resource = { group: '', version: 'v1', plural: 'pods' };
/** Nodes (core/v1). */
export const NODES: Resource = { group: '', version: 'v1', plural: 'nodes' };
/** ReplicaSets (apps/v1). */
export const REPLICA_SETS: Resource = { group: 'apps', version: 'v1', plural: 'replicasets' };
/** ReplicationControllers (core/v1). */
export const REPLICATION_CONTROLLERS: Resource = {
  group: '',
  version: 'v1',
  plural: 'replicationcontrollers',
};
/** Deployments (apps/v1). */
export const DEPLOYMENTS: Resource = { group: 'apps', version: 'v1', plural: 'deployments' };
/** StatefulSets (apps/v1). */
export const STATEFUL_SETS: Resource = { group: 'apps', version: 'v1', plural: 'statefulsets' };
/** DaemonSets (apps/v1). */
export const DAEMON_SETS: Resource = { group: 'apps', version: 'v1', plural: 'daemonsets' };
/** ControllerRevisions (apps/v1). */
export const CONTROLLER_REVISIONS: Resource = {
  group: 'apps',
  version: 'v1',
  plural: 'controllerrevisions',
};
/** PersistentVolumeClaims (core/v1). */
export const PERSISTENT_VOLUME_CLAIMS: Resource = {
  group: '',
  version: 'v1',
  plural: 'persistentvolumeclaims',
};
/** Jobs (batch/v1). */
export const JOBS: Resource = { group: 'batch', version: 'v1', plural: 'jobs' };
/** CronJobs (batch/v1). */
export const CRON_JOBS: Resource = { group: 'batch', version: 'v1', plural: 'cronjobs' };
/** Events (core/v1). */
export const EVENTS: Resource = { group: '', version: 'v1', plural: 'events' };

/** The storage key of a resource's table (`pods`, `replicasets.apps`, …). */
export function tableOf(r: Resource): string {
  return r.group === '' ? r.plural : `${r.plural}.${r.group}`;
}

function scopeOf(s: ApiState, r: Resource, namespace: string): Scope {
  const t = s.registry.find(r.group, r.version, r.plural);
  if (t === undefined) throw new Error(`${tableOf(r)} is not served`);
  return { t, version: r.version, namespace };
}

/** Creates `obj` in `namespace` as `manager`; the stored object. */
export function createAs(
  s: ApiState,
  manager: string,
  r: Resource,
  namespace: string,
  obj: JsonObject,
): JsonObject {
  return createObject(s, scopeOf(s, r, namespace), obj, {
    defaultManager: manager,
    fieldValidation: 'Ignore',
  });
}

/**
 * Writes `status` through the status subresource as `manager`, unless it equals the stored
 * one (no write, no event, as a controller skips a no-op update); the stored object.
 */
export function writeStatus(
  s: ApiState,
  manager: string,
  r: Resource,
  obj: JsonObject,
  status: JsonObject,
): JsonObject {
  if (deepEqual(status, isObject(obj.status) ? obj.status : {})) return obj;
  const namespace = String(metaOf(obj).namespace ?? '');
  return commitUpdate(
    s,
    scopeOf(s, r, namespace),
    obj,
    { ...structuredClone(obj), status },
    { defaultManager: manager, fieldValidation: 'Ignore' },
    { subresource: 'status' },
  );
}

/**
 * Writes a new spec/metadata of `obj` (built by `change` on a copy) as `manager`; through
 * the status subresource with `subresource: 'status'` (as a controller's `UpdateStatus`,
 * which the kind's status strategy lets change annotations without a generation bump).
 */
export function updateAs(
  s: ApiState,
  manager: string,
  r: Resource,
  obj: JsonObject,
  change: (copy: JsonObject) => void,
  subresource?: 'status',
): JsonObject {
  const copy = structuredClone(obj);
  change(copy);
  if (deepEqual(copy, obj)) return obj;
  const namespace = String(metaOf(obj).namespace ?? '');
  return commitUpdate(
    s,
    scopeOf(s, r, namespace),
    obj,
    copy,
    { defaultManager: manager, fieldValidation: 'Ignore' },
    subresource ? { subresource } : {},
  );
}

/**
 * Deletes the object named `name` in `namespace` as a controller does (background
 * propagation), with `gracePeriodSeconds` when given (a kubelet ends a Pod with 0).
 */
export function deleteAs(
  s: ApiState,
  r: Resource,
  namespace: string,
  name: string,
  gracePeriodSeconds?: number,
): void {
  deleteObject(s, scopeOf(s, r, namespace), name, {
    propagationPolicy: 'Background',
    ...(gracePeriodSeconds === undefined ? {} : { gracePeriodSeconds }),
  });
}

/** The controller ownerReference of `obj`, if any. */
export function controllerOf(obj: JsonObject): JsonObject | undefined {
  const refs = metaOf(obj).ownerReferences;
  return Array.isArray(refs) ? refs.filter(isObject).find((r) => r.controller === true) : undefined;
}

/** The ownerReference a controller puts on what it creates for `owner`. */
export function ownerReference(owner: JsonObject): JsonObject {
  const meta = metaOf(owner);
  return {
    apiVersion: String(owner.apiVersion),
    kind: String(owner.kind),
    name: String(meta.name),
    uid: String(meta.uid),
    controller: true,
    blockOwnerDeletion: true,
  };
}

/** The objects of table `r` in `namespace` whose controller is `owner`. */
export function ownedBy(s: ApiState, r: Resource, owner: JsonObject): JsonObject[] {
  const meta = metaOf(owner);
  const out: JsonObject[] = [];
  for (const [, obj] of s.storage.scan(tableOf(r), String(meta.namespace ?? ''))) {
    if (controllerOf(obj)?.uid === meta.uid) out.push(obj);
  }
  return out;
}

/**
 * Whether a controller is writing: set around its sync so that it does not answer the
 * changes it commits itself (the storage reports them synchronously).
 */
export class OwnWrites {
  #active = false;

  /** Whether a write of the controller is under way. */
  get active(): boolean {
    return this.#active;
  }

  /** Runs `task` as the controller's own writes. */
  run(task: () => void): void {
    this.#active = true;
    try {
      task();
    } finally {
      this.#active = false;
    }
  }
}
