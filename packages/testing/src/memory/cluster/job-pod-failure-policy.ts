/**
 * A Job's `spec.podFailurePolicy` as kube-controller-manager's Job controller applies it to
 * a failed Pod: the first rule that matches decides. `onExitCodes` matches the first
 * terminated container (regular containers, then init containers; `containerName` if set)
 * whose non-zero exit code is `In` or `NotIn` the values; `onPodConditions` the first Pod
 * condition of a listed type and status. `FailJob` fails the Job with a message naming the
 * container and exit code (or the condition), `Ignore` keeps the Pod out of `status.failed`
 * (so out of `backoffLimit`), `Count` and `FailIndex` count it as any failure (`FailIndex` also fails the index:
 * `job-index-failures.ts`).
 */
import { type JsonObject, num, objAt, objects, strAt } from '../json.js';
import { metaOf } from '../object-meta.js';

/** What the policy makes of one failed Pod. */
export interface PodFailureMatch {
  /** The `FailureTarget` message, when a `FailJob` rule matched. */
  readonly failJob?: string;
  /** Whether the failure counts toward `backoffLimit` (not for an `Ignore` rule). */
  readonly counted: boolean;
  /** The action of the rule that matched, if one did. */
  readonly action?: string;
}

const NO_MATCH: PodFailureMatch = { counted: true };

/** Applies the Job spec's `podFailurePolicy` (if any) to the failed Pod `pod`. */
export function matchPodFailurePolicy(spec: JsonObject, pod: JsonObject): PodFailureMatch {
  const rules = objects(objAt(spec, 'podFailurePolicy').rules);
  const status = objAt(pod, 'status');
  const where = `${String(metaOf(pod).namespace)}/${String(metaOf(pod).name)}`;
  for (const [index, rule] of rules.entries()) {
    const action = strAt(rule, 'action');
    let failJob: string | undefined;
    if (rule.onExitCodes !== undefined && rule.onExitCodes !== null) {
      const container = matchOnExitCodes(status, objAt(rule, 'onExitCodes'));
      if (container === undefined) continue;
      const code = num(objAt(objAt(container, 'state'), 'terminated').exitCode);
      failJob = `Container ${String(container.name)} for pod ${where} failed with exit code ${code} matching ${action} rule at index ${index}`;
    } else if (rule.onPodConditions !== undefined && rule.onPodConditions !== null) {
      const condition = matchOnPodConditions(status, objects(rule.onPodConditions));
      if (condition === undefined) continue;
      failJob = `Pod ${where} has condition ${String(condition.type)} matching ${action} rule at index ${index}`;
    } else continue;
    switch (action) {
      case 'Ignore':
        return { counted: false, action };
      case 'Count':
      case 'FailIndex':
        return { counted: true, action };
      case 'FailJob':
        return { failJob, counted: true, action };
      default:
      // An unknown action (validation refuses one) matches nothing; the next rule decides.
    }
  }
  return NO_MATCH;
}

/** The first terminated container, regular then init, matching the requirement. */
function matchOnExitCodes(status: JsonObject, requirement: JsonObject): JsonObject | undefined {
  for (const list of [status.containerStatuses, status.initContainerStatuses]) {
    for (const container of objects(list)) {
      const terminated = objAt(container, 'state').terminated;
      if (terminated === undefined || terminated === null) continue;
      const name = strAt(requirement, 'containerName');
      if (name !== undefined && name !== container.name) continue;
      const code = num(objAt(objAt(container, 'state'), 'terminated').exitCode);
      if (code === 0) continue;
      const values = Array.isArray(requirement.values) ? requirement.values : [];
      const listed = values.includes(code);
      const operator = requirement.operator;
      if ((operator === 'In' && listed) || (operator === 'NotIn' && !listed)) return container;
    }
  }
  return undefined;
}

/** The first Pod condition whose type and status a pattern lists (status `True` by default). */
function matchOnPodConditions(status: JsonObject, patterns: JsonObject[]): JsonObject | undefined {
  for (const condition of objects(status.conditions)) {
    const matched = patterns.some(
      (p) => p.type === condition.type && (p.status ?? 'True') === condition.status,
    );
    if (matched) return condition;
  }
  return undefined;
}
