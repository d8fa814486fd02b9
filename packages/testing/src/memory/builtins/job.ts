import type { StatusCause } from '../errors.js';
import { deepEqual, isObject, type JsonObject } from '../json.js';
import { metaOf } from '../object-meta.js';
import { invalidValue, notNegative, notSupported, required } from '../validation.js';
import { FIELD_IMMUTABLE, type KindRules } from './kind-rules.js';
import { labelSelectorCauses, selectorAsGoJson } from './label-selector.js';
import { defaultTemplate, podSpecCauses } from './pod-spec.js';
import { selects, specOf } from './workload.js';

/** The restart policies a Job's pods may have. */
export const JOB_RESTART_POLICIES = ['OnFailure', 'Never'];

/**
 * The defaults of a Job's spec, also a CronJob's job template: one pod at a time, one
 * completion, six retries, non-indexed, not suspended.
 */
export function defaultJobSpec(spec: JsonObject): void {
  if (spec.completions === undefined && spec.parallelism === undefined) {
    spec.completions = 1;
    spec.parallelism = 1;
  }
  spec.parallelism ??= 1;
  spec.backoffLimit ??= 6;
  spec.completionMode ??= 'NonIndexed';
  spec.suspend ??= false;
  spec.podReplacementPolicy ??= isObject(spec.podFailurePolicy) ? 'Failed' : 'TerminatingOrFailed';
  spec.manualSelector ??= false;
  defaultTemplate(spec.template, false);
}

/** The causes of a Job spec at `path` (also a CronJob's job template). */
export function jobSpecCauses(spec: JsonObject, path: string): StatusCause[] {
  const causes: StatusCause[] = [];
  for (const k of ['parallelism', 'completions', 'backoffLimit', 'activeDeadlineSeconds']) {
    causes.push(...notNegative(`${path}.${k}`, spec[k]));
  }
  const tpl = isObject(spec.template) ? spec.template : {};
  causes.push(
    ...podSpecCauses(tpl.spec, `${path}.template.spec`, {
      restartPolicies: JOB_RESTART_POLICIES,
      refuse: 'required',
    }),
  );
  return causes;
}

/**
 * A Job's selector (`ValidateJobSpec` after the spec's own checks): required (a Job with
 * `manualSelector` brings its own), of valid syntax, and selecting the template's labels.
 */
function jobSelectorCauses(spec: JsonObject): StatusCause[] {
  const sel = spec.selector;
  const causes = isObject(sel)
    ? labelSelectorCauses(sel, 'spec.selector')
    : [required('spec.selector')];
  const tpl = isObject(spec.template) ? spec.template : {};
  const labels = isObject(tpl.metadata) ? tpl.metadata.labels : undefined;
  if ((!isObject(sel) || causes.length === 0) && !selects(sel, labels)) {
    causes.push(
      invalidValue(
        'spec.template.metadata.labels',
        labels ?? {},
        '`selector` does not match template `labels`',
      ),
    );
  }
  return causes;
}

/**
 * A CronJob's job template may set neither a selector nor `manualSelector: true`
 * (`ValidateJobTemplateSpec`: the Jobs it makes get generated selectors).
 */
export function jobTemplateSelectorCauses(spec: JsonObject, path: string): StatusCause[] {
  const causes: StatusCause[] = [];
  if (isObject(spec.selector)) {
    causes.push(
      invalidValue(
        `${path}.selector`,
        selectorAsGoJson(spec.selector),
        '`selector` will be auto-generated',
      ),
    );
  }
  if (spec.manualSelector === true) {
    causes.push(notSupported(`${path}.manualSelector`, true, ['nil', 'false']));
  }
  return causes;
}

/**
 * Labels a new Job's selector and pods carry (the Job strategy generates them from the
 * uid unless `manualSelector` is set).
 */
function controllerLabels(obj: JsonObject): Record<string, string> {
  const meta = metaOf(obj);
  const uid = String(meta.uid);
  const name = String(meta.name);
  return {
    'batch.kubernetes.io/controller-uid': uid,
    'batch.kubernetes.io/job-name': name,
    'controller-uid': uid,
    'job-name': name,
  };
}

/**
 * batch/v1 Job: the Job spec defaults, a generated `controller-uid` selector and pod labels
 * at create (unless `manualSelector`), the Job's labels taken from its template when it has
 * none, and an immutable template and completion count.
 */
export const jobRules: KindRules = {
  defaults(obj, create) {
    const spec = specOf(obj);
    if (create && spec.manualSelector !== true) {
      const labels = controllerLabels(obj);
      if (!isObject(spec.template)) spec.template = {};
      const tpl = spec.template as JsonObject;
      if (!isObject(tpl.metadata)) tpl.metadata = {};
      const tm = tpl.metadata as JsonObject;
      tm.labels = { ...(isObject(tm.labels) ? tm.labels : {}), ...labels };
      spec.selector = {
        matchLabels: { 'batch.kubernetes.io/controller-uid': labels['controller-uid']! },
      };
    }
    defaultJobSpec(spec);
    const meta = metaOf(obj);
    const tplLabels =
      isObject(spec.template) && isObject(spec.template.metadata)
        ? spec.template.metadata.labels
        : undefined;
    if ((!isObject(meta.labels) || Object.keys(meta.labels).length === 0) && isObject(tplLabels)) {
      meta.labels = { ...tplLabels };
      obj.metadata = meta;
    }
    if (create) obj.status = {};
  },
  validate(obj) {
    const spec = isObject(obj.spec) ? obj.spec : {};
    return [...jobSpecCauses(spec, 'spec'), ...jobSelectorCauses(spec)];
  },
  validateUpdate(next, prev) {
    const a = isObject(next.spec) ? next.spec : {};
    const b = isObject(prev.spec) ? prev.spec : {};
    const causes: StatusCause[] = [];
    if (!deepEqual(a.template, b.template)) {
      causes.push(invalidValue('spec.template', a.template, FIELD_IMMUTABLE));
    }
    if (!deepEqual(a.completions, b.completions)) {
      causes.push(invalidValue('spec.completions', a.completions, FIELD_IMMUTABLE));
    }
    return causes;
  },
};
