import type { StatusCause } from '../errors.js';
import { isObject, type JsonObject } from '../json.js';
import { invalidValue, required } from '../validation.js';
import { jobSpecCauses, jobTemplateSelectorCauses } from './job.js';
import type { KindRules } from './kind-rules.js';
import { defaultTemplate } from './pod-spec.js';
import { specOf } from './workload.js';

/** The `@` schedules the cron parser accepts besides five fields. */
const DESCRIPTORS = [
  '@yearly',
  '@annually',
  '@monthly',
  '@weekly',
  '@daily',
  '@midnight',
  '@hourly',
];

/** kube-apiserver's first check of a schedule: five fields (or a descriptor). */
function scheduleCauses(schedule: unknown): StatusCause[] {
  if (typeof schedule !== 'string' || schedule === '') return [required('spec.schedule')];
  let fields = schedule.trim().split(/\s+/);
  if (fields[0]?.startsWith('TZ=') || fields[0]?.startsWith('CRON_TZ=')) fields = fields.slice(1);
  if (
    fields.length === 1 &&
    (DESCRIPTORS.includes(fields[0]!) || fields[0]!.startsWith('@every '))
  ) {
    return [];
  }
  if (fields.length !== 5) {
    return [
      invalidValue(
        'spec.schedule',
        schedule,
        `expected exactly 5 fields, found ${fields.length}: [${fields.join(' ')}]`,
      ),
    ];
  }
  return [];
}

/**
 * batch/v1 CronJob: concurrency `Allow`, not suspended, 3 successful and 1 failed job
 * kept, the job's pod template defaulted; a schedule of five fields and a valid job template.
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
    if (isObject(jt.spec)) defaultTemplate(jt.spec.template, false);
    if (create) obj.status = {};
  },
  validate(obj) {
    const spec = isObject(obj.spec) ? obj.spec : {};
    const jt =
      isObject(spec.jobTemplate) && isObject(spec.jobTemplate.spec) ? spec.jobTemplate.spec : {};
    return [
      ...scheduleCauses(spec.schedule),
      ...jobSpecCauses(jt, 'spec.jobTemplate.spec'),
      ...jobTemplateSelectorCauses(jt, 'spec.jobTemplate.spec'),
    ];
  },
};
