/**
 * batch/v1 Job, as kube-apiserver's Job strategy and batch validation treat it: the spec's
 * defaults (`job-spec.ts`), a generated selector and pod labels at create (unless
 * `manualSelector`), the checks that those labels are there, the spec's checks, and what
 * an update may change.
 */
import { dns1123LabelErrors } from '@kube-ts/schema/validation';
import type { StatusCause } from '../errors.js';
import { sortedKeys } from '../go-print.js';
import { deepEqual, isObject, type Json, type JsonObject, str } from '../json.js';
import { metaOf } from '../object-meta.js';
import { invalidValue, notSupported, required } from '../validation.js';
import { defaultJobSpec, jobSpecCauses, jobSpecWarnings } from './job-spec.js';
import { jobStatusCauses } from './job-status.js';
import { jobSpecUpdateCauses } from './job-update.js';
import type { KindRules } from './kind-rules.js';
import { labelSelectorCauses, selectorAsGoJson } from './label-selector.js';
import { hostnameWarnings } from './pod-warnings.js';
import { selects, specOf } from './workload.js';

const LEGACY_UID = 'controller-uid';
const LEGACY_NAME = 'job-name';
const UID = 'batch.kubernetes.io/controller-uid';
const NAME = 'batch.kubernetes.io/job-name';

const templateOf = (spec: JsonObject): JsonObject => (isObject(spec.template) ? spec.template : {});
const templateLabels = (spec: JsonObject): Json | undefined => {
  const tm = templateOf(spec).metadata;
  return isObject(tm) ? tm.labels : undefined;
};

/**
 * Job label maps that defaulting took from the template: SetDefaults_Job gives an unlabelled
 * Job its template's label map itself (one Go map), so the labels the selector generation
 * adds to the template later show in the Job's too (unless a mutating webhook or policy
 * replaced the object).
 */
const templateLabelMaps = new WeakSet<JsonObject>();

/** A label map as kube-apiserver quotes it (Go sorts map keys; nil is `null`). */
const quotedLabels = (labels: Json | undefined): Json =>
  isObject(labels) ? sortedKeys(labels) : null;

/**
 * The Job strategy's selector generation: the template gets the job-name and controller-uid
 * labels it lacks, the selector the `batch.kubernetes.io/controller-uid` it lacks (a value
 * the user set stays, for validation to refuse).
 */
function generateSelector(obj: JsonObject, spec: JsonObject): void {
  const meta = metaOf(obj);
  if (!isObject(spec.template)) spec.template = {};
  const tpl = spec.template as JsonObject;
  if (!isObject(tpl.metadata)) tpl.metadata = {};
  const tm = tpl.metadata as JsonObject;
  if (!isObject(tm.labels)) tm.labels = {};
  const labels = tm.labels as JsonObject;
  for (const key of [LEGACY_NAME, NAME]) labels[key] ??= str(meta.name);
  for (const key of [LEGACY_UID, UID]) labels[key] ??= String(meta.uid);
  if (!isObject(spec.selector)) spec.selector = {};
  const sel = spec.selector as JsonObject;
  if (!isObject(sel.matchLabels)) sel.matchLabels = {};
  (sel.matchLabels as JsonObject)[UID] ??= String(meta.uid);
}

/** `ValidateHasLabel`: the template carries `key` with `value`. */
function hasLabelCauses(spec: JsonObject, key: string, value: string): StatusCause[] {
  const labels = templateLabels(spec);
  const field = `spec.template.metadata.labels[${key}]`;
  const actual = isObject(labels) ? labels[key] : undefined;
  if (actual === undefined) return [required(field, `must be '${value}'`)];
  return actual === value ? [] : [invalidValue(field, quotedLabels(labels), `must be '${value}'`)];
}

/**
 * `validateGeneratedSelector`: without `manualSelector`, the template has the generated
 * labels (the `batch.kubernetes.io/` ones too when `prefixed`: always at create, on update
 * when the stored Job has them) and the selector selects them.
 */
function generatedSelectorCauses(obj: JsonObject, prefixed: boolean): StatusCause[] {
  const spec = isObject(obj.spec) ? obj.spec : {};
  if (spec.manualSelector === true || !isObject(spec.selector)) return [];
  const meta = metaOf(obj);
  const uid = String(meta.uid ?? '');
  const name = String(meta.name ?? '');
  const expected: Record<string, string> = { [LEGACY_UID]: uid, [LEGACY_NAME]: name };
  const causes = [
    ...hasLabelCauses(spec, LEGACY_UID, uid),
    ...hasLabelCauses(spec, LEGACY_NAME, name),
  ];
  if (prefixed) {
    causes.push(...hasLabelCauses(spec, UID, uid), ...hasLabelCauses(spec, NAME, name));
    expected[UID] = uid;
    expected[NAME] = name;
  }
  const parses = labelSelectorCauses(spec.selector, 'spec.selector').length === 0;
  if (parses && !selects(spec.selector, expected)) {
    causes.push(
      invalidValue(
        'spec.selector',
        selectorAsGoJson(spec.selector),
        '`selector` not auto-generated',
      ),
    );
  }
  return causes;
}

