/**
 * A Job's status update, checked as kube-apiserver's Job status strategy checks it with
 * JobManagedBy on (GA in v1.36): counts not negative, uncounted pods unique, and the
 * consistency rules of conditions, times, counters and index lists, each checked only when
 * a field it reads changed (so a status the controller will mend does not block others).
 */
import type { StatusCause } from '../errors.js';
import { deepEqual, isObject, type Json, type JsonObject, num } from '../json.js';
import { duplicate, invalidOmitted, invalidValue, notNegative, required } from '../validation.js';
import { parseIndexes } from './job-indexes.js';
import { FIELD_IMMUTABLE } from './kind-rules.js';

const statusOf = (job: JsonObject): JsonObject => (isObject(job.status) ? job.status : {});
const specOf = (job: JsonObject): JsonObject => (isObject(job.spec) ? job.spec : {});
const isSet = (v: Json | undefined): boolean => v !== undefined && v !== null;

/** Whether the Job has a condition of `type` with status `True` (or `False`). */
function hasCondition(job: JsonObject, type: string, status = 'True'): boolean {
  const conditions = statusOf(job).conditions;
  return (
    Array.isArray(conditions) &&
    conditions.some((c) => isObject(c) && c.type === type && c.status === status)
  );
}

const complete = (job: JsonObject) => hasCondition(job, 'Complete');
const failed = (job: JsonObject) => hasCondition(job, 'Failed');
const failureTarget = (job: JsonObject) => hasCondition(job, 'FailureTarget');
const criteriaMet = (job: JsonObject) => hasCondition(job, 'SuccessCriteriaMet');
const finished = (job: JsonObject) => complete(job) || failed(job);

/** The internal `UncountedTerminatedPods` as kube-apiserver quotes it. */
function goUncounted(v: JsonObject): Json {
  return { Succeeded: v.succeeded ?? null, Failed: v.failed ?? null };
}

function uncountedCauses(status: JsonObject): StatusCause[] {
  const uncounted = status.uncountedTerminatedPods;
  if (!isObject(uncounted)) return [];
  const causes: StatusCause[] = [];
  const seen = new Set<Json>();
  for (const key of ['succeeded', 'failed']) {
    const uids = Array.isArray(uncounted[key]) ? uncounted[key] : [];
    uids.forEach((uid, i) => {
      const at = `status.uncountedTerminatedPods.${key}[${i}]`;
      if (uid === '') causes.push(invalidValue(at, uid, 'must not be empty'));
      else if (seen.has(uid)) causes.push(duplicate(at, uid));
      else seen.add(uid);
    });
  }
  return causes;
}

/** `validateFailedIndexesNotOverlapCompleted`: the first index in both lists, if any. */
function overlap(
  completedText: string,
  failedText: string,
  completions: number,
): number | undefined {
  const parse = (text: string) =>
    text === ''
      ? []
      : text.split(',').map((part) => {
          const one = parseIndexes(part, completions);
          return typeof one === 'string' ? undefined : one[0];
        });
  const completedList = parse(completedText);
  const failedList = parse(failedText);
  let c = 0;
  let f = 0;
  while (c < completedList.length && f < failedList.length) {
    const ci = completedList[c];
    const fi = failedList[f];
    if (!ci) c++;
    else if (!fi) f++;
    else {
      if (ci[0] <= fi[1] && fi[0] <= ci[1]) return Math.max(ci[0], fi[0]);
      if (ci[0] <= fi[0]) c++;
      else f++;
    }
  }
  return undefined;
}

/** The cause of a status index list (`completedIndexes`, `failedIndexes`) that does not parse. */
function listCauses(key: string, text: string, completions: number): StatusCause[] {
  const parsed = parseIndexes(text, completions);
  return typeof parsed === 'string'
    ? [invalidValue(`status.${key}`, text, `error parsing ${key}: ${parsed}`)]
    : [];
}

