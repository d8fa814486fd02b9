/**
 * kube-controller-manager's `controller.ActivePods` order, in which a controller picks the
 * Pods it deletes first: those earliest in their life go before those further along.
 */
import { type JsonObject, num, objAt, objects, strAt } from '../json.js';
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

/**
 * Compares two Pods in `ActivePods` order (negative: `a` is deleted first): unscheduled
 * before scheduled, `Pending` before `Unknown` before `Running`, not Ready before Ready,
 * the later Ready first, more container restarts (then sidecar restarts) first, the newer
 * first.
 */
export function compareActivePods(a: JsonObject, b: JsonObject): number {
  const nodeA = String(objAt(a, 'spec').nodeName ?? '');
  const nodeB = String(objAt(b, 'spec').nodeName ?? '');
  if (nodeA !== nodeB && (nodeA === '' || nodeB === '')) return nodeA === '' ? -1 : 1;
  const phase = (p: JsonObject) => PHASE_ORDINAL.get(objAt(p, 'status').phase) ?? 0;
  if (phase(a) !== phase(b)) return phase(a) - phase(b);
  if (isReady(a) !== isReady(b)) return isReady(a) ? 1 : -1;
  if (isReady(a)) {
    const byReady = laterFirst(readyTime(a), readyTime(b));
    if (byReady !== 0) return byReady;
  }
  const [regularA, sidecarA] = maxRestarts(a);
  const [regularB, sidecarB] = maxRestarts(b);
  if (regularA !== regularB) return regularB - regularA;
  if (sidecarA !== sidecarB) return sidecarB - sidecarA;
  const created = (p: JsonObject) => timeOf(String(metaOf(p).creationTimestamp ?? ''));
  return laterFirst(created(a), created(b));
}