/**
 * `ValidateJobSpec`: the spec's own checks, then a selector (required: a Job with
 * `manualSelector` brings its own) of valid syntax that selects the template's labels.
 */
function validateJobSpecCauses(spec: JsonObject): StatusCause[] {
  const causes = jobSpecCauses(spec, 'spec');
  const sel = spec.selector;
  const selectorCauses = isObject(sel)
    ? labelSelectorCauses(sel, 'spec.selector')
    : [required('spec.selector')];
  causes.push(...selectorCauses);
  const labels = templateLabels(spec);
  if ((!isObject(sel) || selectorCauses.length === 0) && !selects(sel, labels)) {
    causes.push(
      invalidValue(
        'spec.template.metadata.labels',
        quotedLabels(labels),
        '`selector` does not match template `labels`',
      ),
    );
  }
  return causes;
}

/** An Indexed Job's last pod hostname (`<name>-<completions - 1>`) must be a DNS label. */
function hostnameCauses(obj: JsonObject): StatusCause[] {
  const spec = isObject(obj.spec) ? obj.spec : {};
  const completions = spec.completions;
  if (spec.completionMode !== 'Indexed' || typeof completions !== 'number' || completions <= 0)
    return [];
  const name = String(metaOf(obj).name ?? '');
  const hostname = `${name}-${completions - 1}`;
  return dns1123LabelErrors(hostname).length
    ? [
        invalidValue(
          'metadata.name',
          name,
          `will not able to create pod with invalid DNS label: ${hostname}`,
        ),
      ]
    : [];
}

/** `ValidateJob` (past the metadata, checked by the generic code). */
function validateJob(obj: JsonObject, prefixed: boolean): StatusCause[] {
  const spec = isObject(obj.spec) ? obj.spec : {};
  return [
    ...generatedSelectorCauses(obj, prefixed),
    ...validateJobSpecCauses(spec),
    ...hostnameCauses(obj),
  ];
}

/** Whether a stored Job's template has both `batch.kubernetes.io/` labels. */
function hasPrefixedLabels(job: JsonObject): boolean {
  const labels = templateLabels(isObject(job.spec) ? job.spec : {});
  return isObject(labels) && labels[UID] !== undefined && labels[NAME] !== undefined;
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
 * batch/v1 Job. kube-apiserver validates an update as a new Job (against the stored one's
 * label scheme) and then against the stored Job, so `validate` covers creates and
 * `validateUpdate` the whole of an update; a status update checks the status only.
 */
export const jobRules: KindRules = {
  defaults(obj, create) {
    const spec = specOf(obj);
    spec.manualSelector ??= false;
    defaultJobSpec(spec);
    const meta = metaOf(obj);
    const labels = templateLabels(spec);
    if ((!isObject(meta.labels) || Object.keys(meta.labels).length === 0) && isObject(labels)) {
      meta.labels = { ...labels };
      obj.metadata = meta;
      if (create) templateLabelMaps.add(meta.labels);
    }
    if (create) obj.status = {};
  },
  // After the name and uid are set (kube-apiserver's PrepareForCreate).
  prepareCreate(obj) {
    const spec = specOf(obj);
    if (spec.manualSelector === true) return;
    const meta = metaOf(obj);
    generateSelector(obj, spec);
    const labels = templateLabels(spec);
    // A Job that shares its template's label map has the generated labels too, validated.
    if (isObject(labels) && isObject(meta.labels) && templateLabelMaps.has(meta.labels)) {
      meta.labels = { ...labels };
      obj.metadata = meta;
    }
  },
  // A Job still unlabelled gets its template's labels when read back from etcd (defaulting
  // again), after validation: a name that is no label value is refused at
  // `spec.template.labels` only.
  readBack(obj) {
    const meta = metaOf(obj);
    const labels = templateLabels(specOf(obj));
    const own = meta.labels;
    if (isObject(labels) && (!isObject(own) || Object.keys(own).length === 0)) {
      meta.labels = { ...labels };
      obj.metadata = meta;
    }
  },
  validate(obj, ctx) {
    return ctx.create ? validateJob(obj, true) : [];
  },
  validateUpdate(next, prev, ctx) {
    if (ctx.subresource === 'status') return jobStatusCauses(next, prev);
    return [
      ...validateJob(next, hasPrefixedLabels(prev)),
      ...validateJobSpecCauses(isObject(next.spec) ? next.spec : {}),
      ...jobSpecUpdateCauses(next, prev),
    ];
  },
  warnings(obj, ctx) {
    const spec = isObject(obj.spec) ? obj.spec : {};
    if (ctx.create)
      return [
        ...hostnameWarnings(String(metaOf(obj).name ?? '')),
        ...jobSpecWarnings(spec, 'spec'),
      ];
    // On update, only when the spec (and so the generation) changed.
    const changed = !ctx.subresource && ctx.old && !deepEqual(spec, ctx.old.spec ?? {});
    return changed ? jobSpecWarnings(spec, 'spec') : [];
  },
};
