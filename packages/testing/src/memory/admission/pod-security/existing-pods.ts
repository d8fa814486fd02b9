/**
 * The warnings a Namespace update that makes the enforce level stricter gives about the
 * Pods already in the namespace, as pod-security-admission's EvaluatePodsInNamespace
 * words and orders them (own code: the grouping and the order are what clients see).
 */
import { controllerOf } from '../../cluster/writes.js';
import { type JsonObject, obj, str } from '../../json.js';
import { evaluatePod } from './evaluate.js';
import { type LevelVersion, levelVersionText } from './policy-level.js';

/** The most Pods the plugin checks (kube-apiserver's default). */
export const MAX_PODS_CHECKED = 3000;

/**
 * The Pods in the order they are checked: one Pod of each controller (and every Pod
 * without one) first, the other Pods of a controller after.
 */
function prioritized(pods: readonly JsonObject[]): JsonObject[] {
  const first: JsonObject[] = [];
  const rest: JsonObject[] = [];
  const seen = new Set<string>();
  for (const pod of pods) {
    const ref = controllerOf(pod);
    if (!ref) first.push(pod);
    else if (seen.has(str(ref.uid))) rest.push(pod);
    else {
      seen.add(str(ref.uid));
      first.push(pod);
    }
  }
  return [...first, ...rest];
}

/**
 * The warnings about the namespace's Pods that the new enforce level forbids: which
 * checks each forbids (reasons only), one warning per distinct set, named after its
 * lexically first Pod (`p (and 2 other pods): privileged`), sorted, after a heading; only
 * the first {@link MAX_PODS_CHECKED} Pods are checked (kube-apiserver also stops after a
 * second, which MemoryApiServer never takes), the others are counted in a warning.
 */
export function existingPodWarnings(
  namespace: string,
  enforce: LevelVersion,
  pods: readonly JsonObject[],
  max = MAX_PODS_CHECKED,
): string[] {
  const checked = prioritized(pods).slice(0, max);
  const byReason = new Map<string, { name: string; count: number }>();
  for (const pod of checked) {
    const result = evaluatePod(enforce, obj(pod.metadata), obj(pod.spec));
    if (result.allowed) continue;
    const name = str(obj(pod.metadata).name);
    const seen = byReason.get(result.reason);
    if (!seen) byReason.set(result.reason, { name, count: 1 });
    else {
      seen.count++;
      if (name < seen.name) seen.name = name;
    }
  }
  const warnings: string[] = [];
  if (checked.length < pods.length)
    warnings.push(
      `new PodSecurity enforce level only checked against the first ${checked.length} of ${pods.length} existing pods`,
    );
  if (byReason.size === 0) return warnings;
  warnings.push(
    `existing pods in namespace "${namespace}" violate the new PodSecurity enforce level "${levelVersionText(enforce)}"`,
  );
  const perPod = [...byReason].map(([reason, { name, count }]) => {
    if (count === 1) return `${name}: ${reason}`;
    const others = count - 1;
    return `${name} (and ${others} other ${others === 1 ? 'pod' : 'pods'}): ${reason}`;
  });
  // Go's sort.Strings: byte order.
  return [...warnings, ...perPod.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))];
}
