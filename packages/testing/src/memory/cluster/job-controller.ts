/**
 * kube-controller-manager's Job controller: it keeps up
 * to `parallelism` active Pods until `completions` have succeeded (Indexed Jobs: one Pod
 * per missing index, with the completion-index annotation and label and the indexed
 * name), then reports the Job complete as v1.36 does (`SuccessCriteriaMet`, then
 * `Complete` once no Pod is terminating, reason `CompletionsReached`, or `SuccessPolicy`
 * when an Indexed Job's `successPolicy` is met first and its other Pods are deleted;
 * `completionTime`). `status.startTime`,
 * `active`, `ready`, `succeeded`, `terminating` and `uncountedTerminatedPods` are kept
 * current (`succeeded` and `completedIndexes` add the Pods not counted yet to the status's,
 * so a counted Pod's deletion leaves them). Surplus active Pods (a lowered `parallelism`; an Indexed Job's repeated or
 * out-of-range indexes) are deleted (`job-pods-for-removal.ts`). Each Pod created is a `SuccessfulCreate` Event on the Job and its completion a
 * `Completed` one, from `job-controller`. `spec.suspend` deletes the active Pods and sets
 * the `Suspended` condition (`Suspended`/`Resumed` Events); more failed Pods than
 * `backoffLimit` (those its `podFailurePolicy` does not ignore), a Pod a `FailJob` rule
 * matches or a passed `activeDeadlineSeconds` fail the Job (`FailureTarget`, then `Failed`
 * once its Pods are gone, and a Warning), as do an Indexed Job's failed indexes under
 * `backoffLimitPerIndex` (`job-index-failures.ts`). Pods are created in slow-start batches; a refused
 * one is tried again after the Job work queue's back-off, and failed Pods are replaced
 * after the Pod back-off (`job-pod-backoff.ts`). Pods carry the job-tracking finalizer
 * until counted (`job-tracking-finalizer.ts`).
 */
import type { Change } from '../history.js';
import { isObject, type JsonObject, num, objAt, objects, optNum, str, strAt } from '../json.js';
import { metaOf } from '../object-meta.js';
import { type ApiState, timestamp } from '../state.js';
import { objectKey } from '../storage.js';
import { recordEvent } from './events.js';
import {
  COMPLETION_INDEX,
  completionIndex,
  indexRanges,
  statusIndexes,
} from './job-completion-index.js';
import { FailedPods } from './job-failed-pods.js';
import {
  backoffLimitPerIndex,
  failsIndex,
  failureCountAnnotations,
  lastFailedPerIndex,
  remainingIndexBackoff,
} from './job-index-failures.js';
import { PodBackoff, remainingBackoff } from './job-pod-backoff.js';
import { matchPodFailurePolicy } from './job-pod-failure-policy.js';
import { activePodsForRemoval } from './job-pods-for-removal.js';
import { matchSuccessPolicy } from './job-success-policy.js';
import {
  addTrackingFinalizer,
  hasTrackingFinalizer,
  removeTrackingFinalizer,
} from './job-tracking-finalizer.js';
import { createPod, deletePod, RetryBackoff, slowStart } from './pod-control.js';
import { isActive, isReady, isTerminating, podFromTemplate } from './pod-template.js';
import { controllerOf, JOBS, ownedBy, PODS, tableOf, writeStatus } from './writes.js';

const MANAGER = 'kube-controller-manager';
/** The recorder's `source.component`. */
const COMPONENT = 'job-controller';
/** The env variable an Indexed Job's containers read their index from. */
const INDEX_ENV = 'JOB_COMPLETION_INDEX';
/** `MaxPodCreateDeletePerSync`: the most Pods one sync creates or deletes. */
const MAX_PER_SYNC = 500;

function phaseOf(pod: JsonObject): unknown {
  return objAt(pod, 'status').phase;
}

/**
 * Why a Job finishes: the reason and message of its `FailureTarget` and `Failed`
 * conditions, or of its `SuccessCriteriaMet` and `Complete` ones.
 */
interface Finish {
  readonly reason: string;
  readonly message: string;
}

/** Runs each Job's Pods to completion and reports its status. */
export class JobController {
  readonly #failed = new FailedPods();
  /** The Job work queue's back-off: 1 s, doubling up to 60 s. */
  readonly #backoff = new RetryBackoff(1000, 60_000);
  /** The back-off before failed Pods are replaced. */
  readonly #podBackoff = new PodBackoff();
  /** Job uid → when a timer set for the end of its Pod back-off fires (ms). */
  readonly #wakeups = new Map<string, number>();
  /** The deadlines a timer is set for (`<job uid>@<startTime>`). */
  readonly #deadlines = new Set<string>();

