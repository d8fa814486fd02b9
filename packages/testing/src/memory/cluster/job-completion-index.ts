/**
 * The completion indexes of an Indexed Job's Pods and status as kube-controller-manager's
 * Job controller reads and writes them: a Pod's index from its annotation, the indexes a
 * status list holds (read leniently: what it cannot read or what is not below
 * `completions` is left out) and the list it writes (`1,3-5,7`).
 */
import { atoi } from '../builtins/job-indexes.js';
import type { JsonObject } from '../json.js';
import { objAt } from '../json.js';
import { metaOf } from '../object-meta.js';

/** The annotation (and label) holding a Pod's completion index. */
export const COMPLETION_INDEX = 'batch.kubernetes.io/job-completion-index';

/** `getCompletionIndex`: the Pod's index, or `undefined` if it has none it can read. */
export function completionIndex(pod: JsonObject): number | undefined {
  const value = objAt(metaOf(pod), 'annotations')[COMPLETION_INDEX];
  const index = typeof value === 'string' ? atoi(value) : undefined;
  return index !== undefined && index >= 0 ? index : undefined;
}

/**
 * `parseIndexesFromString`: the indexes of a status list below `completions`; an interval
 * it cannot read is skipped, one reaching past `completions` cut there.
 */
export function statusIndexes(text: unknown, completions: number): number[] {
  const out: number[] = [];
  if (typeof text !== 'string' || text === '') return out;
  for (const part of text.split(',')) {
    const [first, last] = part.split('-').map(atoi);
    if (first === undefined) continue;
    if (first >= completions) break;
    if (part.includes('-') && last === undefined) continue;
    const end = Math.min(last ?? first, completions - 1);
    for (let i = first; i <= end; i++) out.push(i);
  }
  return out;
}

/**
 * `1,3-5,7`: indexes (ascending, each once) as the controller writes them; a run of two is
 * written as two (`0,1`, not `0-1`).
 */
export function indexRanges(sorted: readonly number[]): string {
  const out: string[] = [];
  for (let i = 0; i < sorted.length; ) {
    let j = i;
    while (j + 1 < sorted.length && sorted[j + 1] === (sorted[j] ?? 0) + 1) j++;
    out.push(
      j - i === 1
        ? `${sorted[i]},${sorted[j]}`
        : i === j
          ? String(sorted[i])
          : `${sorted[i]}-${sorted[j]}`,
    );
    i = j + 1;
  }
  return out.join(',');
}
