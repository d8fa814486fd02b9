import { isObject, str } from '../../../json.js';
import type { CheckResult } from '../check-result.js';
import { allContainers } from '../containers.js';
import { exceptUserNamespace } from '../pod-spec.js';
import type { Check, CheckPod } from '../registry.js';
import { badSetters, containersText } from '../setters.js';

/** The pod, or else each container, must set `runAsNonRoot: true`; none may set it false. */
const requireNonRoot: CheckPod = (_meta, spec): CheckResult => {
  const podValue = isObject(spec.securityContext) ? spec.securityContext.runAsNonRoot : undefined;
  const podSet = typeof podValue === 'boolean';
  const explicit: string[] = [];
  const implicit: string[] = [];
  for (const c of allContainers(spec)) {
    const value = isObject(c.securityContext) ? c.securityContext.runAsNonRoot : undefined;
    if (typeof value === 'boolean') {
      if (!value) explicit.push(str(c.name));
    } else if (podValue !== true) implicit.push(str(c.name));
  }
  const setters = badSetters(podSet && !podValue, explicit);
  if (setters)
    return {
      reason: 'runAsNonRoot != true',
      detail: `${setters} must not set securityContext.runAsNonRoot=false`,
    };
  if (implicit.length)
    return {
      reason: 'runAsNonRoot != true',
      detail: `pod or ${containersText(implicit)} must set securityContext.runAsNonRoot=true`,
    };
  return undefined;
};

/**
 * Restricted: containers must run as non-root (from policy v1.0); from v1.35 a Pod in its own
 * user namespace (`hostUsers: false`) is exempt.
 */
export const runAsNonRoot: Check = {
  id: 'runAsNonRoot',
  level: 'restricted',
  versions: [
    { since: { major: 1, minor: 0 }, check: requireNonRoot },
    {
      since: { major: 1, minor: 35 },
      check: exceptUserNamespace(requireNonRoot),
    },
  ],
};
