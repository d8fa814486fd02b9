/**
 * A Job's spec, also a CronJob's job template: batch/v1's defaults and kube-apiserver's
 * `validateJobSpec` checks (counts, `managedBy`, the indexed completion rules, the pod
 * failure and success policies, `podReplacementPolicy`, the pod template and its restart
 * policy), in its order and words. The job feature gates of v1.36 are all on (JobManagedBy,
 * JobSuccessPolicy, JobBackoffLimitPerIndex, JobPodReplacementPolicy are GA).
 */
import type { StatusCause } from '../errors.js';
import { isObject, type JsonObject, optNum } from '../json.js';
import {
  domainPrefixedPathCauses,
  invalidValue,
  notNegative,
  notSupported,
  required,
  tooLong,
} from '../validation.js';
import { podFailurePolicyCauses, successPolicyCauses } from './job-policies.js';
import { defaultTemplate, podTemplateCauses } from './pod-spec.js';
import { podTemplateWarnings } from './pod-warnings.js';

/** The restart policies a Job's pods may have. */
const JOB_RESTART_POLICIES = ['OnFailure', 'Never'];
const COMPLETION_MODES = ['NonIndexed', 'Indexed'];
const REPLACEMENT_POLICIES = ['Failed', 'TerminatingOrFailed'];
const MAX_INDEXED_PARALLELISM = 100_000;
const MAX_FAILED_INDEXES = 100_000;
const COMPLETIONS_SOFT_LIMIT = 100_000;
const PARALLELISM_FOR_HIGH_COMPLETIONS = 10_000;
const FAILED_INDEXES_FOR_HIGH_COMPLETIONS = 10_000;
const MAX_MANAGED_BY = 63;
const INT32_MAX = 2_147_483_647;

/**
 * The default of every `onPodConditions` pattern's `status` (`True`), in a Job and in a
 * CronJob's job template.
 */
export function defaultPodFailurePolicy(spec: JsonObject): void {
  const policy = spec.podFailurePolicy;
  if (!isObject(policy) || !Array.isArray(policy.rules)) return;
  for (const rule of policy.rules) {
    if (!isObject(rule) || !Array.isArray(rule.onPodConditions)) continue;
    for (const p of rule.onPodConditions) if (isObject(p) && !p.status) p.status = 'True';
  }
}

/**
 * The defaults of a Job's spec: one pod at a time and one completion when neither is set,
 * six retries (unlimited with a per-index limit), non-indexed, not suspended, pods replaced
 * once failed (or terminating, without a pod failure policy), no manual selector.
 */
export function defaultJobSpec(spec: JsonObject): void {
  if (spec.completions === undefined && spec.parallelism === undefined) {
    spec.completions = 1;
    spec.parallelism = 1;
  }
  spec.parallelism ??= 1;
  spec.backoffLimit ??= optNum(spec.backoffLimitPerIndex) === undefined ? 6 : INT32_MAX;
  spec.completionMode ??= 'NonIndexed';
  spec.suspend ??= false;
  spec.podReplacementPolicy ??= isObject(spec.podFailurePolicy) ? 'Failed' : 'TerminatingOrFailed';
  spec.manualSelector ??= false;
  defaultPodFailurePolicy(spec);
  // The template is a struct in kube-apiserver: a missing one is defaulted as an empty one.
  if (!isObject(spec.template)) spec.template = {};
  defaultTemplate(spec.template);
}

function countCauses(spec: JsonObject, path: string): StatusCause[] {
  const causes: StatusCause[] = [];
  for (const k of [
    'parallelism',
    'completions',
    'activeDeadlineSeconds',
    'backoffLimit',
    'ttlSecondsAfterFinished',
    'backoffLimitPerIndex',
  ]) {
    causes.push(...notNegative(`${path}.${k}`, spec[k]));
  }
  if (optNum(spec.maxFailedIndexes) !== undefined) {
    causes.push(...notNegative(`${path}.maxFailedIndexes`, spec.maxFailedIndexes));
    if (optNum(spec.backoffLimitPerIndex) === undefined) {
      causes.push(required(`${path}.backoffLimitPerIndex`, 'when maxFailedIndexes is specified'));
    }
  }
  if (typeof spec.managedBy === 'string') {
    causes.push(...domainPrefixedPathCauses(`${path}.managedBy`, spec.managedBy));
    if (spec.managedBy.length > MAX_MANAGED_BY) {
      causes.push(tooLong(`${path}.managedBy`, MAX_MANAGED_BY));
    }
  }
  return causes;
}

