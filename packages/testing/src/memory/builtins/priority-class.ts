import type { KindRules } from './kind-rules.js';

/** scheduling.k8s.io/v1 PriorityClass: kube-apiserver defaults `preemptionPolicy`. */
export const priorityClassRules: KindRules = {
  defaults(obj) {
    obj.preemptionPolicy ??= 'PreemptLowerPriority';
  },
};
