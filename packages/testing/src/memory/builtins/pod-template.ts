/**
 * core/v1 PodTemplate: its template gets the pod spec defaults and is checked as
 * kube-apiserver's `ValidatePodTemplateSpec` checks it (own code, shared with the pod spec
 * checks of `pod-spec.ts`): the template's labels and annotation keys (at `template.labels`
 * and `template.annotations`, as kube-apiserver names them), then its pod spec, on create
 * and on every update. (`metadata.generation` moves with the template, as for every
 * tracked kind.) Its warnings are the template's, on create and when the template changed.
 */
import { isObject, type JsonObject } from '../json.js';
import { metaOf } from '../object-meta.js';
import type { KindRules } from './kind-rules.js';
import { defaultTemplate, podTemplateCauses } from './pod-spec.js';
import { podTemplateWarnings } from './pod-warnings.js';

/** The template, created empty when absent: kube-apiserver's is a struct, never missing. */
function templateOf(obj: JsonObject): JsonObject {
  const tpl: JsonObject = isObject(obj.template) ? obj.template : {};
  tpl.spec ??= {};
  obj.template = tpl;
  return tpl;
}

/** core/v1 PodTemplate's defaults and validation. */
export const podTemplateRules: KindRules = {
  defaults(obj) {
    defaultTemplate(templateOf(obj));
  },
  validate(obj) {
    return podTemplateCauses(templateOf(obj), 'template');
  },
  warnings(obj, ctx) {
    // On update, only when the template (and so the generation) changed.
    if (
      ctx.subresource ||
      (!ctx.create && metaOf(obj).generation === metaOf(ctx.old ?? {}).generation)
    )
      return [];
    return podTemplateWarnings(obj.template, 'template');
  },
};
