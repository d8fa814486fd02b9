import type { StatusCause } from '../errors.js';
import { deepEqual, isObject, type JsonObject, num } from '../json.js';
import { metaOf } from '../object-meta.js';
import { invalidValue, notNegative } from '../validation.js';
import type { KindRules } from './kind-rules.js';
import { workloadWarnings } from './pod-warnings.js';
import { defaultWorkloadTemplate, selectorImmutable, specOf, workloadCauses } from './workload.js';
import { deploymentStrategyCauses } from './workload-strategies.js';

/**
 * The checks of `ValidateDeploymentSpec` after the template's: the strategy,
 * `minReadySeconds`, `revisionHistoryLimit`, and a `progressDeadlineSeconds` not negative
 * and above `minReadySeconds`.
 */
function deploymentSpecCauses(spec: JsonObject): StatusCause[] {
  const causes = [
    ...deploymentStrategyCauses(spec.strategy),
    ...notNegative('spec.minReadySeconds', spec.minReadySeconds),
    ...notNegative('spec.revisionHistoryLimit', spec.revisionHistoryLimit),
  ];
  const deadline = spec.progressDeadlineSeconds;
  if (typeof deadline === 'number') {
    causes.push(...notNegative('spec.progressDeadlineSeconds', deadline));
    const minReady = num(spec.minReadySeconds);
    if (deadline <= minReady) {
      causes.push(
        invalidValue(
          'spec.progressDeadlineSeconds',
          deadline,
          'must be greater than minReadySeconds',
        ),
      );
    }
  }
  return causes;
}

/**
 * apps/v1 Deployment: kube-apiserver's defaults (one replica, a 25%/25% rolling update,
 * 10 kept revisions, a 600 s progress deadline), the workload checks and its own (see
 * `deploymentSpecCauses`), an immutable
 * selector, and a generation that also moves when the annotations change (the
 * Deployment strategy bumps it for them, so a rollback annotation is observed).
 */
export const deploymentRules: KindRules = {
  defaults(obj, create) {
    const spec = specOf(obj);
    spec.replicas ??= 1;
    spec.strategy ??= { type: 'RollingUpdate' };
    if (isObject(spec.strategy) && (spec.strategy.type || 'RollingUpdate') === 'RollingUpdate') {
      spec.strategy.type = 'RollingUpdate';
      const ru = isObject(spec.strategy.rollingUpdate) ? spec.strategy.rollingUpdate : {};
      ru.maxUnavailable ??= '25%';
      ru.maxSurge ??= '25%';
      spec.strategy.rollingUpdate = ru;
    }
    spec.revisionHistoryLimit ??= 10;
    spec.progressDeadlineSeconds ??= 600;
    defaultWorkloadTemplate(obj);
    if (create) obj.status = {};
  },
  validate: (obj) => [
    ...workloadCauses(obj, {
      replicas: true,
      unparsable: 'invalid label selector',
      emptyAs: 'deployment',
    }),
    ...deploymentSpecCauses(specOf(obj)),
  ],
  validateUpdate: selectorImmutable,
  warnings: workloadWarnings,
  generationChanged(next, prev) {
    return (
      !deepEqual(next.spec, prev.spec) ||
      !deepEqual(metaOf(next).annotations ?? {}, metaOf(prev).annotations ?? {})
    );
  },
};