  /** `later` calls back after a delay (an `activeDeadlineSeconds` that has yet to pass). */
  constructor(
    private readonly s: ApiState,
    private readonly later: (ms: number, task: () => void) => void,
  ) {}

  /** Observes a committed change (called synchronously by the storage). */
  observe(c: Change): void {
    if (c.resKey === tableOf(JOBS)) {
      if (c.type === 'DELETED') {
        this.#failed.forget(String(metaOf(c.object).uid));
        this.#backoff.forget(String(metaOf(c.object).uid));
        this.#podBackoff.forget(String(metaOf(c.object).uid));
      } else this.s.schedule(() => this.sync(c.namespace, String(metaOf(c.object).name)));
    } else if (c.resKey === 'pods') {
      const owner = controllerOf(c.object);
      if (c.type !== 'DELETED' && hasTrackingFinalizer(c.object)) {
        const pod = String(metaOf(c.object).name);
        this.s.schedule(() => this.#releaseOrphan(c.namespace, pod));
      }
      if (owner?.kind !== 'Job') return;
      if (c.type === 'DELETED') this.#failed.gone(String(owner.uid), c.object);
      this.s.schedule(() => this.sync(c.namespace, String(owner.name)));
    }
  }

  /** Syncs the Job again in `ms`, when its Pod back-off ends (one timer at a time). */
  #wakeUp(uid: string, namespace: string, name: string, ms: number): void {
    const due = Date.now() + ms;
    const pending = this.#wakeups.get(uid);
    if (pending !== undefined && pending <= due && pending > Date.now()) return;
    this.#wakeups.set(uid, due);
    this.later(ms, () => {
      if (this.#wakeups.get(uid) === due) this.#wakeups.delete(uid);
      this.sync(namespace, name);
    });
  }

  /**
   * Takes the tracking finalizer off Pod `namespace`/`name` if no Job will account for it:
   * its controlling Job is gone (or another of that name), being deleted or finished, or no
   * Job controls it (the real controller's orphan queue).
   */
  #releaseOrphan(namespace: string, name: string): void {
    const pod = this.s.storage.get('pods', objectKey(namespace, name));
    if (pod === undefined || !hasTrackingFinalizer(pod)) return;
    const owner = controllerOf(pod);
    const job =
      owner?.kind === 'Job'
        ? this.s.storage.get(tableOf(JOBS), objectKey(namespace, String(owner.name)))
        : undefined;
    if (
      job === undefined ||
      metaOf(job).uid !== owner?.uid ||
      metaOf(job).deletionTimestamp ||
      isFinished(job)
    )
      removeTrackingFinalizer(this.s, namespace, name);
  }

