/**
 * An Indexed Job's `spec.successPolicy` as kube-controller-manager's Job controller applies
 * it: the first rule whose `succeededIndexes` have all succeeded (or at least its
 * `succeededCount` of them), or, without `succeededIndexes`, whose `succeededCount` indexes
 * have succeeded, makes the Job meet its success criteria (`SuccessCriteriaMet`, reason
 * `SuccessPolicy`, `Matched rules at index <rule>`).
 */
import { parseIndexes } from '../builtins/job-indexes.js';
import { type JsonObject, objAt, objects, optNum, strAt } from '../json.js';

/** The `SuccessCriteriaMet` message if a rule of the Job spec's `successPolicy` is met by `succeeded` indexes. */
export function matchSuccessPolicy(
  spec: JsonObject,
  completions: number,
  succeeded: ReadonlySet<number>,
): string | undefined {
  if (succeeded.size === 0) return undefined;
  for (const [index, rule] of objects(objAt(spec, 'successPolicy').rules).entries()) {
    const count = optNum(rule.succeededCount);
    const text = strAt(rule, 'succeededIndexes');
    if (text !== undefined) {
      const intervals = parseIndexes(text, completions);
      // A list that does not parse (validation refuses one) is no rule.
      if (typeof intervals === 'string' || intervals.length === 0) continue;
      let required = 0;
      let contained = 0;
      for (const [from, to] of intervals) {
        for (let i = from; i <= to; i++, required++) if (succeeded.has(i)) contained++;
      }
      if (contained === required || (count !== undefined && contained >= count))
        return `Matched rules at index ${index}`;
    } else if (count !== undefined && succeeded.size >= count) {
      return `Matched rules at index ${index}`;
    }
  }
  return undefined;
}
