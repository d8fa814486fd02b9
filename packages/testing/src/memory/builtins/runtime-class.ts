/**
 * node.k8s.io/v1 RuntimeClass: kube-apiserver's checks (own code, for its causes): a
 * `handler` that is an RFC 1123 label, `overhead.podFixed` checked as container limits
 * (at `overhead.limits[…]`, as kube-apiserver names them), `scheduling.nodeSelector` as
 * labels and `scheduling.tolerations` as a pod's, without two alike; the handler may not
 * change.
 */
import type { StatusCause } from '../errors.js';
import { isObject, type JsonObject, str } from '../json.js';
import {
  duplicate,
  invalidValue,
  labelsCauses,
  required,
  rfc1123LabelCauses,
} from '../validation.js';
import { FIELD_IMMUTABLE, type KindRules } from './kind-rules.js';
import { containerResourceCauses } from './pod-resources.js';
import { tolerationsCauses } from './pod-scheduling.js';

/** A toleration as Go's `encoding/json` writes kube-apiserver's internal struct. */
function internalToleration(t: JsonObject): JsonObject {
  return {
    Key: str(t.key),
    Operator: str(t.operator),
    Value: str(t.value),
    Effect: str(t.effect),
    TolerationSeconds: typeof t.tolerationSeconds === 'number' ? t.tolerationSeconds : null,
  };
}

function schedulingCauses(s: JsonObject): StatusCause[] {
  const causes = labelsCauses(s.nodeSelector, 'scheduling.nodeSelector');
  causes.push(...tolerationsCauses(s.tolerations, 'scheduling.tolerations'));
  const seen = new Set<string>();
  const tolerations = Array.isArray(s.tolerations) ? s.tolerations : [];
  tolerations.forEach((t, i) => {
    if (!isObject(t)) return;
    const key = JSON.stringify([t.key ?? '', t.operator ?? '', t.value ?? '', t.effect ?? '']);
    if (seen.has(key))
      causes.push(duplicate(`scheduling.tolerations[${i}]`, internalToleration(t)));
    seen.add(key);
  });
  return causes;
}

function classCauses(obj: JsonObject): StatusCause[] {
  const handler = str(obj.handler);
  const causes = handler === '' ? [required('handler')] : rfc1123LabelCauses('handler', handler);
  if (isObject(obj.overhead))
    causes.push(...containerResourceCauses({ limits: obj.overhead.podFixed ?? null }, 'overhead'));
  if (isObject(obj.scheduling)) causes.push(...schedulingCauses(obj.scheduling));
  return causes;
}

/** node.k8s.io/v1 RuntimeClass's validation and immutable handler. */
export const runtimeClassRules: KindRules = {
  // kube-apiserver checks an update as a new class, then its handler: both in validateUpdate.
  validate: (obj, ctx) => (ctx.create ? classCauses(obj) : []),
  validateUpdate(next, prev) {
    const causes = classCauses(next);
    if ((next.handler ?? null) !== (prev.handler ?? null))
      causes.push(invalidValue('handler', next.handler ?? null, FIELD_IMMUTABLE));
    return causes;
  },
};