/** The limits of an Indexed Job (completions, parallelism and failed indexes). */
function indexedCauses(spec: JsonObject, path: string): StatusCause[] {
  const causes: StatusCause[] = [];
  const completions = optNum(spec.completions);
  const parallelism = optNum(spec.parallelism);
  const maxFailed = optNum(spec.maxFailedIndexes);
  if (completions === undefined) {
    causes.push(required(`${path}.completions`, 'when completion mode is Indexed'));
  }
  if (parallelism !== undefined && parallelism > MAX_INDEXED_PARALLELISM) {
    causes.push(
      invalidValue(
        `${path}.parallelism`,
        parallelism,
        `must be less than or equal to ${MAX_INDEXED_PARALLELISM} when completion mode is Indexed`,
      ),
    );
  }
  if (completions !== undefined && maxFailed !== undefined && maxFailed > completions) {
    causes.push(
      invalidValue(
        `${path}.maxFailedIndexes`,
        maxFailed,
        'must be less than or equal to completions',
      ),
    );
  }
  if (maxFailed !== undefined && maxFailed > MAX_FAILED_INDEXES) {
    causes.push(
      invalidValue(
        `${path}.maxFailedIndexes`,
        maxFailed,
        `must be less than or equal to ${MAX_FAILED_INDEXES}`,
      ),
    );
  }
  const perIndex = optNum(spec.backoffLimitPerIndex) !== undefined;
  if (completions !== undefined && completions > COMPLETIONS_SOFT_LIMIT && perIndex) {
    const high = `when completions are above ${COMPLETIONS_SOFT_LIMIT} and used with backoff limit per index`;
    if (maxFailed === undefined) {
      causes.push(
        required(
          `${path}.maxFailedIndexes`,
          `must be specified when completions is above ${COMPLETIONS_SOFT_LIMIT}`,
        ),
      );
    }
    if (parallelism !== undefined && parallelism > PARALLELISM_FOR_HIGH_COMPLETIONS) {
      causes.push(
        invalidValue(
          `${path}.parallelism`,
          parallelism,
          `must be less than or equal to ${PARALLELISM_FOR_HIGH_COMPLETIONS} ${high}`,
        ),
      );
    }
    if (maxFailed !== undefined && maxFailed > FAILED_INDEXES_FOR_HIGH_COMPLETIONS) {
      causes.push(
        invalidValue(
          `${path}.maxFailedIndexes`,
          maxFailed,
          `must be less than or equal to ${FAILED_INDEXES_FOR_HIGH_COMPLETIONS} ${high}`,
        ),
      );
    }
  }
  return causes;
}

function completionModeCauses(spec: JsonObject, path: string): StatusCause[] {
  const mode = spec.completionMode;
  const causes: StatusCause[] = [];
  if (typeof mode === 'string') {
    if (!COMPLETION_MODES.includes(mode)) {
      causes.push(notSupported(`${path}.completionMode`, mode, COMPLETION_MODES));
    }
    if (mode === 'Indexed') causes.push(...indexedCauses(spec, path));
  }
  if (mode === undefined || mode === null || mode === 'NonIndexed') {
    for (const k of ['backoffLimitPerIndex', 'maxFailedIndexes']) {
      if (optNum(spec[k]) !== undefined) {
        causes.push(invalidValue(`${path}.${k}`, spec[k], 'requires indexed completion mode'));
      }
    }
  }
  return causes;
}

function replacementPolicyCauses(spec: JsonObject, path: string): StatusCause[] {
  const policy = spec.podReplacementPolicy;
  if (typeof policy !== 'string') return [];
  const allowed = isObject(spec.podFailurePolicy) ? ['Failed'] : REPLACEMENT_POLICIES;
  return allowed.includes(policy)
    ? []
    : [notSupported(`${path}.podReplacementPolicy`, policy, allowed)];
}

/** The Job's own restart policy rule, checked after the pod template's. */
function jobRestartPolicyCauses(spec: JsonObject, path: string): StatusCause[] {
  const tpl = isObject(spec.template) ? spec.template : {};
  const policy = isObject(tpl.spec) ? tpl.spec.restartPolicy : undefined;
  const at = `${path}.template.spec.restartPolicy`;
  if (policy === undefined || policy === null || policy === '' || policy === 'Always') {
    return [required(at, 'valid values: "OnFailure", "Never"')];
  }
  if (!JOB_RESTART_POLICIES.includes(String(policy))) {
    return [notSupported(at, policy, JOB_RESTART_POLICIES)];
  }
  if (isObject(spec.podFailurePolicy) && policy !== 'Never') {
    return [
      invalidValue(at, policy, 'only "Never" is supported when podFailurePolicy is specified'),
    ];
  }
  return [];
}

/** The causes of a Job spec at `path` (`validateJobSpec`; also a CronJob's job template). */
export function jobSpecCauses(spec: JsonObject, path: string): StatusCause[] {
  const causes = [...countCauses(spec, path), ...completionModeCauses(spec, path)];
  if (isObject(spec.podFailurePolicy)) {
    causes.push(...podFailurePolicyCauses(spec, `${path}.podFailurePolicy`));
  }
  if (isObject(spec.successPolicy)) {
    causes.push(...successPolicyCauses(spec, `${path}.successPolicy`));
  }
  causes.push(...replacementPolicyCauses(spec, path));
  const tpl = isObject(spec.template) ? spec.template : {};
  causes.push(...podTemplateCauses(tpl, `${path}.template`));
  causes.push(...jobRestartPolicyCauses(spec, path));
  return causes;
}

/**
 * `WarningsForJobSpec` at `path`: an Indexed Job too wide to track its completed indexes
 * when many fail, then its pod template's warnings (`pod-warnings.ts`).
 */
export function jobSpecWarnings(spec: JsonObject, path: string): string[] {
  const out: string[] = [];
  const completions = optNum(spec.completions) ?? 0;
  const parallelism = optNum(spec.parallelism) ?? 0;
  if (
    spec.completionMode === 'Indexed' &&
    completions > COMPLETIONS_SOFT_LIMIT &&
    parallelism > PARALLELISM_FOR_HIGH_COMPLETIONS
  ) {
    out.push(
      `${path}: In Indexed Jobs with a number of completions higher than 10^5 and a parallelism higher than 10^4, Kubernetes might not be able to track completedIndexes when a big number of indexes fail`,
    );
  }
  return [...out, ...podTemplateWarnings(spec.template, `${path}.template`)];
}
