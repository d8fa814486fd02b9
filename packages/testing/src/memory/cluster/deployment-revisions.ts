/**
 * The revisions kube-controller-manager's Deployment controller keeps on ReplicaSets
 * (`deployment_util.go`, `sync.go`): the `deployment.kubernetes.io/revision` annotation
 * read as a number, the annotations a new ReplicaSet takes from its Deployment (a
 * rollback's revision bump and `revision-history` among them), and which old
 * ReplicaSets `revisionHistoryLimit` lets go.
 */
import { type Json, type JsonObject, num, objAt } from '../json.js';
import { metaOf } from '../object-meta.js';
import { byCreation } from './deployment-scaling.js';

/** The annotation naming a ReplicaSet's (and its Deployment's) revision. */
export const REVISION = 'deployment.kubernetes.io/revision';
const HISTORY = 'deployment.kubernetes.io/revision-history';

/** `revisionHistoryLimit` (and the like) that means no limit. */
const MAX_INT32 = 2147483647;

/** How long the `revision-history` annotation may grow (`maxRevHistoryLengthInChars`). */
const HISTORY_MAX_CHARS = 2000;

/**
 * The annotations never copied from a Deployment to its ReplicaSet (`annotationsToSkip`):
 * kubectl's last applied configuration, the revision ones, the replica counts, and the
 * deprecated rollback request.
 */
const NOT_COPIED = new Set([
  'kubectl.kubernetes.io/last-applied-configuration',
  REVISION,
  HISTORY,
  'deployment.kubernetes.io/desired-replicas',
  'deployment.kubernetes.io/max-replicas',
  'deprecated.deployment.rollback.to',
]);

const annotationsOf = (obj: JsonObject) => objAt(metaOf(obj), 'annotations');

/**
 * `Revision`: the revision annotation of `obj` as a number (0 when absent), or undefined
 * when it is not a whole number (as Go's `ParseInt` refuses it).
 */
export function revisionOf(obj: JsonObject): number | undefined {
  const value = annotationsOf(obj)[REVISION];
  if (value === undefined) return 0;
  return typeof value === 'string' && /^[+-]?\d+$/.test(value) ? Number(value) : undefined;
}

/** `MaxRevision`: the highest revision among `sets` (those that do not parse skipped). */
export function maxRevision(sets: JsonObject[]): number {
  return Math.max(0, ...sets.map((rs) => revisionOf(rs) ?? 0));
}

/**
 * `SetNewReplicaSetAnnotations` on the annotations of the new ReplicaSet `rs` of
 * Deployment `d` (whose replica annotations `replicas` it takes when it is about to be
 * created, `exists` false): the Deployment's annotations but the skipped ones copied over;
 * the revision raised to `revision` when lower, the one it had appended to
 * `revision-history` (a rollback: that ReplicaSet is new again). Undefined when nothing
 * changes (also when its revision is no number, which the real one leaves alone).
 */
export function newReplicaSetAnnotations(
  d: JsonObject,
  rs: JsonObject,
  revision: number,
  exists: boolean,
  replicas: Record<string, string>,
): JsonObject | undefined {
  const before = annotationsOf(rs);
  const out: JsonObject = { ...before };
  let changed = false;
  for (const [k, v] of Object.entries(annotationsOf(d))) {
    if (NOT_COPIED.has(k) || out[k] === v) continue;
    out[k] = v;
    changed = true;
  }
  const old = before[REVISION];
  const oldRevision = revisionOf(rs);
  if (oldRevision === undefined && old !== '') return undefined;
  if ((oldRevision ?? 0) < revision) {
    out[REVISION] = String(revision);
    changed = true;
    if (typeof old === 'string') out[HISTORY] = appendedHistory(before[HISTORY], old);
  }
  if (!exists) {
    for (const [k, v] of Object.entries(replicas)) {
      if (out[k] !== v) changed = true;
      out[k] = v;
    }
  }
  return changed ? out : undefined;
}

/**
 * `revision-history` with `old` appended, dropping the oldest entries to stay within its
 * length limit (unchanged when even that cannot make room).
 */
function appendedHistory(history: Json | undefined, old: string): Json {
  const text = typeof history === 'string' ? history : '';
  const entries = text.split(',');
  if (entries[0] === '') return old;
  let total = text.length + old.length + 1;
  let start = 0;
  while (total > HISTORY_MAX_CHARS && start < entries.length) {
    total -= String(entries[start]).length + 1;
    start++;
  }
  return total <= HISTORY_MAX_CHARS ? [...entries.slice(start), old].join(',') : text;
}

/** Lowest revision first, then oldest (`ReplicaSetsByRevision`). */
function byRevision(a: JsonObject, b: JsonObject): number {
  const ra = revisionOf(a);
  const rb = revisionOf(b);
  if (ra === undefined || rb === undefined || ra === rb) return byCreation(a, b);
  return ra - rb;
}

/**
 * `cleanupDeployment`: of a Deployment's old ReplicaSets `old`, those to delete to keep
 * `revisionHistoryLimit` (none without one): the lowest revisions beyond the limit among
 * those not being deleted, each only if it has no replicas, wanted or reported, and its
 * ReplicaSet controller has seen its latest generation.
 */
export function beyondHistoryLimit(spec: JsonObject, old: JsonObject[]): JsonObject[] {
  const limit = spec.revisionHistoryLimit;
  if (typeof limit !== 'number' || limit === MAX_INT32) return [];
  const alive = old.filter((rs) => !metaOf(rs).deletionTimestamp);
  const excess = alive.length - limit;
  if (excess <= 0) return [];
  return alive
    .sort(byRevision)
    .slice(0, excess)
    .filter((rs) => {
      const status = objAt(rs, 'status');
      return (
        num(status.replicas) === 0 &&
        num(objAt(rs, 'spec').replicas, 1) === 0 &&
        num(metaOf(rs).generation) <= num(status.observedGeneration)
      );
    });
}
