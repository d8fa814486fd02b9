/**
 * kube-controller-manager's controller history, as the StatefulSet (and DaemonSet)
 * controllers keep it: one ControllerRevision per pod template, named
 * `<owner>-<hash>` with the `controller.kubernetes.io/hash` label, the template's labels,
 * the owner as controller, its `data` (a patch that replaces the template) and a
 * `revision` number that grows with each new template; a template seen before takes the
 * next number again instead of a new revision. Revisions no Pod uses beyond the owner's
 * `revisionHistoryLimit` are deleted, oldest first.
 */
import { goMapJson } from '../go-json.js';
import { deepEqual, type JsonObject, num, objAt } from '../json.js';
import { metaOf } from '../object-meta.js';
import type { ApiState } from '../state.js';
import { objectKey } from '../storage.js';
import { controllerRevisionHash } from './template-hash.js';
import {
  CONTROLLER_REVISIONS,
  createAs,
  deleteAs,
  ownedBy,
  ownerReference,
  tableOf,
  updateAs,
} from './writes.js';

const MANAGER = 'kube-controller-manager';
/** The label holding a revision's hash. */
const HASH_LABEL = 'controller.kubernetes.io/hash';
/** kube-controller-manager keeps at most this much of the owner's name in a revision's. */
const MAX_PREFIX = 223;

function revisionOf(r: JsonObject): number {
  return num(r.revision);
}

/** The owner's revisions, oldest first (by number, then creation, then name). */
export function revisionsOf(s: ApiState, owner: JsonObject): JsonObject[] {
  return ownedBy(s, CONTROLLER_REVISIONS, owner).sort(
    (a, b) =>
      revisionOf(a) - revisionOf(b) ||
      String(metaOf(a).creationTimestamp).localeCompare(String(metaOf(b).creationTimestamp)) ||
      String(metaOf(a).name).localeCompare(String(metaOf(b).name)),
  );
}

/** The pod template a revision's data replaces the owner's with. */
export function revisionTemplate(revision: JsonObject): JsonObject {
  const template = structuredClone(objAt(objAt(objAt(revision, 'data'), 'spec'), 'template'));
  delete template.$patch;
  return template;
}

/** The revision to run `template` with, and the owner's collision count after finding it. */
export interface UpdateRevision {
  /** The stored ControllerRevision. */
  readonly revision: JsonObject;
  /** The owner's `status.collisionCount`. */
  readonly collisionCount: number;
}

/**
 * The owner's revision for `data` among `revisions` (oldest first): the newest one if it
 * holds the same data, an older one with the same data renumbered to come last, or a new
 * one (labels: `templateLabels` and the hash; annotations: `annotations`). A name taken by
 * other data moves the collision count on, as the real history does.
 */
export function updateRevision(
  s: ApiState,
  owner: JsonObject,
  revisions: JsonObject[],
  data: JsonObject,
  templateLabels: JsonObject,
  annotations: JsonObject,
  collisionCount: number,
): UpdateRevision {
  const next = revisions.length === 0 ? 1 : revisionOf(revisions[revisions.length - 1]!) + 1;
  const equal = revisions.filter((r) => deepEqual(r.data, data));
  const latestEqual = equal[equal.length - 1];
  if (latestEqual !== undefined) {
    if (latestEqual === revisions[revisions.length - 1]) {
      return { revision: latestEqual, collisionCount };
    }
    const renumbered = updateAs(s, MANAGER, CONTROLLER_REVISIONS, latestEqual, (copy) => {
      copy.revision = next;
    });
    return { revision: renumbered, collisionCount };
  }
  const meta = metaOf(owner);
  const namespace = String(meta.namespace);
  const raw = goMapJson(data);
  for (let count = collisionCount; ; count++) {
    const hash = controllerRevisionHash(raw, count);
    const name = `${String(meta.name).slice(0, MAX_PREFIX)}-${hash}`;
    const existing = s.storage.get(tableOf(CONTROLLER_REVISIONS), objectKey(namespace, name));
    if (existing !== undefined) {
      if (deepEqual(existing.data, data)) return { revision: existing, collisionCount: count };
      continue;
    }
    const revisionMeta: JsonObject = {
      name,
      labels: { ...templateLabels, [HASH_LABEL]: hash },
      ownerReferences: [ownerReference(owner)],
    };
    if (Object.keys(annotations).length > 0) revisionMeta.annotations = { ...annotations };
    const created = createAs(s, MANAGER, CONTROLLER_REVISIONS, namespace, {
      apiVersion: 'apps/v1',
      kind: 'ControllerRevision',
      metadata: revisionMeta,
      // Stored as the real history writes it: Go's map order.
      data: JSON.parse(raw) as JsonObject,
      revision: next,
    });
    return { revision: created, collisionCount: count };
  }
}

/**
 * Deletes the oldest of `revisions` (oldest first) that are not `live` (the current and
 * update revisions and those Pods run) beyond `limit` (a negative limit keeps all).
 */
export function truncateHistory(
  s: ApiState,
  revisions: JsonObject[],
  live: ReadonlySet<string>,
  limit: number,
): void {
  const history = revisions.filter((r) => !live.has(String(metaOf(r).name)));
  if (limit < 0 || history.length <= limit) return;
  for (const r of history.slice(0, history.length - limit)) {
    deleteAs(s, CONTROLLER_REVISIONS, String(metaOf(r).namespace), String(metaOf(r).name));
  }
}
