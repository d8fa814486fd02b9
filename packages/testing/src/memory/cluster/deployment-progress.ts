/**
 * The conditions kube-controller-manager's Deployment controller keeps (`progress.go`,
 * `sync.go`, `deployment_util.go`): how one is set among the others, the `Progressing`
 * condition of a pause or a resume, and the one a rollout's progress, completion or lack
 * of progress for `progressDeadlineSeconds` gives, with when to look again for a rollout
 * that has yet to time out.
 */
import { isObject, type JsonObject, num } from '../json.js';

/** `progressDeadlineSeconds` that means no deadline. */
const MAX_INT32 = 2147483647;

const PROGRESSING = 'Progressing';
const COMPLETE = 'NewReplicaSetAvailable';
const TIMED_OUT = 'ProgressDeadlineExceeded';
const PAUSED = 'DeploymentPaused';

/** A Deployment status's `conditions`. */
export function conditionsOf(status: JsonObject): JsonObject[] {
  return Array.isArray(status.conditions) ? status.conditions.filter(isObject) : [];
}

/** `HasProgressDeadline`: `progressDeadlineSeconds` set to less than the largest int32. */
export function hasProgressDeadline(spec: JsonObject): boolean {
  return (
    typeof spec.progressDeadlineSeconds === 'number' && spec.progressDeadlineSeconds !== MAX_INT32
  );
}

const find = (conditions: JsonObject[], type: string) => conditions.find((c) => c.type === type);

/**
 * `SetDeploymentCondition`: `conditions` with the condition given (stamped `now`) in
 * place of the one of its type, moved to the end; unchanged when that one has the same
 * status and reason; its `lastTransitionTime` kept while its status stays.
 */
export function setCondition(
  conditions: JsonObject[],
  now: string,
  type: string,
  status: string,
  reason: string,
  message: string,
): JsonObject[] {
  const before = find(conditions, type);
  if (before?.status === status && before.reason === reason) return conditions;
  const since = before?.status === status ? before.lastTransitionTime : undefined;
  return [
    ...conditions.filter((c) => c.type !== type),
    { type, status, lastUpdateTime: now, lastTransitionTime: since ?? now, reason, message },
  ];
}

/**
 * `checkPausedConditions`: with a progress deadline, the `Progressing` condition `Unknown`
 * when a Deployment is paused (`DeploymentPaused`) or resumed (`DeploymentResumed`), so
 * that the time it spent paused never counts against the deadline; undefined when nothing
 * changes (no deadline, already said, or a timeout that a pause does not overwrite).
 */
export function pausedConditions(
  spec: JsonObject,
  conditions: JsonObject[],
  now: string,
): JsonObject[] | undefined {
  if (!hasProgressDeadline(spec)) return undefined;
  const reason = find(conditions, PROGRESSING)?.reason;
  if (reason === TIMED_OUT) return undefined;
  const paused = spec.paused === true;
  if (paused === (reason === PAUSED)) return undefined;
  return paused
    ? setCondition(conditions, now, PROGRESSING, 'Unknown', PAUSED, 'Deployment is paused')
    : setCondition(
        conditions,
        now,
        PROGRESSING,
        'Unknown',
        'DeploymentResumed',
        'Deployment is resumed',
      );
}

/** The counts of a Deployment status that tell its rollout's progress. */
export interface RolloutCounts {
  readonly replicas: number;
  readonly updatedReplicas: number;
  readonly readyReplicas: number;
  readonly availableReplicas: number;
}

/** A status's counts (absent ones 0). */
export function countsOf(status: JsonObject): RolloutCounts {
  return {
    replicas: num(status.replicas),
    updatedReplicas: num(status.updatedReplicas),
    readyReplicas: num(status.readyReplicas),
    availableReplicas: num(status.availableReplicas),
  };
}

