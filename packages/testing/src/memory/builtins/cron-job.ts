/**
 * batch/v1 CronJob, as kube-apiserver's CronJob strategy and batch validation treat it:
 * concurrency `Allow`, not suspended, 3 successful and 1 failed job kept, the job
 * template's pods defaulted; a schedule the cron parser reads (`cron-schedule.ts`), no
 * `TZ=` in it (unless the stored one had it), a known `timeZone`, the job template checked
 * as a Job spec without a selector, counts not negative, and a name short enough for the
 * Jobs it makes. Its status is not checked.
 */
import type { StatusCause } from '../errors.js';
import { deepEqual, isObject, type JsonObject } from '../json.js';
import { metaOf } from '../object-meta.js';
import { invalidValue, notNegative, notSupported, required } from '../validation.js';
import { scheduleError } from './cron-schedule.js';
import { loadLocationError } from './go-time-zones.js';
import { jobTemplateSelectorCauses } from './job.js';
import { defaultPodFailurePolicy, jobSpecCauses, jobSpecWarnings } from './job-spec.js';
import type { KindRules } from './kind-rules.js';
import { defaultTemplate } from './pod-spec.js';
import { hostnameWarnings } from './pod-warnings.js';
import { specOf } from './workload.js';

const CONCURRENCY_POLICIES = ['Allow', 'Forbid', 'Replace'];
/** The CronJob controller adds an 11-character suffix to the names of the Jobs it makes. */
const MAX_NAME = 52;
const ZONE_PART = /^[A-Za-z.\-_0-9+]{1,14}$/;

/** `validateScheduleFormat`; `allowTz` when the stored schedule already had a zone. */
function scheduleCauses(spec: JsonObject, allowTz: boolean): StatusCause[] {
  const schedule = typeof spec.schedule === 'string' ? spec.schedule : '';
  if (schedule === '') return [required('spec.schedule')];
  const causes: StatusCause[] = [];
  const err = scheduleError(schedule);
  if (err !== undefined) causes.push(invalidValue('spec.schedule', schedule, err));
  const hasTz = schedule.includes('TZ');
  const zone = spec.timeZone;
  if (allowTz && hasTz && zone !== undefined && zone !== null) {
    causes.push(
      invalidValue(
        'spec.schedule',
        schedule,
        'cannot use both timeZone field and TZ or CRON_TZ in schedule',
      ),
    );
  } else if (!allowTz && hasTz) {
    causes.push(
      invalidValue(
        'spec.schedule',
        schedule,
        'cannot use TZ or CRON_TZ in schedule, use timeZone field instead',
      ),
    );
  }
  return causes;
}

/** `validateTimeZone`: a name of plain parts, not `Local`, that Go's `time.LoadLocation` finds. */
function timeZoneCauses(zone: unknown): StatusCause[] {
  if (typeof zone !== 'string') return [];
  const at = 'spec.timeZone';
  if (zone === '') return [invalidValue(at, zone, 'timeZone must be nil or non-empty string')];
  const unknown = invalidValue(at, zone, `unknown time zone ${zone}`);
  for (const part of zone.split('/')) {
    if (part === '.' || part === '..' || part.startsWith('-') || !ZONE_PART.test(part))
      return [unknown];
  }
  const causes: StatusCause[] = [];
  if (zone.toLowerCase() === 'local') {
    causes.push(
      invalidValue(
        at,
        zone,
        'timeZone must be an explicit time zone as defined in https://www.iana.org/time-zones',
      ),
    );
  }
  const error = loadLocationError(zone);
  if (error !== undefined) causes.push(invalidValue(at, zone, error));
  return causes;
}

