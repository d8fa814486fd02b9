/**
 * kube-controller-manager's `controller.ActivePods` order (the Job controller's) and
 * `ActivePodsWithRanks` order (the ReplicaSet controller's), in which a controller picks
 * the Pods it deletes first: those earliest in their life go before those further along.
 */
import { isObject, type JsonObject, num, objAt, objects, strAt } from '../json.js';
import { metaOf } from '../object-meta.js';
import { isReady } from './pod-template.js';

/** `podPhaseToOrdinal`: any other phase (or none) counts as `Pending`. */
const PHASE_ORDINAL: ReadonlyMap<unknown, number> = new Map([
  ['Pending', 0],
  ['Unknown', 1],
  ['Running', 2],
]);

/** A time in ms, or `undefined` for Go's zero time (unset or unreadable). */
function timeOf(text: string | undefined): number | undefined {
  const at = Date.parse(text ?? '');
  return Number.isFinite(at) ? at : undefined;
}

/** `afterOrZero` as a comparison: a zero time first, then the later one. */
function laterFirst(a: number | undefined, b: number | undefined): number {
  if (a === b) return 0;
  if (a === undefined || b === undefined) return a === undefined ? -1 : 1;
  return b - a;
}

/** The annotation a client ranks a Pod's deletion with (`PodDeletionCost`, on by default). */
const DELETION_COST = 'controller.kubernetes.io/pod-deletion-cost';

/**
 * `GetDeletionCostFromPodAnnotations`: the annotation's int32, 0 when it is absent or not
 * written as Go's check wants it (no `+`, no leading zero, within int32).
 */
function deletionCost(pod: JsonObject): number {
  const annotations = metaOf(pod).annotations;
  const value = isObject(annotations) ? annotations[DELETION_COST] : undefined;
  if (typeof value !== 'string' || !/^(-\d+|0|[1-9]\d*)$/.test(value)) return 0;
  const cost = Number(value);
  return cost >= -(2 ** 31) && cost < 2 ** 31 ? cost : 0;
}

/** `podReadyTime`: when a Ready Pod became Ready. */
function readyTime(pod: JsonObject): number | undefined {
  const ready = objects(objAt(pod, 'status').conditions).find(
    (c) => c.type === 'Ready' && c.status === 'True',
  );
  return timeOf(strAt(ready, 'lastTransitionTime'));
}

/** `maxContainerRestarts`: the most restarts of a regular container and of a sidecar. */
function maxRestarts(pod: JsonObject): [number, number] {
  const status = objAt(pod, 'status');
  const regular = Math.max(0, ...objects(status.containerStatuses).map((c) => num(c.restartCount)));
  const sidecars = new Set(
    objects(objAt(pod, 'spec').initContainers)
      .filter((c) => c.restartPolicy === 'Always')
      .map((c) => c.name),
  );
  const sidecar = Math.max(
    0,
    ...objects(status.initContainerStatuses)
      .filter((c) => sidecars.has(c.name))
      .map((c) => num(c.restartCount)),
  );
  return [regular, sidecar];
}

/** Go's `int64(math.Log2(float64(now - t)))` in nanoseconds, -1 for a time not in the past. */
function logRank(at: number, now: number): number {
  const ns = (now - at) * 1e6;
  return ns > 0 ? Math.trunc(Math.log2(ns)) : -1;
}

/**
 * Compares two times as `ActivePodsWithRanks` does with `LogarithmicScaleDown` (on by
 * default): a zero time first, otherwise the later power-of-two bucket of age first, and
 * within one bucket the lower uid first (so kube-controller-manager's choice among Pods of
 * about the same age looks random).
 */
function laterBucketFirst(
  a: number | undefined,
  b: number | undefined,
  now: number,
  uids: [string, string],
): number {
  if (a === undefined || b === undefined) return laterFirst(a, b);
  const diff = logRank(a, now) - logRank(b, now);
  if (diff !== 0) return diff;
  return uids[0] < uids[1] ? -1 : uids[0] > uids[1] ? 1 : 0;
}

/** The first steps of both orders: unscheduled, then `Pending`, `Unknown`, `Running`, then not Ready first. */
function byLifeStage(a: JsonObject, b: JsonObject): number {
  const nodeA = String(objAt(a, 'spec').nodeName ?? '');
  const nodeB = String(objAt(b, 'spec').nodeName ?? '');
  if (nodeA !== nodeB && (nodeA === '' || nodeB === '')) return nodeA === '' ? -1 : 1;
  const phase = (p: JsonObject) => PHASE_ORDINAL.get(objAt(p, 'status').phase) ?? 0;
  if (phase(a) !== phase(b)) return phase(a) - phase(b);
  if (isReady(a) !== isReady(b)) return isReady(a) ? 1 : -1;
  return 0;
}

/** `compareMaxContainerRestarts`: more restarts of a regular container, then of a sidecar, first. */
function byRestarts(a: JsonObject, b: JsonObject): number {
  const [regularA, sidecarA] = maxRestarts(a);
  const [regularB, sidecarB] = maxRestarts(b);
  return regularA !== regularB ? regularB - regularA : sidecarB - sidecarA;
}

/**
 * Compares two Pods in `ActivePods` order (negative: `a` is deleted first): unscheduled
 * before scheduled, `Pending` before `Unknown` before `Running`, not Ready before Ready,
 * the later Ready first, more container restarts (then sidecar restarts) first, the newer
 * first.
 */
export function compareActivePods(a: JsonObject, b: JsonObject): number {
  const byStage = byLifeStage(a, b);
  if (byStage !== 0) return byStage;
  if (isReady(a)) {
    const byReady = laterFirst(readyTime(a), readyTime(b));
    if (byReady !== 0) return byReady;
  }
  const restarts = byRestarts(a, b);
  if (restarts !== 0) return restarts;
  const created = (p: JsonObject) => timeOf(String(metaOf(p).creationTimestamp ?? ''));
  return laterFirst(created(a), created(b));
}

/** A Pod with its rank: how many active Pods of its controller's family share its node. */
export interface RankedPod {
  readonly pod: JsonObject;
  readonly rank: number;
}

/**
 * Compares two Pods in `ActivePodsWithRanks` order (negative: `a` is deleted first):
 * unscheduled before scheduled, `Pending` before `Unknown` before `Running`, not Ready
 * before Ready, the lower `pod-deletion-cost` first, the higher rank (doubled up on a
 * node) first, the later bucket of Ready time first, more restarts first, the later
 * bucket of age first.
 */
export function compareRankedPods(a: RankedPod, b: RankedPod, now: number): number {
  const [pa, pb] = [a.pod, b.pod];
  const byStage = byLifeStage(pa, pb);
  if (byStage !== 0) return byStage;
  if (deletionCost(pa) !== deletionCost(pb)) return deletionCost(pa) - deletionCost(pb);
  if (a.rank !== b.rank) return b.rank - a.rank;
  const uids: [string, string] = [String(metaOf(pa).uid ?? ''), String(metaOf(pb).uid ?? '')];
  if (isReady(pa)) {
    const [readyA, readyB] = [readyTime(pa), readyTime(pb)];
    if (readyA !== readyB) {
      const byReady = laterBucketFirst(readyA, readyB, now, uids);
      if (byReady !== 0) return byReady;
    }
  }
  const restarts = byRestarts(pa, pb);
  if (restarts !== 0) return restarts;
  const created = (p: JsonObject) => timeOf(String(metaOf(p).creationTimestamp ?? ''));
  const [createdA, createdB] = [created(pa), created(pb)];
  return createdA === createdB ? 0 : laterBucketFirst(createdA, createdB, now, uids);
}