/** The checks of the status's index lists (each when it changed). */
function indexesCauses(job: JsonObject, old: JsonObject): StatusCause[] {
  const spec = specOf(job);
  const status = statusOf(job);
  const oldStatus = statusOf(old);
  const completedText = typeof status.completedIndexes === 'string' ? status.completedIndexes : '';
  const oldCompleted =
    typeof oldStatus.completedIndexes === 'string' ? oldStatus.completedIndexes : '';
  const completedChanged = completedText !== oldCompleted;
  const failedIndexes = status.failedIndexes;
  const failedChanged = !deepEqual(failedIndexes ?? null, oldStatus.failedIndexes ?? null);
  const completions = typeof spec.completions === 'number' ? spec.completions : undefined;
  const hasFailed = typeof failedIndexes === 'string';
  const causes: StatusCause[] = [];
  if (completedChanged && completions !== undefined) {
    causes.push(...listCauses('completedIndexes', completedText, completions));
  }
  if (failedChanged && completions !== undefined && isSet(spec.backoffLimitPerIndex) && hasFailed) {
    causes.push(...listCauses('failedIndexes', failedIndexes, completions));
  }
  if (completedChanged && completedText !== '' && spec.completionMode !== 'Indexed') {
    causes.push(
      invalidValue(
        'status.completedIndexes',
        completedText,
        'cannot set non-empty completedIndexes when non-indexed completion mode',
      ),
    );
  }
  if (failedChanged && !isSet(spec.backoffLimitPerIndex) && hasFailed) {
    causes.push(
      invalidValue(
        'status.failedIndexes',
        failedIndexes,
        'cannot set non-null failedIndexes when backoffLimitPerIndex is null',
      ),
    );
  }
  if ((failedChanged || completedChanged) && completions !== undefined && hasFailed) {
    const at = overlap(completedText, failedIndexes, completions);
    if (at !== undefined) {
      causes.push(
        invalidValue(
          'status.failedIndexes',
          failedIndexes,
          `failedIndexes and completedIndexes overlap at index: ${at}`,
        ),
      );
    }
  }
  return causes;
}

/** `validateJobStatus` with the options the strategy derives from what changed. */
function statusCauses(job: JsonObject, old: JsonObject): StatusCause[] {
  const status = statusOf(job);
  const oldStatus = statusOf(old);
  const changed = (key: string) => !deepEqual(status[key] ?? null, oldStatus[key] ?? null);
  const completeChanged = complete(job) !== complete(old);
  const failedChanged = failed(job) !== failed(old);
  const finishedChanged = finished(job) !== finished(old);
  const targetChanged = failureTarget(job) !== failureTarget(old);
  const criteriaChanged = criteriaMet(job) !== criteriaMet(old);
  const activeChanged = num(status.active) !== num(oldStatus.active);
  const startChanged = changed('startTime');
  const completionChanged = changed('completionTime');
  const spec = specOf(job);
  const zeroSuspended = spec.suspend === true && spec.completions === 0;
  const causes: StatusCause[] = [];
  for (const key of ['active', 'succeeded', 'failed', 'ready', 'terminating']) {
    causes.push(...notNegative(`status.${key}`, status[key]));
  }
  causes.push(...uncountedCauses(status));
  const conditionsCause = (why: string) => invalidOmitted('status.conditions', why);
  if ((completeChanged || failedChanged) && complete(job) && failed(job)) {
    causes.push(conditionsCause('cannot set Complete=True and Failed=true conditions'));
  }
  if ((completeChanged || targetChanged) && complete(job) && failureTarget(job)) {
    causes.push(conditionsCause('cannot set Complete=True and FailureTarget=true conditions'));
  }
  const completionTime = status.completionTime;
  if ((completeChanged || completionChanged) && isSet(completionTime) && !complete(job)) {
    causes.push(
      invalidValue(
        'status.completionTime',
        completionTime,
        'cannot set completionTime when there is no Complete=True condition',
      ),
    );
  }
  if ((completeChanged || completionChanged) && !isSet(completionTime) && complete(job)) {
    causes.push(required('status.completionTime', 'completionTime is required for Complete jobs'));
  }
  if (
    (startChanged || completionChanged) &&
    typeof status.startTime === 'string' &&
    typeof completionTime === 'string' &&
    Date.parse(completionTime) < Date.parse(status.startTime)
  ) {
    causes.push(
      invalidValue(
        'status.completionTime',
        completionTime,
        'must be equal to or after `startTime`',
      ),
    );
  }
  const failedIndexesChanged = changed('failedIndexes');
  if ((failedChanged || failedIndexesChanged) && failed(job) && !failureTarget(job)) {
    causes.push(
      conditionsCause('cannot set Failed=True condition without the FailureTarget=true condition'),
    );
  }
  if ((completeChanged || criteriaChanged) && complete(job) && !criteriaMet(job)) {
    causes.push(
      conditionsCause(
        'cannot set Complete=True condition without the SuccessCriteriaMet=true condition',
      ),
    );
  }
  if ((finishedChanged || activeChanged) && num(status.active) > 0 && finished(job)) {
    causes.push(
      invalidValue('status.active', status.active!, 'active>0 is invalid for finished job'),
    );
  }
  if (
    (finishedChanged || startChanged) &&
    !zeroSuspended &&
    !isSet(status.startTime) &&
    finished(job)
  ) {
    causes.push(required('status.startTime', 'startTime is required for finished job'));
  }
  const uncounted = isObject(status.uncountedTerminatedPods)
    ? status.uncountedTerminatedPods
    : undefined;
  const uncountedCount =
    (Array.isArray(uncounted?.succeeded) ? uncounted.succeeded.length : 0) +
    (Array.isArray(uncounted?.failed) ? uncounted.failed.length : 0);
  if (
    (finishedChanged || changed('uncountedTerminatedPods')) &&
    finished(job) &&
    uncounted &&
    uncountedCount > 0
  ) {
    causes.push(
      invalidValue(
        'status.uncountedTerminatedPods',
        goUncounted(uncounted),
        'must be empty for finished job',
      ),
    );
  }
  causes.push(...indexesCauses(job, old));
  if ((finishedChanged || changed('terminating')) && num(status.terminating) > 0 && finished(job)) {
    causes.push(
      invalidValue(
        'status.terminating',
        status.terminating!,
        'terminating>0 is invalid for finished job',
      ),
    );
  }
  if (
    (changed('ready') || activeChanged) &&
    typeof status.ready === 'number' &&
    status.ready > num(status.active)
  ) {
    causes.push(
      invalidValue('status.ready', status.ready, 'cannot set more ready pods than active'),
    );
  }
  if (criteriaMet(job) && failed(job)) {
    causes.push(conditionsCause('cannot set SuccessCriteriaMet=True and Failed=true conditions'));
  }
  if (criteriaMet(job) && failureTarget(job)) {
    causes.push(
      conditionsCause('cannot set SuccessCriteriaMet=True and FailureTarget=true conditions'),
    );
  }
  if (isObject(spec.successPolicy) && !criteriaMet(job) && complete(job)) {
    causes.push(
      conditionsCause(
        'cannot set Complete=True for Job with SuccessPolicy unless SuccessCriteriaMet=True',
      ),
    );
  }
  return causes;
}

