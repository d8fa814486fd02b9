import type { StatusCause } from '../errors.js';
import { deepEqual, type JsonObject } from '../json.js';
import { forbiddenValue, invalidValue, notSupported, required } from '../validation.js';
import { FIELD_IMMUTABLE, type KindRules } from './kind-rules.js';

/** The highest value a PriorityClass not named `system-…` may have. */
const HIGHEST_USER_PRIORITY = 1_000_000_000;
const SYSTEM_PREFIX = 'system-';
const POLICIES = ['PreemptLowerPriority', 'Never'];

/**
 * The PriorityClasses kube-apiserver creates when it starts (its
 * `scheduling/bootstrap-system-priority-classes` hook); the only ones that may be named
 * `system-…` or go above {@link HIGHEST_USER_PRIORITY}.
 */
export const SYSTEM_PRIORITY_CLASSES: readonly JsonObject[] = [
  {
    metadata: { name: 'system-node-critical' },
    value: 2_000_001_000,
    description: 'Used for system critical pods that must not be moved from their current node.',
  },
  {
    metadata: { name: 'system-cluster-critical' },
    value: 2_000_000_000,
    description:
      'Used for system critical pods that must run in the cluster, but can be moved to another node if necessary.',
  },
];

/** Why a `system-…` name is refused (as kube-apiserver words it), or undefined. */
function systemNameProblem(
  name: string,
  value: unknown,
  globalDefault: boolean,
): string | undefined {
  const known = SYSTEM_PRIORITY_CLASSES.find((c) => (c.metadata as JsonObject).name === name);
  if (!known) return `${name} is not a known system priority class`;
  if (known.value !== value) return `value of ${name} PriorityClass must be ${known.value}`;
  if (globalDefault) return `globalDefault of ${name} PriorityClass must be false`;
  return undefined;
}

/**
 * scheduling.k8s.io/v1 PriorityClass: `preemptionPolicy` defaults to
 * `PreemptLowerPriority`; a new class may not take a `system-` name or a value above one
 * billion (those are the system classes'), and its `preemptionPolicy` must be known; an
 * update may change neither `value` nor `preemptionPolicy` (kube-apiserver checks nothing
 * else on update).
 */
export const priorityClassRules: KindRules = {
  defaults(obj) {
    obj.preemptionPolicy ??= 'PreemptLowerPriority';
  },
  validate(obj, ctx) {
    if (!ctx.create) return [];
    const causes: StatusCause[] = [];
    const meta = (obj.metadata ?? {}) as JsonObject;
    const name = typeof meta.name === 'string' ? meta.name : '';
    if (name.startsWith(SYSTEM_PREFIX)) {
      const problem = systemNameProblem(name, obj.value ?? 0, obj.globalDefault === true);
      if (problem) {
        causes.push(
          forbiddenValue(
            'metadata.name',
            `priority class names with '${SYSTEM_PREFIX}' prefix are reserved for system use only. error: ${problem}`,
          ),
        );
      }
    } else if (typeof obj.value === 'number' && obj.value > HIGHEST_USER_PRIORITY) {
      causes.push(
        forbiddenValue(
          'value',
          `maximum allowed value of a user defined priority is ${HIGHEST_USER_PRIORITY}`,
        ),
      );
    }
    const policy = obj.preemptionPolicy;
    if (policy === '') causes.push(required('preemptionPolicy'));
    else if (typeof policy === 'string' && !POLICIES.includes(policy))
      causes.push(notSupported('preemptionPolicy', policy, POLICIES));
    return causes;
  },
  validateUpdate(next, prev) {
    const causes: StatusCause[] = [];
    if ((next.value ?? 0) !== (prev.value ?? 0))
      causes.push(forbiddenValue('value', 'may not be changed in an update.'));
    if (!deepEqual(next.preemptionPolicy ?? null, prev.preemptionPolicy ?? null))
      causes.push(invalidValue('preemptionPolicy', next.preemptionPolicy ?? null, FIELD_IMMUTABLE));
    return causes;
  },
};