/** `DeploymentComplete`: every one of `spec.replicas` updated and available, and no more. */
export function rolloutComplete(spec: JsonObject, now: RolloutCounts): boolean {
  const replicas = num(spec.replicas, 1);
  return (
    now.updatedReplicas === replicas &&
    now.replicas === replicas &&
    now.availableReplicas === replicas
  );
}

/**
 * `DeploymentProgressing`: more Pods updated, ready or available than `before`, or fewer
 * old ones.
 */
function progressed(before: RolloutCounts, now: RolloutCounts): boolean {
  return (
    now.updatedReplicas > before.updatedReplicas ||
    now.replicas - now.updatedReplicas < before.replicas - before.updatedReplicas ||
    now.readyReplicas > before.readyReplicas ||
    now.availableReplicas > before.availableReplicas
  );
}

/** When `condition` (a `Progressing` one) passes the deadline, in ms since the epoch. */
function deadlineOf(spec: JsonObject, condition: JsonObject): number {
  return Date.parse(String(condition.lastUpdateTime)) + num(spec.progressDeadlineSeconds) * 1000;
}

/**
 * The `Progressing` part of `syncRolloutStatus` on `conditions` (the new status's, whose
 * counts are `now`; those of the status before are `before`): none without a deadline;
 * left alone once a rollout completed with no old Pods left; otherwise `True`
 * `NewReplicaSetAvailable` when it completes, `ReplicaSetUpdated` stamped afresh at each
 * sign of progress, and `False` `ProgressDeadlineExceeded` once the condition's
 * `lastUpdateTime` is `progressDeadlineSeconds` old. `subject` is what the messages name
 * (`ReplicaSet "<new one>"`).
 */
export function rolloutConditions(
  spec: JsonObject,
  conditions: JsonObject[],
  before: RolloutCounts,
  now: RolloutCounts,
  subject: string,
  stamp: string,
): JsonObject[] {
  if (!hasProgressDeadline(spec)) return conditions.filter((c) => c.type !== PROGRESSING);
  const current = find(conditions, PROGRESSING);
  if (now.replicas === now.updatedReplicas && current?.reason === COMPLETE) return conditions;
  const set = (status: string, reason: string, message: string) =>
    setCondition(conditions, stamp, PROGRESSING, status, reason, message);
  if (rolloutComplete(spec, now))
    return set('True', COMPLETE, `${subject} has successfully progressed.`);
  if (progressed(before, now)) {
    const since = current?.status === 'True' ? current.lastTransitionTime : undefined;
    return [
      ...conditions.filter((c) => c.type !== PROGRESSING),
      {
        type: PROGRESSING,
        status: 'True',
        lastUpdateTime: stamp,
        lastTransitionTime: since ?? stamp,
        reason: 'ReplicaSetUpdated',
        message: `${subject} is progressing.`,
      },
    ];
  }
  if (current === undefined || current.reason === COMPLETE) return conditions;
  if (current.reason === TIMED_OUT || deadlineOf(spec, current) < Date.now())
    return set('False', TIMED_OUT, `${subject} has timed out progressing.`);
  return conditions;
}

/**
 * `requeueStuckDeployment`, for a sync that changed nothing: how many ms until the
 * `Progressing` condition of the status `conditions` passes the deadline plus a second
 * (the real one adds it against clock skew; within the last second it looks again at
 * once, rate limited), or undefined when there is nothing to wait for (no deadline or
 * condition, a complete rollout, a timeout already said).
 */
export function progressCheckDelay(
  spec: JsonObject,
  conditions: JsonObject[],
  now: RolloutCounts,
): number | undefined {
  const current = find(conditions, PROGRESSING);
  if (!hasProgressDeadline(spec) || current === undefined) return undefined;
  if (rolloutComplete(spec, now) || current.reason === TIMED_OUT) return undefined;
  const after = deadlineOf(spec, current) - Date.now();
  return after < 1000 ? Math.max(after, 0) + 5 : after + 1000;
}
