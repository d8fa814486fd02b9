import { isObject, type JsonObject } from '../json.js';
import type { Scope } from '../write-scope.js';

/** Tolerations the DefaultTolerationSeconds admission plugin adds to every new pod. */
const DEFAULT_TOLERATIONS = ['node.kubernetes.io/not-ready', 'node.kubernetes.io/unreachable'];

/**
 * kube-apiserver's `DefaultTolerationSeconds` admission plugin: a new Pod tolerates the
 * not-ready and unreachable taints for 300 s unless it already tolerates them. Admission
 * runs after field tracking, so these tolerations are nobody's in `managedFields`.
 */
export function admitDefaultTolerations(sc: Scope, pod: JsonObject): void {
  if (sc.t.group !== '' || sc.t.plural !== 'pods') return;
  if (!isObject(pod.spec)) pod.spec = {};
  const spec = pod.spec as JsonObject;
  const list = Array.isArray(spec.tolerations) ? spec.tolerations : [];
  const tolerates = (key: string) =>
    list.some(
      (t) =>
        isObject(t) &&
        (t.key === key || (t.key === undefined && t.operator === 'Exists')) &&
        (t.effect === undefined || t.effect === 'NoExecute'),
    );
  for (const key of DEFAULT_TOLERATIONS) {
    if (!tolerates(key)) {
      list.push({ key, operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 });
    }
  }
  spec.tolerations = list;
}
