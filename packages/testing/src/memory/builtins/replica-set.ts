import { notNegative } from '../validation.js';
import type { KindRules } from './kind-rules.js';
import { workloadWarnings } from './pod-warnings.js';
import { defaultWorkloadTemplate, selectorImmutable, specOf, workloadCauses } from './workload.js';

/**
 * apps/v1 ReplicaSet: one replica by default, the workload checks (with `minReadySeconds >= 0`
 * after `replicas`, as kube-apiserver checks it), an immutable selector.
 */
export const replicaSetRules: KindRules = {
  defaults(obj, create) {
    specOf(obj).replicas ??= 1;
    defaultWorkloadTemplate(obj);
    if (create) obj.status = { replicas: 0 };
  },
  validate: (obj) =>
    workloadCauses(obj, {
      replicas: true,
      unparsable: 'invalid label selector',
      emptyAs: 'deployment',
      afterReplicas: (spec) => notNegative('spec.minReadySeconds', spec.minReadySeconds),
    }),
  validateUpdate: selectorImmutable,
  warnings: workloadWarnings,
};