  /** Reconciles one Job. */
  sync(namespace: string, name: string): void {
    const job = this.s.storage.get(tableOf(JOBS), objectKey(namespace, name));
    if (job === undefined || metaOf(job).deletionTimestamp) return;
    const uid = String(metaOf(job).uid);
    const spec = objAt(job, 'spec');
    const old = objAt(job, 'status');
    const conditions = Array.isArray(old.conditions) ? old.conditions.filter(isObject) : [];
    if (isFinished(job)) {
      this.#failed.forget(uid);
      this.#podBackoff.forget(uid);
      return;
    }
    const suspended = spec.suspend === true;
    const completions = optNum(spec.completions);
    const parallelism = num(spec.parallelism, 1);
    const indexed = spec.completionMode === 'Indexed';
    const pods = ownedBy(this.s, PODS, job);
    let active = pods.filter(isActive);
    // As the real controller, the status keeps the count: a succeeded Pod adds to it once,
    // while it holds the tracking finalizer (a counted Pod a client deletes leaves it be).
    const newlySucceeded = this.#podBackoff.unseen(
      uid,
      pods.filter(
        (p) =>
          phaseOf(p) === 'Succeeded' &&
          hasTrackingFinalizer(p) &&
          (!indexed || (completionIndex(p) ?? Infinity) < (completions ?? 0)),
      ),
    );
    const doneIndexes = new Set<number>();
    if (indexed) {
      for (const i of statusIndexes(old.completedIndexes, completions ?? 0)) doneIndexes.add(i);
      for (const pod of newlySucceeded) doneIndexes.add(completionIndex(pod) ?? 0);
    }
    const succeeded = indexed ? doneIndexes.size : num(old.succeeded) + newlySucceeded.length;
    const onlyFailed = onlyReplaceFailedPods(spec);
    // `backoffLimitPerIndex`: the failed indexes (the status's and those a Pod fails now) and
    // each other index's last failed Pod, kept (and not counted) until a Pod replaces it.
    const perIndex = indexed ? backoffLimitPerIndex(spec) : undefined;
    const failedIndexes = new Set<number>();
    let lastFailed = new Map<number, JsonObject>();
    if (perIndex !== undefined) {
      const tracked = pods.filter(
        (p) =>
          hasTrackingFinalizer(p) &&
          (completionIndex(p) ?? Infinity) < (completions ?? 0) &&
          this.#failed.failed(p, onlyFailed),
      );
      for (const i of statusIndexes(old.failedIndexes, completions ?? 0)) failedIndexes.add(i);
      for (const pod of tracked)
        if (failsIndex(spec, pod, perIndex)) failedIndexes.add(completionIndex(pod) ?? 0);
      const taken = new Set([...doneIndexes, ...failedIndexes, ...indexesOf(active)]);
      lastFailed = lastFailedPerIndex(tracked, taken);
    }
    const held = new Set(lastFailed.values());
    const newlyFailed = this.#failed.uncounted(uid, pods, onlyFailed).filter((p) => !held.has(p));
    let failed = num(old.failed) + countedFailures(spec, newlyFailed);
    const backoff = this.#podBackoff.next(uid, newlySucceeded, newlyFailed);
    let terminating = pods.filter(isTerminating).length;
    const now = timestamp();
    // A suspended Job has not started (`MutableSchedulingDirectivesForSuspendedJobs`, on
    // in v1.36, clears the time when it is suspended).
    let startTime = strAt(old, 'startTime') ?? (suspended ? undefined : now);
    // Success criteria met in an earlier sync stand; failures are not looked for then.
    const met = conditions.find((c) => c.type === 'SuccessCriteriaMet' && c.status === 'True');
    const failure = met
      ? undefined
      : (this.#failure(job, conditions, failed, pods, onlyFailed, startTime) ??
        indexesFailure(spec, failedIndexes, doneIndexes.size));
    let failedNow = false;
    if (failure !== undefined) {
      // Its active Pods go and count as failed; `Failed` is written once none is left.
      const deleted = this.#delete(job, active, true);
      newlyFailed.push(...deleted);
      failed += countedFailures(spec, deleted);
      terminating += deleted.length;
      failedNow = terminating === 0 && deleted.length === active.length;
      if (!conditions.some((c) => c.type === 'FailureTarget' && c.status === 'True'))
        conditions.push(condition('FailureTarget', 'True', failure.reason, failure.message, now));
      if (failedNow)
        conditions.push(condition('Failed', 'True', failure.reason, failure.message, now));
      active = active.filter((p) => !deleted.includes(p));
    }
    let success: Finish | undefined = met && { reason: str(met.reason), message: str(met.message) };
    if (failure === undefined && success === undefined) {
      const message = indexed && matchSuccessPolicy(spec, completions ?? 0, doneIndexes);
      if (message) success = { reason: 'SuccessPolicy', message };
      else if (
        completions === undefined ? succeeded > 0 && active.length === 0 : succeeded >= completions
      )
        success = {
          reason: 'CompletionsReached',
          message: 'Reached expected number of succeeded pods',
        };
    }
    let completeNow = false;
    if (success !== undefined) {
      // The Pods still running go, not counted as failed (the real controller drops their
      // finalizer first); `Complete` is written once none is terminating.
      const deleted = this.#delete(job, active, false);
      terminating += deleted.length;
      completeNow = terminating === 0 && deleted.length === active.length;
      if (met === undefined)
        conditions.push(
          condition('SuccessCriteriaMet', 'True', success.reason, success.message, now),
        );
      if (completeNow)
        conditions.push(condition('Complete', 'True', success.reason, success.message, now));
      active = active.filter((p) => !deleted.includes(p));
    } else if (failure === undefined && suspended) {
      const deleted = this.#delete(job, active, false);
      terminating += deleted.length;
      active = active.filter((p) => !deleted.includes(p));
    } else if (failure === undefined) {
      const want = wantActive(completions, parallelism, succeeded, active.length);
      const atLeast = active.length - want;
      const surplus = activePodsForRemoval(active, atLeast, indexed ? completions : undefined);
      // `podReplacementPolicy: Failed`: a Pod being deleted is replaced once it has failed.
      const replacing = onlyFailed ? terminating : 0;
      const toCreate = Math.min(want - replacing - active.length, MAX_PER_SYNC);
      let wait = toCreate > 0 && perIndex === undefined ? remainingBackoff(backoff, Date.now()) : 0;
      let indexes: number[] | undefined;
      if (indexed && toCreate > 0) {
        const taken = [...doneIndexes, ...failedIndexes, ...indexesOf(active)];
        if (onlyFailed) taken.push(...indexesOf(pods.filter(isTerminating)));
        indexes = pendingIndexes(toCreate, completions ?? 0, new Set(taken));
        // `backoffLimitPerIndex`: each index waits for its own back-off.
        const waits = indexes.map((i) => remainingIndexBackoff(lastFailed.get(i), Date.now()));
        const ready = indexes.filter((_, k) => waits[k] === 0);
        if (ready.length === 0 && indexes.length > 0) wait = Math.min(...waits);
        indexes = ready;
      }
      if (surplus.length > 0) {
        // Too many (or, Indexed, a repeated or invalid index): they go, not counted as
        // failed, and nothing is created in the same sync.
        const deleted = this.#delete(job, surplus.slice(0, MAX_PER_SYNC), false);
        terminating += deleted.length;
        active = active.filter((p) => !deleted.includes(p));
      } else if (wait > 0) this.#wakeUp(uid, namespace, name, wait);
      else if (toCreate > 0 && indexes?.length !== 0) {
        const error = this.#create(job, toCreate, indexes, lastFailed);
        if (error === undefined) {
          this.#backoff.forget(uid);
          return;
        }
        // The sync fails: its status is written with the Pods there are, and the work
        // queue tries again after a back-off.
        active = ownedBy(this.s, PODS, job).filter(isActive);
        this.later(this.#backoff.next(uid), () => this.sync(namespace, name));
      } else this.#backoff.forget(uid);
    }
    // The `Suspended` condition follows `spec.suspend` (it is added only to suspend).
    let suspension: 'Suspended' | 'Resumed' | undefined;
    if (failure === undefined && success === undefined) {
      const at = conditions.findIndex((c) => c.type === 'Suspended');
      const current = conditions[at];
      if (suspended && current?.status !== 'True') {
        suspension = 'Suspended';
        startTime = undefined;
        const next = condition('Suspended', 'True', 'JobSuspended', 'Job suspended', now);
        if (current === undefined) conditions.push(next);
        else conditions[at] = next;
      } else if (!suspended && current !== undefined && current.status !== 'False') {
        suspension = 'Resumed';
        startTime = now;
        conditions[at] = condition('Suspended', 'False', 'JobResumed', 'Job resumed', now);
      }
    }
    if (failure !== undefined || success !== undefined) {
      // Finishing, the Job counts the failed Pods it held for their index's next Pod too.
      const rest = [...held].filter((p) => !newlyFailed.includes(p));
      newlyFailed.push(...rest);
      failed += countedFailures(spec, rest);
    }
    const status: JsonObject = {};
    if (conditions.length > 0) status.conditions = conditions;
    if (startTime !== undefined) status.startTime = startTime;
    if (completeNow) status.completionTime = now;
    if (active.length > 0) status.active = active.length;
    if (succeeded > 0) status.succeeded = succeeded;
    if (failed > 0) status.failed = failed;
    if (indexed && doneIndexes.size > 0)
      status.completedIndexes = indexRanges([...doneIndexes].sort((a, b) => a - b));
    if (perIndex !== undefined)
      status.failedIndexes = indexRanges([...failedIndexes].sort((a, b) => a - b));
    status.terminating = terminating;
    status.uncountedTerminatedPods = {};
    status.ready = active.filter(isReady).length;
    // The real controller records the suspension before it writes the status.
    if (suspension !== undefined)
      recordEvent(this.s, COMPONENT, job, 'Normal', suspension, `Job ${suspension.toLowerCase()}`);
    const written = writeStatus(this.s, MANAGER, JOBS, job, status);
    this.#failed.count(uid, newlyFailed);
    this.#podBackoff.save(uid, backoff, newlySucceeded);
    // Counted, the Pods that finished or are being deleted (all of them once the Job
    // finishes) are let go.
    const finishing = failure !== undefined || success !== undefined;
    for (const pod of ownedBy(this.s, PODS, job)) {
      if (finishing || (!isActive(pod) && !held.has(pod)))
        removeTrackingFinalizer(this.s, namespace, String(metaOf(pod).name));
    }
    if (failedNow && failure !== undefined) {
      // `recordJobFinished`, once the finished status is written.
      recordEvent(this.s, COMPONENT, written, 'Warning', failure.reason, failure.message);
    } else if (completeNow) {
      if (completions !== undefined && succeeded > completions) {
        recordEvent(
          this.s,
          COMPONENT,
          written,
          'Warning',
          'TooManySucceededPods',
          'Too many succeeded pods running after completion count reached',
        );
      }
      recordEvent(this.s, COMPONENT, written, 'Normal', 'Completed', 'Job completed');
    }
  }

