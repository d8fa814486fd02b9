/**
 * The arithmetic of kube-controller-manager's Deployment controller (`deployment_util.go`,
 * `rolling.go`, `sync.go`): `maxSurge` and `maxUnavailable` against the Deployment's size,
 * how far a rolling update may grow the new ReplicaSet, and how a change of
 * `spec.replicas` is spread over several active ReplicaSets in proportion to their sizes.
 */
import { type JsonObject, num, objAt } from '../json.js';
import { metaOf } from '../object-meta.js';

const DESIRED = 'deployment.kubernetes.io/desired-replicas';
const MAX = 'deployment.kubernetes.io/max-replicas';

/** An IntOrString against `total`: percentages rounded up (surge) or down (unavailable). */
function resolve(value: unknown, total: number, roundUp: boolean): number {
  if (typeof value === 'number') return value;
  const m = /^(\d+)%$/.exec(String(value ?? '25%'));
  const exact = (Number(m?.[1] ?? 25) * total) / 100;
  return roundUp ? Math.ceil(exact) : Math.floor(exact);
}

/**
 * `MaxUnavailable`: how many Pods may be unavailable during a rolling update (0 for
 * Recreate), 1 when both it and `maxSurge` come to 0 (`ResolveFenceposts`).
 */
export function maxUnavailable(spec: JsonObject, replicas: number): number {
  const strategy = objAt(spec, 'strategy');
  if (strategy.type === 'Recreate' || replicas === 0) return 0;
  const rolling = objAt(strategy, 'rollingUpdate');
  const unavailable = resolve(rolling.maxUnavailable, replicas, false);
  const surge = resolve(rolling.maxSurge, replicas, true);
  return Math.min(replicas, surge === 0 && unavailable === 0 ? 1 : unavailable);
}

/** A ReplicaSet's `spec.replicas`. */
export const sizeOf = (rs: JsonObject) => num(objAt(rs, 'spec').replicas, 1);

/** A ReplicaSet's `status.availableReplicas`. */
export const availableOf = (rs: JsonObject) => num(objAt(rs, 'status').availableReplicas);

/**
 * `NewRSNewReplicas` of a RollingUpdate: the new ReplicaSet's size `size` grown as far as
 * `maxSurge` lets all the ReplicaSets `sets` (their `spec.replicas`) exceed
 * `spec.replicas`, but not beyond it.
 */
export function surgedSize(spec: JsonObject, sets: JsonObject[], size: number): number {
  const replicas = num(spec.replicas, 1);
  const maxTotal = replicas + maxSurge(spec, replicas);
  const total = sets.reduce((n, rs) => n + sizeOf(rs), 0);
  return total >= maxTotal ? size : size + Math.min(maxTotal - total, replicas - size);
}

/** Oldest first, then by name (`ReplicaSetsByCreationTimestamp`). */
export function byCreation(a: JsonObject, b: JsonObject): number {
  const at = (rs: JsonObject) => String(metaOf(rs).creationTimestamp ?? '');
  return at(a).localeCompare(at(b)) || String(metaOf(a).name).localeCompare(String(metaOf(b).name));
}

/** `MaxSurge`: how many Pods a rolling update may add beyond `spec.replicas` (0 for Recreate). */
export function maxSurge(spec: JsonObject, replicas: number): number {
  const strategy = objAt(spec, 'strategy');
  if (strategy.type === 'Recreate') return 0;
  return resolve(objAt(strategy, 'rollingUpdate').maxSurge, replicas, true);
}

/** A non-negative whole number annotation of `rs`, if it has one. */
function countAnnotation(rs: JsonObject, key: string): number | undefined {
  const value = objAt(metaOf(rs), 'annotations')[key];
  return typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : undefined;
}

/**
 * `isScalingEvent`: an active ReplicaSet (`spec.replicas` > 0) was sized for another
 * `spec.replicas` than the Deployment's (its desired-replicas annotation).
 */
export function isScalingEvent(spec: JsonObject, sets: JsonObject[]): boolean {
  const replicas = num(spec.replicas, 1);
  return sets.some((rs) => {
    const desired = sizeOf(rs) > 0 ? countAnnotation(rs, DESIRED) : undefined;
    return desired !== undefined && desired !== replicas;
  });
}

/** Go's `math.Round`: halves away from zero. */
const round = (x: number) => Math.sign(x) * Math.round(Math.abs(x));

/**
 * The proportional part of `scale` for several active ReplicaSets `active` of a rolling
 * Deployment: the sizes to give them, in the order to write them (the room up to
 * `spec.replicas + maxSurge`, or the excess, shared by each one's share of the size it was
 * made for, largest first — newest first among equals when growing, oldest when shrinking
 * — the rest to the first).
 */
export function proportionalSizes(
  spec: JsonObject,
  statusReplicas: number,
  active: JsonObject[],
): [JsonObject, number][] {
  const replicas = num(spec.replicas, 1);
  const surge = maxSurge(spec, replicas);
  const allowed = replicas > 0 ? replicas + surge : 0;
  const toAdd = allowed - active.reduce((n, rs) => n + sizeOf(rs), 0);
  const sorted = [...active];
  if (toAdd !== 0) {
    sorted.sort(
      (a, b) => sizeOf(b) - sizeOf(a) || (toAdd > 0 ? byCreation(b, a) : byCreation(a, b)),
    );
  }
  let added = 0;
  const sizes = sorted.map((rs): [JsonObject, number] => {
    const size = sizeOf(rs);
    if (toAdd === 0 || size === 0 || toAdd === added) return [rs, size];
    let fraction: number;
    if (replicas === 0) fraction = -size;
    else {
      const before = countAnnotation(rs, MAX) || statusReplicas;
      fraction = before === 0 ? 0 : round((size * (replicas + surge)) / before) - size;
    }
    const left = toAdd - added;
    const share = toAdd > 0 ? Math.min(fraction, left) : Math.max(fraction, left);
    added += share;
    return [rs, size + share];
  });
  const first = sizes[0];
  if (first !== undefined && toAdd !== 0) first[1] = Math.max(0, first[1] + toAdd - added);
  return sizes;
}
