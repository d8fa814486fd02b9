import { SYSTEM_PRIORITY_CLASSES } from '../builtins/priority-class.js';
import { createObject } from '../create-object.js';
import type { ApiState } from '../state.js';

/**
 * Creates the `system-node-critical` and `system-cluster-critical` PriorityClasses, as
 * kube-apiserver does when it starts (Pods of system components name them).
 */
export function installSystemPriorityClasses(s: ApiState): void {
  const t = s.registry.find('scheduling.k8s.io', 'v1', 'priorityclasses');
  if (!t) return;
  for (const pc of SYSTEM_PRIORITY_CLASSES) {
    createObject(s, { t, version: 'v1', namespace: '' }, structuredClone(pc), {
      defaultManager: 'kube-apiserver',
    });
  }
}
