/**
 * `activePodsForRemoval`: which active Pods kube-controller-manager's Job controller deletes
 * when a Job has more than it wants (its `parallelism` or its remaining completions
 * lowered). An Indexed Job's Pods without a readable index or with one not below
 * `completions` always go, and of the Pods sharing an index all but the one furthest along
 * (in `ActivePods` order); the rest, as many as still needed, are taken in that order.
 */
import type { JsonObject } from '../json.js';
import { compareActivePods } from './active-pods-order.js';
import { completionIndex } from './job-completion-index.js';

/**
 * The Pods of `active` to delete, at least `atLeast` of them; `completions` is an Indexed
 * Job's (`undefined` for a NonIndexed one).
 */
export function activePodsForRemoval(
  active: readonly JsonObject[],
  atLeast: number,
  completions?: number,
): JsonObject[] {
  const remove: JsonObject[] = [];
  let left: JsonObject[] = [...active];
  if (completions !== undefined) {
    left = [];
    const byIndex = new Map<number, JsonObject[]>();
    for (const pod of active) {
      const index = completionIndex(pod);
      if (index === undefined || index >= completions) remove.push(pod);
      else byIndex.set(index, [...(byIndex.get(index) ?? []), pod]);
    }
    for (const [, pods] of [...byIndex].sort(([a], [b]) => a - b)) {
      const sorted = pods.sort(compareActivePods);
      remove.push(...sorted.slice(0, -1));
      left.push(...sorted.slice(-1));
    }
  }
  if (remove.length < atLeast)
    remove.push(...left.sort(compareActivePods).slice(0, atLeast - remove.length));
  return remove;
}