/** `validateCronJobSpec` (`prev`: the stored spec, on update). */
function cronJobSpecCauses(spec: JsonObject, prev?: JsonObject): StatusCause[] {
  const prevSchedule = prev && typeof prev.schedule === 'string' ? prev.schedule : '';
  const causes = scheduleCauses(spec, prevSchedule.includes('TZ'));
  causes.push(...notNegative('spec.startingDeadlineSeconds', spec.startingDeadlineSeconds));
  if (!prev || !deepEqual(prev.timeZone ?? null, spec.timeZone ?? null)) {
    causes.push(...timeZoneCauses(spec.timeZone));
  }
  const policy = spec.concurrencyPolicy;
  if (policy === undefined || policy === null || policy === '') {
    causes.push(required('spec.concurrencyPolicy'));
  } else if (!CONCURRENCY_POLICIES.includes(String(policy))) {
    causes.push(notSupported('spec.concurrencyPolicy', policy, CONCURRENCY_POLICIES));
  }
  const jt =
    isObject(spec.jobTemplate) && isObject(spec.jobTemplate.spec) ? spec.jobTemplate.spec : {};
  causes.push(
    ...jobSpecCauses(jt, 'spec.jobTemplate.spec'),
    ...jobTemplateSelectorCauses(jt, 'spec.jobTemplate.spec'),
  );
  for (const k of ['successfulJobsHistoryLimit', 'failedJobsHistoryLimit']) {
    causes.push(...notNegative(`spec.${k}`, spec[k]));
  }
  return causes;
}

/**
 * batch/v1 CronJob: its defaults, its spec checked on create and on every update (a
 * changed `timeZone` only), its name at most 52 characters on create.
 */
export const cronJobRules: KindRules = {
  defaults(obj, create) {
    const spec = specOf(obj);
    spec.concurrencyPolicy ??= 'Allow';
    spec.suspend ??= false;
    spec.successfulJobsHistoryLimit ??= 3;
    spec.failedJobsHistoryLimit ??= 1;
    // The job template gets a Job's pod template defaults, not a Job's spec defaults.
    if (!isObject(spec.jobTemplate)) spec.jobTemplate = {};
    const jt = spec.jobTemplate as JsonObject;
    jt.metadata ??= {};
    // The job template's spec and its pod template are structs in kube-apiserver: missing
    // ones are defaulted (and checked) as empty ones.
    if (!isObject(jt.spec)) jt.spec = {};
    const js = jt.spec as JsonObject;
    if (!isObject(js.template)) js.template = {};
    defaultPodFailurePolicy(js);
    defaultTemplate(js.template);
    if (create) obj.status = {};
  },
  validate(obj, ctx) {
    if (!ctx.create) return [];
    const causes = cronJobSpecCauses(isObject(obj.spec) ? obj.spec : {});
    const name = String(metaOf(obj).name ?? '');
    if (name.length > MAX_NAME) {
      causes.push(
        invalidValue('metadata.name', name, `must be no more than ${MAX_NAME} characters`),
      );
    }
    return causes;
  },
  validateUpdate(next, prev, ctx) {
    if (ctx.subresource === 'status') return [];
    return cronJobSpecCauses(
      isObject(next.spec) ? next.spec : {},
      isObject(prev.spec) ? prev.spec : {},
    );
  },
  warnings(obj, ctx) {
    const spec = isObject(obj.spec) ? obj.spec : {};
    const jt =
      isObject(spec.jobTemplate) && isObject(spec.jobTemplate.spec) ? spec.jobTemplate.spec : {};
    const path = 'spec.jobTemplate.spec';
    if (ctx.create)
      return [...hostnameWarnings(String(metaOf(obj).name ?? '')), ...jobSpecWarnings(jt, path)];
    if (ctx.subresource || !ctx.old) return [];
    const warnings = deepEqual(spec, ctx.old.spec ?? {}) ? [] : jobSpecWarnings(jt, path);
    // kube-apiserver names the field `spec.spec.schedule` in this warning.
    if (typeof spec.schedule === 'string' && spec.schedule.includes('TZ')) {
      warnings.push(
        'cannot use TZ or CRON_TZ in spec.spec.schedule, use timeZone instead, see https://kubernetes.io/docs/concepts/workloads/controllers/cron-jobs/ for more details',
      );
    }
    return warnings;
  },
};
