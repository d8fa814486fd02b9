import { deepEqual, isObject, type JsonObject } from '../json.js';
import { metaOf } from '../object-meta.js';
import { notNegative } from '../validation.js';
import type { KindRules } from './kind-rules.js';
import { podTemplateWarnings } from './pod-warnings.js';
import {
  defaultRollingUpdate,
  defaultWorkloadTemplate,
  selectorImmutable,
  specOf,
  workloadCauses,
} from './workload.js';
import { daemonSetStrategyCauses } from './workload-strategies.js';

/** The annotation in which the DaemonSet strategy counts template changes. */
const TEMPLATE_GENERATION = 'deprecated.daemonset.template.generation';

function setTemplateGeneration(obj: JsonObject, n: number): void {
  const meta = metaOf(obj);
  meta.annotations = {
    ...(isObject(meta.annotations) ? meta.annotations : {}),
    [TEMPLATE_GENERATION]: String(n),
  };
  obj.metadata = meta;
}

/**
 * apps/v1 DaemonSet: a rolling update of one pod at a time without surge, 10 kept
 * revisions, a template generation annotation counting template changes, the workload
 * checks (no replicas) then `minReadySeconds`, the update strategy and
 * `revisionHistoryLimit`, an immutable selector.
 */
export const daemonSetRules: KindRules = {
  defaults(obj, create) {
    const spec = specOf(obj);
    const ru = defaultRollingUpdate(spec);
    if (ru) {
      ru.maxUnavailable ??= 1;
      ru.maxSurge ??= 0;
    }
    spec.revisionHistoryLimit ??= 10;
    defaultWorkloadTemplate(obj);
    if (create) {
      setTemplateGeneration(obj, 1);
      obj.status = {
        currentNumberScheduled: 0,
        numberMisscheduled: 0,
        desiredNumberScheduled: 0,
        numberReady: 0,
      };
    }
  },
  prepareUpdate(next, prev) {
    const a = isObject(next.spec) ? next.spec.template : undefined;
    const b = isObject(prev.spec) ? prev.spec.template : undefined;
    const ann = metaOf(prev).annotations;
    const was = Number(isObject(ann) ? (ann[TEMPLATE_GENERATION] ?? 0) : 0);
    setTemplateGeneration(next, deepEqual(a, b) ? was : was + 1);
  },
  validate: (obj) => {
    const spec = specOf(obj);
    return [
      ...workloadCauses(obj, { replicas: false, emptyAs: 'daemonset' }),
      ...notNegative('spec.minReadySeconds', spec.minReadySeconds),
      ...daemonSetStrategyCauses(spec.updateStrategy),
      ...notNegative('spec.revisionHistoryLimit', spec.revisionHistoryLimit),
    ];
  },
  validateUpdate: selectorImmutable,
  warnings(obj, ctx) {
    // On update, only when the template (its generation annotation) changed.
    const generation = (o: JsonObject) => {
      const ann = metaOf(o).annotations;
      return isObject(ann) ? ann[TEMPLATE_GENERATION] : undefined;
    };
    if (!ctx.create && (ctx.subresource || !ctx.old || generation(obj) === generation(ctx.old)))
      return [];
    return podTemplateWarnings(isObject(obj.spec) ? obj.spec.template : undefined, 'spec.template');
  },
};