  /**
   * Why the Job fails, if it does: a `FailureTarget` already written, a failed Pod a
   * `FailJob` rule of the `podFailurePolicy` matches, more failed Pods than `backoffLimit` (or, for `OnFailure` Pods, as many container restarts), or
   * `activeDeadlineSeconds` past since `startTime` (while it has not passed, the Job is
   * synced again when it does).
   */
  #failure(
    job: JsonObject,
    conditions: JsonObject[],
    failed: number,
    pods: JsonObject[],
    onlyFailed: boolean,
    startTime: string | undefined,
  ): Finish | undefined {
    const target = conditions.find((c) => c.type === 'FailureTarget' && c.status === 'True');
    if (target !== undefined)
      return { reason: String(target.reason), message: String(target.message) };
    const spec = objAt(job, 'spec');
    for (const pod of pods) {
      if (!this.#failed.failed(pod, onlyFailed)) continue;
      const message = matchPodFailurePolicy(spec, pod).failJob;
      if (message !== undefined) return { reason: 'PodFailurePolicy', message };
    }
    const limit = num(spec.backoffLimit, 6);
    if (failed > limit || pastBackoffLimitOnFailure(spec, pods, limit)) {
      return {
        reason: 'BackoffLimitExceeded',
        message: 'Job has reached the specified backoff limit',
      };
    }
    const deadline = spec.activeDeadlineSeconds;
    if (typeof deadline !== 'number' || startTime === undefined || spec.suspend === true) return;
    const left = Date.parse(startTime) + deadline * 1000 - Date.now();
    if (left <= 0) {
      return {
        reason: 'DeadlineExceeded',
        message: 'Job was active longer than specified deadline',
      };
    }
    const meta = metaOf(job);
    const due = `${String(meta.uid)}@${startTime}`;
    if (!this.#deadlines.has(due)) {
      this.#deadlines.add(due);
      this.later(left, () => {
        this.#deadlines.delete(due);
        this.sync(String(meta.namespace), String(meta.name));
      });
    }
    return undefined;
  }

  /**
   * Deletes `pods` of `job` (`counted`: as failed; otherwise their failure is not
   * counted, as the real controller removes their tracking finalizer first); those deleted.
   */
  #delete(job: JsonObject, pods: JsonObject[], counted: boolean): JsonObject[] {
    const deleted: JsonObject[] = [];
    for (const pod of pods) {
      if (!counted) this.#failed.deleteUncounted(pod);
      try {
        deletePod(this.s, COMPONENT, job, pod);
        deleted.push(pod);
      } catch {
        // Recorded as `FailedDelete` (unless gone already); the next sync tries again.
      }
    }
    return deleted;
  }

  /**
   * Creates `count` Pods of `job` in slow-start batches (Indexed: one for each of
   * `indexes`, with, under `backoffLimitPerIndex`, the counts of the index's `lastFailed`
   * Pod); the first refusal, if one stopped it.
   */
  #create(
    job: JsonObject,
    count: number,
    indexes: number[] | undefined,
    lastFailed: ReadonlyMap<number, JsonObject>,
  ): unknown {
    const namespace = String(metaOf(job).namespace);
    const name = String(metaOf(job).name);
    const jobSpec = objAt(job, 'spec');
    const template = jobSpec.template;
    let next = 0;
    return slowStart(indexes?.length ?? count, () => {
      const index = indexes?.[next++];
      if (index === undefined) {
        const pod = addTrackingFinalizer(podFromTemplate(job, template));
        createPod(this.s, COMPONENT, job, namespace, pod);
        return;
      }
      const value = String(index);
      const counts =
        backoffLimitPerIndex(jobSpec) === undefined
          ? {}
          : failureCountAnnotations(jobSpec, lastFailed.get(index));
      const pod = podFromTemplate(job, template, {
        generateName: `${name}-${value}-`,
        labels: { [COMPLETION_INDEX]: value },
        annotations: { [COMPLETION_INDEX]: value, ...counts },
      });
      // As the real controller: the index as the host name and in each container's env.
      const spec = objAt(pod, 'spec');
      spec.hostname = `${name}-${value}`;
      for (const c of [...objects(spec.initContainers), ...objects(spec.containers)]) {
        const env = objects(c.env);
        if (env.some((e) => e.name === INDEX_ENV)) continue;
        const fieldPath = `metadata.labels['${COMPLETION_INDEX}']`;
        c.env = [...env, { name: INDEX_ENV, valueFrom: { fieldRef: { fieldPath } } }];
      }
      createPod(this.s, COMPONENT, job, namespace, addTrackingFinalizer(pod));
    });
  }
}