/** The causes of a Job status update (`ValidateJobStatusUpdate`). */
export function jobStatusCauses(job: JsonObject, old: JsonObject): StatusCause[] {
  const causes = statusCauses(job, old);
  const status = statusOf(job);
  const oldStatus = statusOf(old);
  for (const type of ['Failed', 'Complete', 'FailureTarget']) {
    if (hasCondition(old, type) && !hasCondition(job, type)) {
      causes.push(
        invalidOmitted('status.conditions', `cannot disable the terminal ${type}=True condition`),
      );
    }
  }
  if (num(status.failed) < num(oldStatus.failed)) {
    causes.push(
      invalidValue('status.failed', num(status.failed), 'cannot decrease the failed counter'),
    );
  }
  const spec = specOf(job);
  const scalable =
    spec.completionMode === 'Indexed' &&
    deepEqual(spec.completions ?? null, spec.parallelism ?? null);
  if (!scalable && num(status.succeeded) < num(oldStatus.succeeded)) {
    causes.push(
      invalidValue(
        'status.succeeded',
        num(status.succeeded),
        'cannot decrease the succeeded counter',
      ),
    );
  }
  if (
    isSet(status.completionTime) &&
    isSet(oldStatus.completionTime) &&
    !deepEqual(status.completionTime, oldStatus.completionTime)
  ) {
    causes.push(invalidValue('status.completionTime', status.completionTime!, FIELD_IMMUTABLE));
  }
  const startChanged = !deepEqual(status.startTime ?? null, oldStatus.startTime ?? null);
  const resuming = hasCondition(old, 'Suspended') && hasCondition(job, 'Suspended', 'False');
  if (startChanged && !resuming && isSet(oldStatus.startTime) && spec.suspend !== true) {
    causes.push(
      invalidValue(
        'status.startTime',
        status.startTime ?? null,
        'field is immutable for unsuspended job once set',
      ),
    );
  }
  if (criteriaMet(old) && !criteriaMet(job)) {
    causes.push(
      invalidOmitted('status.conditions', 'cannot disable the SuccessCriteriaMet=True condition'),
    );
  }
  if (complete(old) && !criteriaMet(old) && criteriaMet(job)) {
    causes.push(
      invalidOmitted(
        'status.conditions',
        'cannot set SuccessCriteriaMet=True for Job already has Complete=true conditions',
      ),
    );
  }
  return causes;
}
