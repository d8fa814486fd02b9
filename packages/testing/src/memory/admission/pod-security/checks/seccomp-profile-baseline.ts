import { goQuote } from '../../../go-print.js';
import { isObject, type JsonObject, str } from '../../../json.js';
import { type CheckResult, joinQuote, pluralize } from '../check-result.js';
import { allContainers } from '../containers.js';
import type { Check } from '../registry.js';
import { forbiddenProfiles } from '../security-context.js';
import { badSetters, sortedSet } from '../setters.js';

const POD_ANNOTATION = 'seccomp.security.alpha.kubernetes.io/pod';
const CONTAINER_ANNOTATION_PREFIX = 'container.seccomp.security.alpha.kubernetes.io/';

function allowedAnnotation(value: string): boolean {
  return (
    value === 'runtime/default' || value === 'docker/default' || value.startsWith('localhost/')
  );
}

/** Before v1.19 only the alpha annotations, for the Pod and each of its containers, count. */
function seccompAnnotations(meta: JsonObject, spec: JsonObject): CheckResult {
  const annotations = isObject(meta.annotations) ? meta.annotations : {};
  const keys = [
    POD_ANNOTATION,
    ...allContainers(spec).map((c) => CONTAINER_ANNOTATION_PREFIX + str(c.name)),
  ];
  const forbidden = sortedSet(
    keys
      .filter((k) => Object.hasOwn(annotations, k) && !allowedAnnotation(str(annotations[k])))
      .map((k) => `${k}=${goQuote(str(annotations[k]))}`),
  );
  if (!forbidden.length) return undefined;
  return {
    reason: 'seccompProfile',
    detail: `forbidden ${pluralize('annotation', 'annotations', forbidden.length)} ${forbidden.join(', ')}`,
  };
}

/** From v1.19 the Pod's and containers' `securityContext.seccompProfile.type`. */
function seccompFields(spec: JsonObject): CheckResult {
  const { pod, containers, types } = forbiddenProfiles(spec, 'seccompProfile', [
    'RuntimeDefault',
    'Localhost',
  ]);
  if (!pod && !containers.length) return undefined;
  return {
    reason: 'seccompProfile',
    detail: `${badSetters(pod, containers)} must not set securityContext.seccompProfile.type to ${joinQuote(types)}`,
  };
}

/**
 * Baseline: seccomp profiles, where set, may only be the runtime's default or a localhost
 * one (the alpha annotations before v1.19, the securityContext fields from then on).
 */
export const seccompProfileBaseline: Check = {
  id: 'seccompProfile_baseline',
  level: 'baseline',
  versions: [
    { since: { major: 1, minor: 0 }, check: seccompAnnotations },
    { since: { major: 1, minor: 19 }, check: (_meta, spec) => seccompFields(spec) },
  ],
};