/**
 * `onlyReplaceFailedPods`: `podReplacementPolicy: Failed`, or a `podFailurePolicy` (which
 * defaults it so), makes a Pod being deleted neither failed nor replaced until it is in
 * phase `Failed`.
 */
function onlyReplaceFailedPods(spec: JsonObject): boolean {
  return spec.podReplacementPolicy === 'Failed' || isObject(spec.podFailurePolicy);
}

/** How many of the failed `pods` count in `status.failed` (those the policy does not ignore). */
function countedFailures(spec: JsonObject, pods: JsonObject[]): number {
  return pods.filter((p) => matchPodFailurePolicy(spec, p).counted).length;
}

/** Whether the Job has finished: `Complete` or `Failed`. */
function isFinished(job: JsonObject): boolean {
  const conditions = objects(objAt(job, 'status').conditions);
  return conditions.some(
    (c) => (c.type === 'Complete' || c.type === 'Failed') && c.status === 'True',
  );
}

/** A Job condition as `newCondition` makes it: probed and changed `now`. */
function condition(
  type: string,
  status: string,
  reason: string,
  message: string,
  now: string,
): JsonObject {
  return { type, status, lastProbeTime: now, lastTransitionTime: now, reason, message };
}

/** `pastBackoffLimitOnFailure`: the restarts of the containers of running or pending `OnFailure` Pods reach the limit (pass 0). */
function pastBackoffLimitOnFailure(spec: JsonObject, pods: JsonObject[], limit: number): boolean {
  if (objAt(objAt(spec, 'template'), 'spec').restartPolicy !== 'OnFailure') return false;
  let restarts = 0;
  for (const pod of pods) {
    const status = objAt(pod, 'status');
    if (status.phase !== 'Running' && status.phase !== 'Pending') continue;
    for (const key of ['initContainerStatuses', 'containerStatuses']) {
      const list = status[key];
      for (const c of Array.isArray(list) ? list.filter(isObject) : []) {
        restarts += num(c.restartCount);
      }
    }
  }
  return limit === 0 ? restarts > 0 : restarts >= limit;
}

