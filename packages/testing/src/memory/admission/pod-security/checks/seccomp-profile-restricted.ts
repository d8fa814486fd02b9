import { isObject, str } from '../../../json.js';
import { type CheckResult, joinQuote } from '../check-result.js';
import { allContainers } from '../containers.js';
import { exceptWindows } from '../pod-spec.js';
import type { Check, CheckPod } from '../registry.js';
import { badSetters, containersText } from '../setters.js';

/** A security context's seccomp profile type, or undefined when it sets no profile. */
function profileType(context: unknown): string | undefined {
  return isObject(context) && isObject(context.seccompProfile)
    ? str(context.seccompProfile.type)
    : undefined;
}

const valid = (type: string) => type === 'RuntimeDefault' || type === 'Localhost';

/** The pod, or else each container, must set a RuntimeDefault or Localhost seccomp profile. */
const requireProfile: CheckPod = (_meta, spec): CheckResult => {
  const badValues = new Set<string>();
  const podType = profileType(spec.securityContext);
  const podBad = podType !== undefined && !valid(podType);
  if (podBad) badValues.add(podType);
  const explicit: string[] = [];
  const implicit: string[] = [];
  for (const c of allContainers(spec)) {
    const type = profileType(c.securityContext);
    if (type !== undefined) {
      if (!valid(type)) {
        explicit.push(str(c.name));
        badValues.add(type);
      }
    } else if (podType === undefined || podBad) implicit.push(str(c.name));
  }
  const setters = badSetters(podBad, explicit);
  if (setters)
    return {
      reason: 'seccompProfile',
      detail: `${setters} must not set securityContext.seccompProfile.type to ${joinQuote([...badValues].sort())}`,
    };
  if (implicit.length)
    return {
      reason: 'seccompProfile',
      detail: `pod or ${containersText(implicit)} must set securityContext.seccompProfile.type to "RuntimeDefault" or "Localhost"`,
    };
  return undefined;
};

/**
 * Restricted: a RuntimeDefault or Localhost seccomp profile is required (from policy v1.19,
 * replacing baseline's seccompProfile_baseline); from v1.25 a Windows Pod is exempt.
 */
export const seccompProfileRestricted: Check = {
  id: 'seccompProfile_restricted',
  level: 'restricted',
  versions: [
    {
      since: { major: 1, minor: 19 },
      check: requireProfile,
      overrides: ['seccompProfile_baseline'],
    },
    {
      since: { major: 1, minor: 25 },
      check: exceptWindows(requireProfile),
      overrides: ['seccompProfile_baseline'],
    },
  ],
};