/**
 * How many active Pods the Job wants: without `completions`, `parallelism` until one has
 * succeeded, then those it has; otherwise the completions left, at most `parallelism`.
 */
function wantActive(
  completions: number | undefined,
  parallelism: number,
  succeeded: number,
  active: number,
): number {
  if (completions === undefined) return succeeded > 0 ? active : parallelism;
  return Math.max(0, Math.min(completions - succeeded, parallelism));
}

/** The completion indexes `pods` hold. */
function indexesOf(pods: readonly JsonObject[]): number[] {
  return pods.map(completionIndex).filter((i) => i !== undefined);
}

/** `firstPendingIndexes`: the `count` lowest indexes below `completions` not `taken`. */
function pendingIndexes(count: number, completions: number, taken: ReadonlySet<number>): number[] {
  const out: number[] = [];
  for (let i = 0; i < completions && out.length < count; i++) if (!taken.has(i)) out.push(i);
  return out;
}

/**
 * How an Indexed Job with `backoffLimitPerIndex` fails on its failed indexes: more than
 * `maxFailedIndexes`, or some failed once every index has succeeded or failed.
 */
function indexesFailure(
  spec: JsonObject,
  failed: ReadonlySet<number>,
  succeeded: number,
): Finish | undefined {
  if (typeof spec.maxFailedIndexes === 'number' && failed.size > spec.maxFailedIndexes) {
    return {
      reason: 'MaxFailedIndexesExceeded',
      message: 'Job has exceeded the specified maximal number of failed indexes',
    };
  }
  if (failed.size > 0 && failed.size + succeeded >= num(spec.completions))
    return { reason: 'FailedIndexes', message: 'Job has failed indexes' };
  return undefined;
}
